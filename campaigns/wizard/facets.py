"""A board's posting requirements ("facets") as form fields, with their rules and display
rules checked on the server.

Contracts store the facets as the provider described them (``Contract.posting_requirements``:
either the provider's own shape or ``distribution.messages.Facet`` as a dict); ``parse_facets``
reads both. Values are kept in the draft in a form-native shape (TEXTEXPAND as lines, DATE as
ISO) and turned into what the provider expects by ``order_value``.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT_TYPES = {"TEXT", "TEXTAREA", "HTMLAREA", "AUTOCOMPLETE"}
KNOWN_TYPES = TEXT_TYPES | {"TEXTEXPAND", "SELECT", "MULTIPLE", "HIER", "DATE", "STATISCH"}
INT_RE = re.compile(r"^[+-]?\d+$")
FLOAT_RE = re.compile(r"^[+-]?(\d+)?(\.\d+)?$")
# Tags a board's formatted field may carry; everything else is removed.
HTML_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "a"}
PHP_DATE_TOKENS = {"Y": "%Y", "y": "%y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    parent: str | None = None
    default: bool = False


@dataclass(frozen=True)
class Condition:
    facet: str
    op: str
    value: object = None


@dataclass(frozen=True)
class FacetDef:
    name: str
    label: str
    type: str
    sort: float = 0
    required: bool = False
    message: str = ""
    options: tuple[Option, ...] = ()
    rules: tuple[tuple[str, str], ...] = ()
    autocomplete: bool = False
    display: tuple[Condition, ...] = field(default_factory=tuple)

    @property
    def is_static(self) -> bool:
        return self.type == "STATISCH"

    def rule(self, name: str) -> str | None:
        for rule, data in self.rules:
            if rule == name:
                return data
        return None

    def has_rule(self, name: str) -> bool:
        return any(rule == name for rule, _data in self.rules)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):  # a bilingual label {"en": ..., "fr": ...}
        return str(value.get("en") or next(iter(value.values()), ""))
    return str(value)


def _sort(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def parse_facets(raw) -> list[FacetDef]:
    """Facets from a contract's stored posting requirements, in display order."""
    facets = []
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        display = item.get("display_rules") or []
        if isinstance(display, dict):
            display = display.get("show") or []
        conditions = tuple(
            Condition(str(c.get("facet")), str(c.get("op")), c.get("value"))
            for c in display
            if isinstance(c, dict)
        )
        rules = tuple(
            (str(r.get("rule")), _text(r.get("data")))
            for r in item.get("rules") or []
            if isinstance(r, dict) and r.get("rule")
        )
        options = tuple(
            Option(
                key=str(o.get("key")),
                label=_text(o.get("label")) or str(o.get("key")),
                parent=None if o.get("parent") in (None, "") else str(o.get("parent")),
                default=bool(o.get("default")) and str(o.get("default")) not in ("0", "false"),
            )
            for o in item.get("options") or []
            if isinstance(o, dict) and o.get("key") is not None
        )
        ftype = str(item.get("type") or "TEXT").upper()
        facets.append(
            FacetDef(
                name=str(item["name"]),
                label=_text(item.get("label")) or str(item["name"]),
                type=ftype if ftype in KNOWN_TYPES else "TEXT",
                sort=_sort(item.get("sort")),
                required=bool(item.get("required")),
                message=_text(item.get("message")),
                options=options,
                rules=rules,
                autocomplete=bool(item.get("autocomplete")) or ftype == "AUTOCOMPLETE",
                display=conditions,
            )
        )
    return sorted(facets, key=lambda f: f.sort)


# --- display rules -------------------------------------------------------------------------


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _holds(condition: Condition, value) -> bool:
    expected = condition.value
    if condition.op == "equal":
        return value is not None and not isinstance(value, list) and str(value) == str(expected)
    if condition.op == "in":
        options = expected if isinstance(expected, list) else [expected]
        return value is not None and str(value) in [str(x) for x in options]
    if condition.op == "notempty":
        return not _is_empty(value)
    if condition.op == "contains":
        if isinstance(value, list):
            return str(expected) in [str(v) for v in value]
        return value is not None and str(value) == str(expected)
    return False


def visible_names(facets: list[FacetDef], values: dict) -> set[str]:
    """Names of the facets shown for these values: all of a facet's conditions must hold,
    and a facet that depends on a hidden facet sees it as empty."""
    by_name = {f.name: f for f in facets}
    cache: dict[str, bool] = {}

    def shown(facet: FacetDef, path: frozenset) -> bool:
        if facet.name in cache:
            return cache[facet.name]
        result = True
        for condition in facet.display:
            value = values.get(condition.facet)
            ref = by_name.get(condition.facet)
            if ref is not None and (ref.name in path or not shown(ref, path | {facet.name})):
                value = None
            if not _holds(condition, value):
                result = False
                break
        cache[facet.name] = result
        return result

    return {f.name for f in facets if shown(f, frozenset({f.name}))}


