"""Small shared pieces: the API error type, paging helpers and id checks."""

import uuid
from urllib.parse import urlencode

NOT_FOUND = {"detail": "Not found."}
CUSTOMER_ERROR = {"detail": "X-Customer-Id header required"}


class ApiError(Exception):
    """An HTTP error answer: ``status`` plus the JSON ``body`` the provider would send."""

    def __init__(self, status: int, body, headers: dict | None = None):
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = headers or {}


def not_found(**extra) -> ApiError:
    return ApiError(404, {**NOT_FOUND, **extra})


def int_param(
    query: dict, name: str, default: int, minimum: int = 0, maximum: int | None = None
) -> int:
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, {name: ["A valid integer is required."]}) from None
    if value < minimum:
        raise ApiError(400, {name: [f"Ensure this value is greater than or equal to {minimum}."]})
    return min(value, maximum) if maximum is not None else value


def page_url(base: str, path: str, query: dict, limit: int, offset: int) -> str:
    params = {k: v for k, v in query.items() if k not in ("limit", "offset")}
    params.update(limit=limit, offset=offset)
    return f"{base}{path}?{urlencode(params)}"


def drf_page(items: list, base: str, path: str, query: dict, default_limit: int = 50) -> dict:
    """Django REST framework's limit/offset page: ``{count, next, previous, results}``."""
    limit = int_param(query, "limit", default_limit, minimum=1, maximum=1000)
    offset = int_param(query, "offset", 0)
    total = len(items)
    return {
        "count": total,
        "next": page_url(base, path, query, limit, offset + limit)
        if offset + limit < total
        else None,
        "previous": page_url(base, path, query, limit, max(0, offset - limit))
        if offset > 0
        else None,
        "results": items[offset : offset + limit],
    }


def is_uuid(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
