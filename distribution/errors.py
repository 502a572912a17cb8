"""Our own exception types for everything that can go wrong when calling the provider.

Callers catch these, never ``requests`` exceptions. Each carries ``message``: a sentence a
person can act on, safe to show (it never contains credentials or the request body).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ProviderError(Exception):
    """Base class: something went wrong talking to the job distribution provider."""

    #: Whether trying the same call again later may succeed.
    retryable = False
    #: The provider's HTTP status, when it answered at all.
    status: int | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProviderUnavailable(ProviderError):
    """A 5xx answer, a timeout or a connection error: the outcome of a write is unknown,
    unless ``never_sent`` (no connection was ever made: the provider cannot have seen it)."""

    retryable = True

    def __init__(self, message: str, *, never_sent: bool = False):
        super().__init__(message)
        self.never_sent = never_sent


class ProviderRateLimited(ProviderError):
    """Over the shared call budget (our limiter or the provider's 429)."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float):
        super().__init__(message)
        self.retry_after = max(0.0, float(retry_after))


class ProviderRejected(ProviderError):
    """The provider refused the request (4xx): ``field_errors`` mirrors its error body,
    keyed by the provider's field names, nested like the request (lists by position)."""

    def __init__(self, message: str, *, field_errors: dict | None = None, status: int = 400):
        super().__init__(message)
        self.field_errors = field_errors or {}
        self.status = status

    def flat_errors(self) -> dict[str, list[str]]:
        """``{"postingDetails.title": [...], "orderedProductsSpecs.1.postingRequirements.x":
        [...]}``; errors not tied to a field are under ``""``."""
        return flatten_field_errors(self.field_errors)


class ProviderNotFound(ProviderRejected):
    """404: the id is unknown to the provider (or belongs to another customer)."""


class ProviderForbidden(ProviderRejected):
    """403: e.g. a missing customer id, or contracts from different groups in one order."""


class ProviderAuthenticationError(ProviderError):
    """401: the partner token is missing or wrong (a configuration problem, not the user's)."""


class ProviderProtocolError(ProviderError):
    """The provider answered something we cannot understand: not JSON, or JSON that fits
    none of the documented variants of that answer. ``endpoint`` names the call
    (``GET /contracts/single/{contract_id}/``) and ``expected`` what would have fitted, so
    that the sentence shown and the line logged say where to look."""

    retryable = True

    def __init__(self, message: str, *, endpoint: str = "", expected: str = ""):
        super().__init__(message)
        self.endpoint = endpoint
        self.expected = expected


NON_FIELD_KEYS = frozenset(
    {"detail", "error", "non_field_errors", "requestBody", "authentication", "message"}
)


# The provider reports a board's posting requirement errors as "<facet>: <message>" strings
# (its OpenAPI document types them as a list of strings); we key them by facet name.
_NAMED_MESSAGE = re.compile(r"^(?P<name>[\w.\-\[\]]+): (?P<message>.+)$", re.DOTALL)
NAMED_MESSAGE_KEYS = frozenset({"postingRequirements"})


# Keys of the validation envelope (``{errors, has_errors, errorDetails, status_code}``) that
# ``validate-campaign`` and ``?validateOnly=true`` answer: never errors themselves.
ENVELOPE_KEYS = frozenset({"has_errors", "status_code", "errorDetails"})

# Sentences for the ``code`` of an ``errorDetails`` entry that comes without a message.
DETAIL_CODES = {
    "required": gettext_lazy("This field is required."),
    "blank": gettext_lazy("This field may not be blank."),
    "null": gettext_lazy("This field may not be empty."),
    "invalid": gettext_lazy("This value is not valid."),
    "invalid_choice": gettext_lazy("This is not one of the allowed choices."),
    "does_not_exist": gettext_lazy("This item does not exist."),
    "unique": gettext_lazy("This value is already in use."),
    "max_length": gettext_lazy("This value is too long."),
    "min_length": gettext_lazy("This value is too short."),
}


def normalize_field_errors(body) -> dict:
    """Provider error bodies in one shape: leaves become lists of strings, dicts stay dicts,
    lists of dicts (positional errors) stay lists of dicts. Nesting is preserved.

    - ``postingRequirements: ["location: ..."]`` becomes ``{"location": ["..."]}``;
    - a validation envelope ``{"errors": {...}, "has_errors": true}`` gives its ``errors``;
    - the guides' ``errorDetails`` list (``{path, code, message}``) becomes messages at their
      paths, unless the same message is already there: never "errorDetails.0.code"."""
    if isinstance(body, dict):
        details = body.get("errorDetails")
        if "has_errors" in body and isinstance(body.get("errors"), dict | type(None)):
            body = body.get("errors") or {}
        normalized = {}
        for key, value in body.items():
            if key in ENVELOPE_KEYS:
                continue
            if key in NAMED_MESSAGE_KEYS and isinstance(value, list):
                value = _named_messages(value)
            normalized[str(key)] = _normalize_value(value)
        if isinstance(details, list):
            _merge_error_details(normalized, details)
        return normalized
    if body in (None, "", [], {}):
        return {}
    return {"": _normalize_value(body)}


def _merge_error_details(normalized: dict, details: list) -> None:
    known = flatten_field_errors(normalized)
    for detail in details:
        if not isinstance(detail, dict):
            continue
        path = _detail_path(detail.get("path"))
        message = str(detail.get("message") or "").strip()
        if not message:
            code = str(detail.get("code") or "").strip()
            message = str(DETAIL_CODES.get(code, DETAIL_CODES["invalid"]))
        if message in known.get(path, []):
            continue
        known.setdefault(path, []).append(message)
        normalized.setdefault(path, [])
        if isinstance(normalized[path], list) and all(
            isinstance(item, str) for item in normalized[path]
        ):
            normalized[path].append(message)
        else:  # the path names a nested object: keep the message beside it
            normalized.setdefault("", []).append(message)


def _detail_path(value) -> str:
    """``orderedProductsSpecs[0].postingRequirements.location`` and the dotted form both
    become the dotted form ``flatten_field_errors`` uses; non-field paths become ``""``."""
    path = re.sub(r"\[(\d+)\]", r".\1", str(value or "")).strip(".")
    return "" if path in NON_FIELD_KEYS else path


def _named_messages(messages: list):
    named: dict[str, list] = {}
    for message in messages:
        match = _NAMED_MESSAGE.match(message) if isinstance(message, str) else None
        if match is None:
            return messages  # not all of them name a field: keep the list as it is
        named.setdefault(match["name"], []).append(match["message"])
    return named


def _normalize_value(value):
    if isinstance(value, dict):
        return normalize_field_errors(value)
    if isinstance(value, list):
        if any(isinstance(item, dict) for item in value):
            return [
                normalize_field_errors(item) if isinstance(item, dict) else {} for item in value
            ]
        return [str(item) for item in value]
    return [str(value)]


def flatten_field_errors(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = "" if key in NON_FIELD_KEYS or key == "" else key
        path = ".".join(part for part in (prefix, name) if part)
        if isinstance(value, dict):
            for sub, messages in flatten_field_errors(value, path).items():
                flat.setdefault(sub, []).extend(messages)
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for index, item in enumerate(value):
                for sub, messages in flatten_field_errors(item, f"{path}.{index}").items():
                    flat.setdefault(sub, []).extend(messages)
        elif isinstance(value, list):
            flat.setdefault(path, []).extend(str(item) for item in value)
        else:
            flat.setdefault(path, []).append(str(value))
    return flat


def describe_field_errors(errors: dict, limit: int = 5) -> str:
    parts = []
    for path, messages in flatten_field_errors(errors).items():
        text = " ".join(messages)
        parts.append(f"{path}: {text}" if path else text)
    if len(parts) > limit:
        parts = [*parts[:limit], _("and %(count)d more") % {"count": len(parts) - limit}]
    return "; ".join(parts)
