"""A board's posting requirements ("facets"), the one model of them in Jobcast.

The provider describes every field a board needs beyond the vacancy as a facet
(``07-posting-requirements/facets*.md`` in its guides): a type, options, validation rules,
display rules that show or hide it depending on other facets, and an autocomplete
configuration for options fetched on demand. ``Facet.from_dict`` reads every documented
spelling of one (the channel details, a contract, and what we stored from either);
``Facet.to_dict`` writes the provider's own shape, so what a contract stores reads back the
same. ``visible_facet_names`` evaluates the display rules as the guides' pseudocode does.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from distribution.values import flag, number, text, web_url


class FacetType(StrEnum):
    """Every facet type the guides list (``facets.md``: "all 12 types")."""

    TEXT = "TEXT"
    TEXTAREA = "TEXTAREA"
    HTMLAREA = "HTMLAREA"
    TEXTEXPAND = "TEXTEXPAND"  # a JSON-encoded list of strings, sent as a string
    SELECT = "SELECT"
    MULTIPLE = "MULTIPLE"  # a list of option keys
    HIER = "HIER"  # a tree of options; only leaves may be chosen
    AUTOCOMPLETE = "AUTOCOMPLETE"
    DATE = "DATE"  # formatted as the facet's ``date`` rule says (``Y-m-d``, ``d.m.Y``)
    STATISCH = "STATISCH"  # display-only text: never sent
    AREACOUNT = "AREACOUNT"  # a whole number sent as a string ("3")
    QUESTIONNAIRE = "QUESTIONNAIRE"  # screening questions, sent as a JSON string


class DisplayOperator(StrEnum):
    """Every display-rule operator the guides list (``facets-display-rules.md``)."""

    EQUAL = "equal"
    IN = "in"
    NOTEMPTY = "notempty"
    CONTAINS = "contains"
    SELECTED_OPTION_SHOW_CONTAINS = "selected_option_show_contains"


class RuleKind(StrEnum):
    """Validation rules; ``FacetRule.data`` carries the argument as a string."""

    MAXLENGTH = "maxlength"
    MINLENGTH = "minlength"
    MAXITEMS = "maxitems"
    MINITEMS = "minitems"
    INT = "int"
    FLOAT = "float"
    REGEX = "regex"  # with PHP-style delimiters and flags: "/^[a-z]{2}$/i"
    DATE = "date"  # the format: "Y-m-d", "d.m.Y"
    EMAIL = "email"
    URL = "url"


@dataclass(frozen=True)
class FacetOption:
    """One choice. ``show`` names the facets revealed when it is selected (read by the
    ``selected_option_show_contains`` operator); ``requires`` names the vacancy fields
    (``applicationUrl``, ``contactInfo.emailAddress``, ...) the board then insists on."""

    key: str
    label: str
    sort: str = ""
    default: bool = False
    parent: str | None = None  # HIER only: the key of the parent option
    show: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    description: str = ""  # from the option's ``data``, e.g. what an ad tier includes
    image_url: str = ""  # from the option's ``data`` (http/https only)

    @classmethod
    def from_dict(cls, data: Mapping) -> "FacetOption":
        if not isinstance(data, Mapping):
            raise ValueError(f"an option must be an object, not {type(data).__name__}")
        if data.get("key") in (None, ""):
            raise ValueError("an option has no key")
        key = text(data["key"])
        parent = data.get("parent")
        description, image_url = _option_data(data.get("data"))
        return cls(
            key=key,
            label=text(data.get("label")) or key,
            sort=text(data.get("sort")),
            default=flag(data.get("default")),
            parent=None if parent in (None, "") else text(parent),
            show=[text(name) for name in _list(data.get("show"), "show")],
            requires=[_required_field(item) for item in _list(data.get("requires"), "requires")],
            description=description,
            image_url=image_url,
        )

    def to_dict(self) -> dict:
        data: dict = {
            "key": self.key,
            "label": self.label,
            "sort": self.sort,
            "default": self.default,
            "parent": self.parent,
        }
        if self.show:
            data["show"] = list(self.show)
        if self.requires:
            data["requires"] = [{"field": {"name": name}} for name in self.requires]
        extra = {}
        if self.description:
            extra["description"] = self.description
        if self.image_url:
            extra["image"] = {"src": self.image_url}
        if extra:
            data["data"] = extra
        return data


@dataclass(frozen=True)
class FacetRule:
    rule: str  # a RuleKind value (an undocumented rule is kept, and ignored by forms)
    data: str = ""

    @classmethod
    def from_dict(cls, data: Mapping) -> "FacetRule":
        if not isinstance(data, Mapping) or not data.get("rule"):
            raise ValueError("a validation rule has no 'rule'")
        return cls(rule=text(data["rule"]).lower(), data=text(data.get("data")))

    def to_dict(self) -> dict:
        return {"rule": self.rule, "data": self.data}


@dataclass(frozen=True)
class DisplayCondition:
    """Show the facet only while facet ``facet`` satisfies ``op`` (with ``value``)."""

    facet: str
    op: str  # a DisplayOperator value; an undocumented one never holds
    value: object = None

    @classmethod
    def from_dict(cls, data: Mapping) -> "DisplayCondition":
        if not isinstance(data, Mapping) or not data.get("facet") or not data.get("op"):
            raise ValueError("a display rule needs 'facet' and 'op'")
        return cls(facet=text(data["facet"]), op=text(data["op"]), value=data.get("value"))

    def to_dict(self) -> dict:
        return {"facet": self.facet, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class TermSource:
    """Where one autocomplete term comes from: another facet's value, or a vacancy field
    (``title``, ...)."""

    facet: str = ""
    field: str = ""

    def to_dict(self) -> dict:
        return {"facet": self.facet} if self.facet else {"field": self.field}


@dataclass(frozen=True)
class Autocomplete:
    """How a facet's options are fetched (``autocomplete.md``). Without term sources the
    person types the term; with them (dependent facets) the term is the current value of
    the facets (or vacancy fields) named, in order, sent as a list when the provider lists
    several sources."""

    required_parameters: list[str] | None = None
    term_sources: list[TermSource] = field(default_factory=list)
    term_is_list: bool = False

    @classmethod
    def from_value(cls, value) -> "Autocomplete | None":
        if value is None or value is False:
            return None
        if value is True:  # what Jobcast stored before it kept the configuration
            return cls()
        if not isinstance(value, Mapping):
            raise ValueError(f"autocomplete must be an object or null, not {type(value).__name__}")
        required = value.get("required_parameters")
        if required is not None:
            required = [text(item) for item in _list(required, "required_parameters")]
        sources = (value.get("parameters_source") or {}).get("term")
        term_is_list = isinstance(sources, list)
        return cls(
            required_parameters=required,
            term_sources=[_term_source(item) for item in (sources if term_is_list else [sources])]
            if sources
            else [],
            term_is_list=term_is_list,
        )

    def to_dict(self) -> dict:
        if not self.term_sources:
            source = None
        elif self.term_is_list:
            source = {"term": [item.to_dict() for item in self.term_sources]}
        else:
            source = {"term": self.term_sources[0].to_dict()}
        return {"required_parameters": self.required_parameters, "parameters_source": source}

    @property
    def depends_on(self) -> list[str]:
        """The facets whose values this facet's options depend on."""
        return [source.facet for source in self.term_sources if source.facet]

    @property
    def typed(self) -> bool:
        """The person types the search term (no facet or vacancy field supplies it)."""
        return not self.term_sources

    def term(
        self,
        *,
        typed: str = "",
        values: Mapping[str, object] | None = None,
        vacancy: Mapping[str, object] | None = None,
    ) -> str | list[str] | None:
        """The ``term`` to send, or None while a value it depends on is still empty (the
        guides: every referenced facet must be resolved before calling)."""
        if self.typed:
            return typed
        values, vacancy = values or {}, vacancy or {}
        terms = []
        for source in self.term_sources:
            value = values.get(source.facet) if source.facet else vacancy.get(source.field)
            if is_empty_value(value):
                return None
            terms.append(value if isinstance(value, str) else text(value))
        return terms if self.term_is_list else terms[0]


