"""Posting requirements ("facets"): rendering, autocomplete and server-side validation.

The facet sets themselves are in ``facet_sets``. Validation follows the provider's guide:
hidden facets (display rules: all conditions must hold) are skipped even when required,
``STATISCH`` facets are never checked, ``TEXTEXPAND`` values are JSON-encoded string lists.
"""

import ipaddress
import json
import re
from datetime import datetime
from urllib.parse import urlsplit

from .facet_sets import SOURCES
from .i18n import msg, text


def render(facets: list[dict], lang: str) -> list[dict]:
    out = []
    for f in facets:
        item = {k: v for k, v in f.items() if k != "source"}
        item["label"] = text(f["label"], lang)
        item["message"] = text(f["message"], lang)
        item["options"] = [render_option(o, i, lang) for i, o in enumerate(f["options"])]
        out.append(item)
    return out


def render_option(option: dict, index: int, lang: str) -> dict:
    rendered = {
        "key": option["key"],
        "label": text(option["label"], lang),
        "sort": str(index),
        "default": option.get("default"),
        "parent": option.get("parent"),
    }
    if option.get("show"):
        rendered["show"] = list(option["show"])
    return rendered


def option_list(f: dict) -> list[dict]:
    return SOURCES[f["source"]] if f.get("source") else f["options"]


class TermError(ValueError):
    """The autocomplete request's ``term`` does not fit the facet's configuration."""


def autocomplete(f: dict, term, lang: str, limit: int = 20) -> list[dict]:
    """Options of facet ``f`` for ``term``. A facet whose options depend on other facets
    (``parameters_source``) takes their values as the term, one per source, as a list when
    there are several; its options are those filed under that value (their ``parent``)."""
    config = f.get("autocomplete") or {}
    sources = (config.get("parameters_source") or {}).get("term")
    if sources:
        wanted = len(sources) if isinstance(sources, list) else 1
        terms = term if isinstance(term, list) else [term]
        if len(terms) != wanted or any(not str(t or "").strip() for t in terms):
            raise TermError(
                f"This field depends on {wanted} value(s): send them as the term, in order."
            )
        return _dependent(f, [str(t) for t in terms], lang)[:limit]
    if isinstance(term, list):
        raise TermError("Expected a string.")
    needle = str(term or "").strip().lower()
    if config.get("required_parameters") and not needle:
        raise TermError("This field is required.")
    found = []
    for i, o in enumerate(option_list(f)):
        # Match any language's label: people type the names they know.
        names = (
            [o["key"], *o["label"].values()]
            if isinstance(o["label"], dict)
            else [o["key"], o["label"]]
        )
        if any(needle in name.lower() for name in names):
            found.append(render_option(o, i, lang))
    return found[:limit]


def _dependent(f: dict, terms: list[str], lang: str) -> list[dict]:
    """With one source the options filed under its value; with several, every option
    (they are priced by the combination, which the sandbox does not model)."""
    options = option_list(f)
    if len(terms) == 1:
        options = [o for o in options if o.get("parent") == terms[0]]
    return [render_option(o, i, lang) for i, o in enumerate(options)]


# --- validation ------------------------------------------------------------------------

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INT_RE = re.compile(r"^[+-]?\d+$")
FLOAT_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
DATE_FORMATS = {"Y-m-d": "%Y-%m-%d", "d.m.Y": "%d.%m.%Y", "d/m/Y": "%d/%m/%Y"}


# A host name: dot-separated labels of letters (any script: IDNs) and digits, with hyphens
# or underscores inside (real services accept those in host names).
HOST_RE = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?\.)*[^\W_](?:[\w-]*[^\W_])?\.?$")
# Never in a URL unescaped (RFC 3986); whitespace and control characters neither.
URL_FORBIDDEN_RE = re.compile(r'[\s\x00-\x1f\x7f<>"{}|\\^`]')