# --- values --------------------------------------------------------------------------------


def hier_leaves(facet: FacetDef) -> list[tuple[str, str]]:
    """Selectable options of a HIER facet (leaves only), labelled with their path."""
    by_key = {o.key: o for o in facet.options}
    parents = {o.parent for o in facet.options if o.parent}
    leaves = []
    for option in facet.options:
        if option.key in parents:
            continue
        path, current, seen = [option.label], option, {option.key}
        while current.parent and current.parent in by_key and current.parent not in seen:
            current = by_key[current.parent]
            seen.add(current.key)
            path.append(current.label)
        leaves.append((option.key, " › ".join(reversed(path))))
    return leaves


def _date_format(facet: FacetDef) -> str:
    php = facet.rule("date") or "Y-m-d"
    return "".join(PHP_DATE_TOKENS.get(char, char) for char in php)


def order_value(facet: FacetDef, value):
    """The provider's value for a form-native draft value (None when nothing to send)."""
    if facet.is_static or _is_empty(value):
        return None
    if facet.type == "TEXTEXPAND":
        return json.dumps(_lines(value))
    if facet.type == "DATE":
        return date.fromisoformat(str(value)).strftime(_date_format(facet))
    if facet.type == "MULTIPLE":
        return [str(v) for v in value]
    return str(value)


def requirement_values(facets: list[FacetDef], native: dict) -> dict:
    """What the order sends for one board: visible, non-empty, non-static facets only."""
    shown = visible_names(facets, native)
    values = {}
    for facet in facets:
        if facet.name not in shown:
            continue
        value = order_value(facet, native.get(facet.name))
        if value is not None:
            values[facet.name] = value
    return values


def display_value(facet: FacetDef, value) -> str:
    """A value as the review shows it (option labels rather than keys)."""
    if _is_empty(value):
        return ""
    labels = {o.key: o.label for o in facet.options}
    if facet.type == "HIER":
        labels = dict(hier_leaves(facet))
    if facet.type == "MULTIPLE":
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if facet.type == "TEXTEXPAND":
        return ", ".join(_lines(value))
    if facet.type in {"SELECT", "HIER"}:
        return labels.get(str(value), str(value))
    return str(value)


