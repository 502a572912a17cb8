"""Tolerant readers for the provider's scalar values.

The provider's two documentation sources disagree on small things (``sort`` is a string in
one example and a number in the next, ``required`` may be ``1``, a missing field and a
``null`` one mean the same): these helpers read every documented spelling of a value and
nothing more. ``web_url`` is the one place where a URL coming from the provider is accepted
or dropped: only absolute ``http``/``https`` addresses survive.
"""

from urllib.parse import urlsplit

FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "none", "null"})


def text(value) -> str:
    """A string; ``None`` (or a missing field) is the empty string."""
    return "" if value is None else str(value)


def flag(value) -> bool:
    """``true``/``false``, ``1``/``0`` and their string forms (the guides: "Values 0/1 are
    equivalent to false/true")."""
    if isinstance(value, str):
        return value.strip().lower() not in FALSE_WORDS
    return bool(value)


def number(value, default: int = 0) -> int:
    """An integer from an int, a float or a numeric string (``"1"``, ``"2.0"``); anything
    else is ``default``. Used for display orders, which the provider sends as strings."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        return default


def web_url(value) -> str:
    """``value`` if it is an absolute http(s) URL, else ``""``: a ``javascript:``, ``data:``
    or relative address from the provider never reaches a link or an image on our pages."""
    if not isinstance(value, str):
        return ""
    candidate = value.strip()
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    if any(ch.isspace() or ord(ch) < 32 for ch in candidate):
        return ""
    return candidate