def is_url(value: str) -> bool:
    """An absolute http(s) URL with a real host (a name or an IP address) and a valid port,
    as the provider's ``url`` rule checks it: a bare word, another scheme, a host with
    spaces or markup in it is refused."""
    if URL_FORBIDDEN_RE.search(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number below 65536
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme in ("http", "https") and (bool(HOST_RE.match(host)) or _is_ip(host))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def compile_regex(data: str) -> re.Pattern:
    """Rules carry PHP-style patterns with delimiters and flags, e.g. ``/^[a-z]{2}$/i``."""
    flags = 0
    if len(data) >= 2 and data[0] == "/" and data.rfind("/") > 0:
        end = data.rfind("/")
        pattern, modifiers = data[1:end], data[end + 1 :]
        for m in modifiers:
            flags |= {"i": re.I, "m": re.M, "s": re.S, "u": 0, "x": re.X}.get(m, 0)
    else:
        pattern = data
    return re.compile(pattern, flags)


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {} or value == 0


def visible(f: dict, by_name: dict, values: dict, _seen=None) -> bool:
    """All display conditions must hold; a hidden referenced facet counts as empty."""
    rules = f.get("display_rules")
    if not rules:
        return True
    seen = (_seen or set()) | {f["name"]}
    for cond in rules["show"]:
        ref = by_name.get(cond["facet"])
        value = values.get(cond["facet"])
        if ref is not None and ref["name"] not in seen and not visible(ref, by_name, values, seen):
            value = None
        op, expected = cond["op"], cond.get("value")
        if op == "equal":
            ok = value is not None and str(value) == str(expected)
        elif op == "in":
            ok = value is not None and str(value) in [str(x) for x in expected]
        elif op == "notempty":
            ok = not is_empty(value)
        elif op == "contains":
            ok = expected in value if isinstance(value, list) else value == expected
        elif op == "selected_option_show_contains":
            # The selected option (of the referenced facet, loaded or inline) lists this one.
            options = option_list(ref) if ref is not None else []
            ok = any(o["key"] == value and f["name"] in o.get("show", []) for o in options)
        else:
            ok = False
        if not ok:
            return False
    return True


def validate(facets: list[dict], values: dict, lang: str) -> dict[str, list[str]]:
    """Check submitted values against a board's facets; return ``{name: [messages]}``."""
    by_name = {f["name"]: f for f in facets}
    errors: dict[str, list[str]] = {}
    for f in facets:
        if f["type"] == "STATISCH" or not visible(f, by_name, values):
            continue
        value = values.get(f["name"])
        problems = check_value(f, value, lang)
        if problems:
            errors[f["name"]] = problems
    return errors


def check_value(f: dict, value, lang: str) -> list[str]:
    label = text(f["label"], lang)
    if is_empty(value) and value != 0:
        return [msg("facet_required", lang, label=label)] if f["required"] else []
    ftype = f["type"]
    if ftype == "MULTIPLE":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [msg("list", lang)]
        items = value
    elif ftype == "TEXTEXPAND":
        try:
            items = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            return [msg("json_list", lang)]
    elif ftype == "QUESTIONNAIRE":
        # A JSON string of questions: [{"id", "question", "type"[, "answers"]}, ...].
        try:
            questions = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            questions = None
        if not isinstance(questions, list) or not all(
            isinstance(q, dict) and str(q.get("question") or "").strip() for q in questions
        ):
            return [msg("questionnaire", lang)]
        items = questions
    else:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return [msg("string", lang)]
        value = str(value)
        items = [value]
    problems = []
    keys = {o["key"] for o in option_list(f)}
    if ftype in ("SELECT", "MULTIPLE", "AUTOCOMPLETE", "HIER") and keys:
        for item in items:
            if item not in keys:
                problems.append(msg("choice", lang, value=item))
    if ftype == "AREACOUNT" and not INT_RE.match(str(value)):
        problems.append(msg("int", lang))
    if ftype == "HIER" and not problems:
        parents = {o.get("parent") for o in f["options"]}
        if value in parents:
            problems.append(msg("leaf", lang, value=value))
    for rule in f["rules"]:
        problems += _check_rule(rule["rule"], rule["data"], ftype, value, items, lang)
    return problems


def _check_rule(rule: str, data: str, ftype: str, value, items: list, lang: str) -> list[str]:
    texts = items if ftype == "TEXTEXPAND" else [value] if isinstance(value, str) else []
    if rule == "maxlength" and any(len(t) > int(data) for t in texts):
        return [msg("maxlength", lang, n=data)]
    if rule == "minlength" and any(len(t) < int(data) for t in texts):
        return [msg("minlength", lang, n=data)]
    if rule == "maxitems" and len(items) > int(data):
        return [msg("maxitems", lang, n=data)]
    if rule == "minitems" and len(items) < int(data):
        return [msg("minitems", lang, n=data)]
    if rule == "int" and not all(INT_RE.match(t) for t in texts):
        return [msg("int", lang)]
    if rule == "float" and not all(t and FLOAT_RE.match(t) for t in texts):
        return [msg("float", lang)]
    if rule == "regex" and not all(compile_regex(data).search(t) for t in texts):
        return [msg("regex", lang)]
    if rule == "email" and not all(EMAIL_RE.match(t) for t in texts):
        return [msg("email", lang)]
    if rule == "url" and not all(is_url(t) for t in texts):
        return [msg("url", lang)]
    if rule == "date":
        fmt = DATE_FORMATS.get(data, "%Y-%m-%d")
        for t in texts:
            try:
                datetime.strptime(t, fmt)  # noqa: DTZ007 - a calendar date, no zone involved
            except ValueError:
                return [msg("date", lang, fmt=data)]
    return []