def _lines(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [line.strip() for line in str(value).splitlines() if line.strip()]


# --- validation ----------------------------------------------------------------------------


def _int_data(data: str | None) -> int | None:
    try:
        return int(str(data).strip())
    except (TypeError, ValueError):
        return None


def _compile_regex(data: str) -> re.Pattern | None:
    """Boards give PHP-style patterns with delimiters and flags, e.g. ``/^[a-z]{2}$/i``."""
    flags, pattern = 0, data
    if len(data) >= 2 and data[0] == "/" and data.rfind("/") > 0:
        end = data.rfind("/")
        pattern = data[1:end]
        for modifier in data[end + 1 :]:
            flags |= {"i": re.I, "m": re.M, "s": re.S, "x": re.X}.get(modifier, 0)
    try:
        return re.compile(pattern, flags)
    except re.error:
        return None


def check_value(facet: FacetDef, value) -> list[str]:
    """The rule violations of one non-empty value, as messages."""
    problems: list[str] = []
    items = value if isinstance(value, list) else None
    if facet.type == "TEXTEXPAND":
        items = _lines(value)
    text = None if items is not None else str(value)
    for rule, data in facet.rules:
        limit = _int_data(data)
        if rule == "maxlength" and text is not None and limit is not None and len(text) > limit:
            problems.append(
                _("Use at most %(limit)d characters (now %(count)d).")
                % {"limit": limit, "count": len(text)}
            )
        elif rule == "minlength" and text is not None and limit is not None and len(text) < limit:
            problems.append(_("Use at least %(limit)d characters.") % {"limit": limit})
        elif rule == "maxitems" and items is not None and limit is not None and len(items) > limit:
            problems.append(_("Choose at most %(limit)d.") % {"limit": limit})
        elif rule == "minitems" and items is not None and limit is not None and len(items) < limit:
            problems.append(_("Choose at least %(limit)d.") % {"limit": limit})
        elif rule == "int" and text is not None and not INT_RE.match(text.strip()):
            problems.append(_("Enter a whole number."))
        elif rule == "float" and text is not None and not _is_number(text):
            problems.append(_("Enter a number."))
        elif rule == "regex" and text is not None:
            pattern = _compile_regex(data)
            if pattern is not None and not pattern.search(text):
                problems.append(_("Enter a value in the expected format."))
        elif rule == "email" and text is not None:
            try:
                EmailValidator()(text)
            except ValidationError:
                problems.append(_("Enter a valid email address."))
        elif rule == "url" and text is not None:
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                problems.append(_("Enter a valid URL starting with http:// or https://."))
    return problems


def _is_number(text: str) -> bool:
    text = text.strip()
    if not text or not FLOAT_RE.match(text) or text in {"+", "-", "."}:
        return False
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


# --- form ----------------------------------------------------------------------------------


def _attrs(facet: FacetDef) -> dict:
    attrs = {"data-facet": facet.name}
    if facet.display:
        attrs["data-display-rules"] = json.dumps(
            [{"facet": c.facet, "op": c.op, "value": c.value} for c in facet.display]
        )
    return attrs


def facet_field(facet: FacetDef) -> forms.Field | None:
    """The form field for a facet (None for display-only facets). Every field is optional
    for Django: whether it is required depends on the display rules, checked in clean()."""
    help_text = facet.message
    if facet.is_static:
        return None
    if facet.type == "TEXTAREA":
        widget = forms.Textarea(attrs={"rows": 3})
    elif facet.type == "HTMLAREA":
        widget = forms.Textarea(attrs={"rows": 5})
        help_text = help_text or gettext_lazy("Basic formatting (paragraphs, lists, bold).")
    elif facet.type == "TEXTEXPAND":
        widget = forms.Textarea(attrs={"rows": 3})
        help_text = " ".join(filter(None, [str(help_text), _("One entry per line.")]))
    elif facet.type == "SELECT":
        choices = [("", "—")] + [(o.key, o.label) for o in facet.options]
        initial = next((o.key for o in facet.options if o.default), "")
        return forms.ChoiceField(
            label=facet.label,
            choices=choices,
            required=False,
            help_text=help_text,
            initial=initial,
            widget=forms.Select(attrs=_attrs(facet)),
        )
    elif facet.type == "HIER":
        return forms.ChoiceField(
            label=facet.label,
            choices=[("", "—"), *hier_leaves(facet)],
            required=False,
            help_text=help_text,
            widget=forms.Select(attrs=_attrs(facet)),
        )
    elif facet.type == "MULTIPLE":
        return forms.MultipleChoiceField(
            label=facet.label,
            choices=[(o.key, o.label) for o in facet.options],
            required=False,
            help_text=help_text,
            initial=[o.key for o in facet.options if o.default],
            widget=forms.CheckboxSelectMultiple(attrs=_attrs(facet)),
        )
    elif facet.type == "DATE":
        return forms.DateField(
            label=facet.label,
            required=False,
            help_text=help_text,
            widget=forms.DateInput(attrs={"type": "date", **_attrs(facet)}, format="%Y-%m-%d"),
        )
    elif facet.type == "AUTOCOMPLETE":
        widget = forms.TextInput(attrs={"autocomplete": "off", "data-autocomplete": "1"})
        help_text = help_text or gettext_lazy("Start typing, then pick a suggestion.")
    else:
        widget = forms.TextInput()
    widget.attrs.update(_attrs(facet))
    return forms.CharField(
        label=facet.label, required=False, help_text=help_text, widget=widget, strip=True
    )


class RequirementsForm(forms.Form):
    """One board's posting requirements. ``native_values()`` gives the JSON-ready values
    kept in the draft; hidden facets are neither required nor kept."""

    def __init__(self, *args, facets: list[FacetDef], contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.facets = facets
        self.contract = contract
        self.static_notes = [f for f in facets if f.is_static]
        for facet in facets:
            form_field = facet_field(facet)
            if form_field is not None:
                form_field.facet = facet
                self.fields[facet.name] = form_field

    def clean(self):
        cleaned = super().clean()
        native = {name: _native(value) for name, value in cleaned.items()}
        shown = visible_names(self.facets, native)
        for facet in self.facets:
            if facet.is_static or facet.name not in self.fields:
                continue
            if facet.name not in shown:
                native.pop(facet.name, None)
                self.errors.pop(facet.name, None)
                continue
            value = native.get(facet.name)
            if facet.type == "HTMLAREA" and value:
                value = nh3.clean(str(value), tags=HTML_TAGS).strip()
                native[facet.name] = value
            if facet.type == "TEXTEXPAND" and value:
                value = "\n".join(_lines(value))
                native[facet.name] = value
            if _is_empty(value):
                native.pop(facet.name, None)
                if facet.required:
                    self.add_error(facet.name, _("This field is required by the job board."))
                continue
            for problem in check_value(facet, value):
                self.add_error(facet.name, problem)
        self._native = native
        return cleaned

    def native_values(self) -> dict:
        return dict(self._native)

    def visible_field_names(self) -> set[str]:
        data = {}
        for name, bound in ((n, self[n]) for n in self.fields):
            value = bound.value()
            data[name] = _native(value)
        return visible_names(self.facets, data)


def _native(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None:
        return ""
    return value


def initial_from_native(facets: list[FacetDef], native: dict) -> dict:
    """Form initial values from the draft's native values."""
    initial = {}
    for facet in facets:
        if facet.name in native:
            initial[facet.name] = native[facet.name]
    return initial
