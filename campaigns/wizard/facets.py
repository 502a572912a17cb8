"""A board's posting requirements as form fields: widgets, fields and their checks.

The facets are ``distribution.messages.Facet`` (the one model of them); what their values
mean to the provider is ``campaigns.services.requirements``. Here is only the form: one
field per facet, the rules checked where the person types, and the display rules applied on
the server as ``static/js/campaigns.js`` applies them in the browser.
"""

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.services.requirements import hier_paths, lines, visible_names
from distribution.messages.facets import Facet, FacetType, RuleKind, is_empty_value

INT_RE = re.compile(r"^[+-]?\d+$")
FLOAT_RE = re.compile(r"^[+-]?(\d+)?(\.\d+)?$")
# Tags a board's formatted field may carry; everything else is removed.
HTML_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "a"}
LABEL_SUFFIX = "__label"
SHOW_SUFFIX = "__show"
FACET_ATTRS = ("data-facet", "data-display-rules", "data-option-shows")


class SuggestionInput(forms.Widget):
    """A search box whose suggestions come from the provider (a combobox, driven by
    ``static/js/typeahead.js``): the label typed or picked is shown, the picked option's key
    travels in a hidden input, and the facets that option reveals in another."""

    template_name = "campaigns/wizard/suggestion_input.html"

    def format_value(self, value):
        if isinstance(value, dict):
            return value
        return {"key": value or "", "label": value or "", "show": []}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        picked = context["widget"]["value"] or {}
        attrs = context["widget"]["attrs"]
        # The hidden key input is what display rules and dependent fields read.
        facet_attrs = {name: attrs.pop(name) for name in FACET_ATTRS if name in attrs}
        context["widget"].update(
            {
                "key": picked.get("key") or "",
                "label": picked.get("label") or "",
                "show": json.dumps(list(picked.get("show") or [])),
                "label_name": name + LABEL_SUFFIX,
                "show_name": name + SHOW_SUFFIX,
                "facet_attrs": facet_attrs,
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        try:
            show = json.loads(data.get(name + SHOW_SUFFIX) or "[]")
        except ValueError:
            show = []
        return {
            "key": str(data.get(name) or "").strip(),
            "label": str(data.get(name + LABEL_SUFFIX) or "").strip(),
            "show": [str(item) for item in show] if isinstance(show, list) else [],
        }

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + LABEL_SUFFIX not in data


class SuggestionField(forms.Field):
    """Accepts only a picked suggestion: typed text that was never picked is an error."""

    widget = SuggestionInput

    def to_python(self, value):
        if not isinstance(value, dict):
            value = {"key": str(value or ""), "label": str(value or ""), "show": []}
        if not value.get("key"):
            if value.get("label"):
                raise ValidationError(
                    _("Pick one of the suggestions: typing a value is not enough."),
                    code="not_picked",
                )
            return ""
        return {
            "key": value["key"],
            "label": value.get("label") or value["key"],
            "show": value.get("show") or [],
        }


# --- checks ----------------------------------------------------------------------------------


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


def _is_number(value: str) -> bool:
    value = value.strip()
    if not value or not FLOAT_RE.match(value) or value in {"+", "-", "."}:
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def check_value(facet: Facet, value) -> list[str]:
    """The rule violations of one non-empty value, as messages."""
    if isinstance(value, dict):  # a picked suggestion: the provider's own key
        return []
    problems: list[str] = []
    items = value if isinstance(value, list) else None
    if facet.type in (FacetType.TEXTEXPAND, FacetType.QUESTIONNAIRE):
        items = lines(value)
    single = None if items is not None else str(value)
    for rule in facet.rules:
        limit = _int_data(rule.data)
        match rule.rule:
            case RuleKind.MAXLENGTH if single is not None and limit is not None:
                if len(single) > limit:
                    problems.append(
                        _("Use at most %(limit)d characters (now %(count)d).")
                        % {"limit": limit, "count": len(single)}
                    )
            case RuleKind.MINLENGTH if single is not None and limit is not None:
                if len(single) < limit:
                    problems.append(_("Use at least %(limit)d characters.") % {"limit": limit})
            case RuleKind.MAXITEMS if items is not None and limit is not None:
                if len(items) > limit:
                    problems.append(_("Choose at most %(limit)d.") % {"limit": limit})
            case RuleKind.MINITEMS if items is not None and limit is not None:
                if len(items) < limit:
                    problems.append(_("Choose at least %(limit)d.") % {"limit": limit})
            case RuleKind.INT if single is not None:
                if not INT_RE.match(single.strip()):
                    problems.append(_("Enter a whole number."))
            case RuleKind.FLOAT if single is not None:
                if not _is_number(single):
                    problems.append(_("Enter a number."))
            case RuleKind.REGEX if single is not None:
                pattern = _compile_regex(rule.data)
                if pattern is not None and not pattern.search(single):
                    problems.append(_("Enter a value in the expected format."))
            case RuleKind.EMAIL if single is not None:
                try:
                    EmailValidator()(single)
                except ValidationError:
                    problems.append(_("Enter a valid email address."))
            case RuleKind.URL if single is not None:
                try:
                    URLValidator(schemes=["http", "https"])(single)
                except ValidationError:
                    problems.append(_("Enter a valid URL starting with http:// or https://."))
    return problems


# --- fields ----------------------------------------------------------------------------------


def _attrs(facet: Facet) -> dict:
    attrs = {"data-facet": facet.name}
    if facet.display_rules:
        attrs["data-display-rules"] = json.dumps([c.to_dict() for c in facet.display_rules])
    shows = {option.key: option.show for option in facet.options if option.show}
    if shows:
        attrs["data-option-shows"] = json.dumps(shows)
    return attrs


def facet_field(facet: Facet) -> forms.Field | None:
    """The form field for a facet (None for display-only text). Every field is optional for
    Django: whether it is required depends on the display rules, checked in clean()."""
    common = {"label": facet.label, "required": False, "help_text": facet.message}
    attrs = _attrs(facet)
    if not facet.takes_value:
        return None
    if facet.options_on_demand:
        help_text = facet.message or gettext_lazy("Start typing, then pick a suggestion.")
        if facet.autocomplete and not facet.autocomplete.typed:
            help_text = facet.message or gettext_lazy("Open the list, then pick a suggestion.")
        return SuggestionField(**{**common, "help_text": help_text}, widget=SuggestionInput(attrs))
    match facet.type:
        case FacetType.SELECT:
            return forms.ChoiceField(
                **common,
                choices=[("", "—")] + [(o.key, o.label) for o in facet.options],
                initial=next((o.key for o in facet.options if o.default), ""),
                widget=forms.Select(attrs=attrs),
            )
        case FacetType.HIER:
            return forms.ChoiceField(
                **common,
                choices=[("", "—"), *hier_paths(facet).items()],
                widget=forms.Select(attrs=attrs),
            )
        case FacetType.MULTIPLE:
            return forms.MultipleChoiceField(
                **common,
                choices=[(o.key, o.label) for o in facet.options],
                initial=[o.key for o in facet.options if o.default],
                widget=forms.CheckboxSelectMultiple(attrs=attrs),
            )
        case FacetType.DATE:
            return forms.DateField(
                **common,
                widget=forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d"),
            )
        case FacetType.AREACOUNT:
            return forms.IntegerField(
                **common, min_value=0, widget=forms.NumberInput(attrs={"step": "1", **attrs})
            )
        case FacetType.TEXTAREA:
            widget = forms.Textarea(attrs={"rows": 3, **attrs})
        case FacetType.HTMLAREA:
            widget = forms.Textarea(attrs={"rows": 5, **attrs})
            common["help_text"] = facet.message or gettext_lazy(
                "Basic formatting (paragraphs, lists, bold)."
            )
        case FacetType.TEXTEXPAND:
            widget = forms.Textarea(attrs={"rows": 3, **attrs})
            common["help_text"] = " ".join(filter(None, [facet.message, _("One entry per line.")]))
        case FacetType.QUESTIONNAIRE:
            widget = forms.Textarea(attrs={"rows": 4, **attrs})
            common["help_text"] = " ".join(
                filter(
                    None, [facet.message, _("One question per line; candidates answer in words.")]
                )
            )
        case _ if facet.options:  # an undocumented type with options: offer them
            return forms.ChoiceField(
                **common,
                choices=[("", "—")] + [(o.key, o.label) for o in facet.options],
                widget=forms.Select(attrs=attrs),
            )
        case _:
            widget = forms.TextInput(attrs=attrs)
    return forms.CharField(**common, widget=widget, strip=True)


class RequirementsForm(forms.Form):
    """One board's posting requirements. ``native_values()`` gives the JSON-ready values
    kept in the draft; hidden facets are neither required nor kept.

    The same form sets a contract's default values (``enforce_required=False``: a default
    is never required). ``from_default`` names the fields whose value is the contract's
    default, which the field template marks."""

    def __init__(
        self,
        *args,
        facets: list[Facet],
        contract,
        feed_url: str = "",
        enforce_required: bool = True,
        from_default: set[str] = frozenset(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.facets = facets
        self.contract = contract
        self.feed_url = feed_url
        self.enforce_required = enforce_required
        self.from_default = from_default
        self.static_notes = [facet for facet in facets if not facet.takes_value]
        for facet in facets:
            form_field = facet_field(facet)
            if form_field is not None:
                form_field.facet = facet
                form_field.marked_required = facet.required and enforce_required
                self.fields[facet.name] = form_field

    def clean(self):
        cleaned = super().clean()
        native = {name: native_value(value) for name, value in cleaned.items()}
        # A value that did not convert (a typed but unpicked suggestion) still decides what
        # is shown: keep what was typed for the display rules.
        shown = visible_names(self.facets, native)
        for facet in self.facets:
            if facet.name not in self.fields:
                continue
            if facet.name not in shown:
                native.pop(facet.name, None)
                self.errors.pop(facet.name, None)
                continue
            if facet.name in self.errors:
                continue
            value = native.get(facet.name)
            if facet.type == FacetType.HTMLAREA and value:
                value = native[facet.name] = nh3.clean(str(value), tags=HTML_TAGS).strip()
            if facet.type in (FacetType.TEXTEXPAND, FacetType.QUESTIONNAIRE) and value:
                value = native[facet.name] = "\n".join(lines(value))
            if is_empty_value(value) and value != 0:
                native.pop(facet.name, None)
                if facet.required and self.enforce_required:
                    self.add_error(facet.name, _("This field is required by the job board."))
                continue
            for problem in check_value(facet, value):
                self.add_error(facet.name, problem)
        self._native = native
        return cleaned

    def native_values(self) -> dict:
        return dict(self._native)

    def raw_values(self) -> dict:
        """What was typed, valid or not, as the draft keeps it (nothing typed is lost)."""
        values = {}
        for name, form_field in self.fields.items():
            raw = form_field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
            if isinstance(raw, dict):
                raw = raw if (raw.get("key") or raw.get("label")) else None
            if raw not in (None, "", []):
                values[name] = raw
        return values


def needs_typing(autocomplete) -> bool:
    """The person types the term (the guides' pattern 2); with no required parameter
    (pattern 1) or a term taken from other fields (patterns 3 and 4) nothing is typed."""
    return autocomplete.typed and bool(autocomplete.required_parameters)


def connect_suggestions(form: RequirementsForm, *, url: str, extra: dict) -> None:
    """Point the form's suggestion fields at ``url`` (an htmx partial), which receives
    ``extra`` and the field's facet name; a dependent field also sends the values of the
    fields its options depend on (the guides' ``parameters_source``)."""
    for name, form_field in form.fields.items():
        if not form_field.facet.options_on_demand:
            continue
        autocomplete = form_field.facet.autocomplete
        depends = [f"[name='{form.add_prefix(other)}']" for other in autocomplete.depends_on]
        form_field.widget.attrs.update(
            {
                "hx-get": url,
                # Options that need no typed term are offered as soon as the box has the
                # focus.
                "hx-trigger": "input changed delay:300ms, search"
                + ("" if needs_typing(autocomplete) else ", focus"),
                "hx-vals": json.dumps({**extra, "facet": name}),
                "data-depends-on": " ".join(autocomplete.depends_on),
            }
        )
        if depends:
            form_field.widget.attrs["hx-include"] = ", ".join(depends)


def native_value(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is None:
        return ""
    return value


def initial_from_native(facets: list[Facet], native: dict) -> dict:
    """Form initial values from the draft's native values."""
    return {facet.name: native[facet.name] for facet in facets if facet.name in native}
