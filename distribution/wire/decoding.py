"""Shared pieces of the decoders: the shape error and readers of the provider's containers."""

from collections.abc import Mapping
from datetime import UTC, datetime


class ShapeError(ValueError):
    """An answer (or a part of one) that fits no documented variant. ``expected`` says, in
    a few words, what would have fitted; the client adds the endpoint."""

    def __init__(self, problem: str, *, expected: str = ""):
        super().__init__(problem)
        self.expected = expected


def require_object(data, what: str) -> Mapping:
    if not isinstance(data, Mapping):
        raise ShapeError(f"{what} is {_kind(data)}", expected=f"{what} as a JSON object")
    return data


def require_list(data, what: str) -> list:
    if not isinstance(data, list):
        raise ShapeError(f"{what} is {_kind(data)}", expected=f"{what} as a JSON list")
    return data


def field(data: Mapping, name: str, what: str):
    """A required field: missing or null is a shape error naming it."""
    value = data.get(name)
    if value is None or value == "":
        raise ShapeError(f"{what} has no {name!r}", expected=f"{what} with {name!r}")
    return value


def page_items(data, what: str) -> tuple[list, int | None, bool]:
    """The items of a list answer that comes either as a bare list (the guides' examples
    for several endpoints) or as a Django REST framework page ``{count, next, results}``;
    with the total count and whether a next page exists, when the answer says so."""
    if isinstance(data, list):
        return data, None, False
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        count = data.get("count")
        return data["results"], count if isinstance(count, int) else None, bool(data.get("next"))
    raise ShapeError(
        f"{what} is {_kind(data)}",
        expected=f"{what} as a list, or a page {{count, next, results}}",
    )


def moment(value) -> datetime | None:
    """An ISO 8601 date-time (``Z`` or an offset; naive means UTC); a date alone is its
    midnight. Absent or unreadable is None: times are informative, never worth an error."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso(value: datetime) -> str:
    """Our times as the provider's filters take them (UTC, milliseconds, ``Z``)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"