@dataclass(frozen=True)
class Facet:
    """One posting requirement of a board. ``type`` is a FacetType member for the documented
    types; an undocumented type is kept as the provider spelled it (``is_documented_type``)
    so that a form can still offer a text input rather than refusing the whole board."""

    name: str
    label: str
    type: str
    sort: str = ""
    required: bool = False
    message: str = ""
    options: list[FacetOption] = field(default_factory=list)
    rules: list[FacetRule] = field(default_factory=list)
    autocomplete: Autocomplete | None = None
    display_rules: list[DisplayCondition] = field(default_factory=list)
    primary_taxonomy: str = ""

    @classmethod
    def from_dict(cls, data: Mapping) -> "Facet":
        """Read a facet in the provider's shape, or as Jobcast stored it. Raises ValueError
        naming what is wrong when it is not a facet at all."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a facet must be an object, not {type(data).__name__}")
        name = text(data.get("name")).strip()
        if not name:
            raise ValueError("a facet has no name")
        raw_type = text(data.get("type") or FacetType.TEXT).strip().upper()
        try:
            facet_type: str = FacetType(raw_type)
        except ValueError:
            facet_type = raw_type
        try:
            return cls(
                name=name,
                label=text(data.get("label")) or name,
                type=facet_type,
                sort=text(data.get("sort")),
                required=flag(data.get("required")),
                message=text(data.get("message")),
                options=[FacetOption.from_dict(o) for o in _list(data.get("options"), "options")],
                rules=[FacetRule.from_dict(r) for r in _list(data.get("rules"), "rules")],
                autocomplete=Autocomplete.from_value(data.get("autocomplete")),
                display_rules=[
                    DisplayCondition.from_dict(c) for c in _conditions(data.get("display_rules"))
                ],
                primary_taxonomy=text(data.get("primary_taxonomy")),
            )
        except ValueError as error:
            raise ValueError(f"facet {name!r}: {error}") from None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "type": str(self.type),
            "sort": self.sort,
            "required": self.required,
            "message": self.message,
            "options": [option.to_dict() for option in self.options],
            "rules": [rule.to_dict() for rule in self.rules],
            "autocomplete": self.autocomplete.to_dict() if self.autocomplete else None,
            "display_rules": (
                {"show": [c.to_dict() for c in self.display_rules]} if self.display_rules else None
            ),
            "primary_taxonomy": self.primary_taxonomy,
        }

    @property
    def is_documented_type(self) -> bool:
        return isinstance(self.type, FacetType)

    @property
    def takes_value(self) -> bool:
        """STATISCH is display-only text: never part of what is sent."""
        return self.type != FacetType.STATISCH

    @property
    def options_on_demand(self) -> bool:
        """Options must be fetched from the autocomplete endpoint before anyone can choose
        (an AUTOCOMPLETE facet, or a lazy-loaded SELECT/HIER with an empty option list)."""
        return self.autocomplete is not None and (
            self.type == FacetType.AUTOCOMPLETE or not self.options
        )

    @property
    def sort_key(self) -> int:
        return number(self.sort)

    def rule(self, kind: str) -> str | None:
        """The argument of the first rule of this kind, or None without such a rule."""
        return next((r.data for r in self.rules if r.rule == kind), None)

    def leaves(self) -> list[FacetOption]:
        """The options a person may choose: for HIER only the leaves (options that are no
        other option's parent), for the other types every option."""
        if self.type != FacetType.HIER:
            return list(self.options)
        parents = {option.parent for option in self.options if option.parent}
        return [option for option in self.options if option.key not in parents]


def facets_from_list(items) -> list[Facet]:
    """A list of facets in display order (``sort`` first, then as given)."""
    facets = [Facet.from_dict(item) for item in _list(items, "posting requirements")]
    return sorted(facets, key=lambda f: f.sort_key)


# --- display rules ---------------------------------------------------------------------------


def is_empty_value(value) -> bool:
    """What the guides call empty: null, "", 0, [] and {} (the string "0" is not empty)."""
    if isinstance(value, bool):
        return False
    return value is None or value == "" or value == 0 or value == [] or value == {}


def condition_holds(
    condition: DisplayCondition,
    *,
    facet_name: str,
    value,
    options: Sequence[FacetOption] = (),
) -> bool:
    """One display condition, for the referenced facet's current ``value`` (and its
    options, which ``selected_option_show_contains`` reads)."""
    expected = condition.value
    scalar = value is not None and not isinstance(value, list | dict)
    match condition.op:
        case DisplayOperator.EQUAL:
            return scalar and text(value) == text(expected)
        case DisplayOperator.IN:
            candidates = expected if isinstance(expected, list) else [expected]
            return scalar and text(value) in [text(item) for item in candidates]
        case DisplayOperator.NOTEMPTY:
            return not is_empty_value(value)
        case DisplayOperator.CONTAINS:
            if isinstance(value, list):
                return text(expected) in [text(item) for item in value]
            return scalar and text(value) == text(expected)
        case DisplayOperator.SELECTED_OPTION_SHOW_CONTAINS:
            if isinstance(value, list):
                selected = {text(item) for item in value}
            elif scalar:
                selected = {text(value)}
            else:
                return False
            return any(facet_name in option.show for option in options if option.key in selected)
    return False


def visible_facet_names(
    facets: Sequence[Facet],
    values: Mapping[str, object],
    *,
    loaded_options: Mapping[str, Sequence[FacetOption]] | None = None,
) -> set[str]:
    """Names of the facets shown for these values: every condition of a facet must hold
    (AND), and a facet hidden by its own rules counts as empty for the facets that depend on
    it (cascading). ``loaded_options`` holds options fetched by autocomplete, whose ``show``
    lists ``selected_option_show_contains`` needs."""
    by_name = {facet.name: facet for facet in facets}
    loaded = loaded_options or {}
    decided: dict[str, bool] = {}

    def shown(facet: Facet, path: frozenset[str]) -> bool:
        if facet.name in decided:
            return decided[facet.name]
        result = True
        for condition in facet.display_rules:
            referenced = by_name.get(condition.facet)
            value = values.get(condition.facet)
            if referenced is not None and (
                referenced.name in path or not shown(referenced, path | {referenced.name})
            ):
                value = None  # hidden (or a cycle): it has no value
            options = loaded.get(condition.facet) or (referenced.options if referenced else [])
            if not condition_holds(condition, facet_name=facet.name, value=value, options=options):
                result = False
                break
        decided[facet.name] = result
        return result

    return {facet.name for facet in facets if shown(facet, frozenset({facet.name}))}


# --- reading helpers ----------------------------------------------------------------------------


def _list(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list, not {type(value).__name__}")
    return value


def _conditions(value) -> list:
    """``{"show": [...]}`` as the provider sends it, or the bare list Jobcast once stored."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return _list(value.get("show"), "display_rules.show")
    return _list(value, "display_rules")


def _required_field(item) -> str:
    """``{"field": {"name": "applicationUrl"}}`` → ``applicationUrl``."""
    if isinstance(item, Mapping) and isinstance(item.get("field"), Mapping):
        name = text(item["field"].get("name"))
        if name:
            return name
    if isinstance(item, str) and item:
        return item
    raise ValueError("an option's 'requires' entry names no field")


def _term_source(item) -> TermSource:
    if isinstance(item, Mapping) and (item.get("facet") or item.get("field")):
        return TermSource(facet=text(item.get("facet")), field=text(item.get("field")))
    raise ValueError("an autocomplete term source names neither a facet nor a field")


def _option_data(data) -> tuple[str, str]:
    """(description, image URL) from an option's free-form ``data``: an object with a
    ``description`` (ad tiers) or a list of ``{"image": {"src": ...}}`` entries."""
    description = image = ""
    entries = data if isinstance(data, list) else [data] if isinstance(data, Mapping) else []
    for entry in entries:
        if not isinstance(entry, Mapping):
            continue
        description = description or text(entry.get("description"))
        picture = entry.get("image")
        if isinstance(picture, Mapping):
            image = image or web_url(picture.get("src"))
    return description, image
