"""The History's rendered HTML, cached until something it shows changes.

- The page (everything below the side menu, or the live-update rows) is cached under the
  organisation's *history version*: a random token that ``history_changed`` replaces. The
  write paths call it (``campaign_order`` for a new order, ``posting_apply_status`` for
  every change of a posting, which covers delivery, the status sync and take-downs), so a
  change shows on the very next request.
- Within a page, each row is a fragment keyed by its posting's ``modified_at`` and its
  counts, and the filter form by all it shows (filters, choices, errors): a page never
  seen before (another sort, page or filter, the first after a change) renders only what
  changed.
- The results (count, table and pages) are a fragment keyed by the version and the valid
  filters, sort and page: a query string that differs only by what the form ignores or
  refuses (empty fields, unknown parameters) reuses them.
- The filter choices are kept under the version.

Career page views and applications show at once in rows rendered again, and within
``HISTORY_CACHE_SECONDS`` in a cached page; so do renamed jobs and members.
docs/benchmarks.md has the figures.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

from accounts.models import Organization

KEY_PREFIX = "history:v2"  # a new markup gets a new prefix: no page of the old one is served
log = logging.getLogger(__name__)
# What a cache backend raises when its server is down (Redis: ConnectionError, TimeoutError;
# the file cache: OSError). The History works without its cache, only slower.
CACHE_ERRORS = (OSError, ConnectionError, TimeoutError, RedisError)


def cache_seconds() -> int:
    return settings.HISTORY_CACHE_SECONDS


# The version lives in the cache, not on the organisation's row: updating that row inside the
# transactions that lock postings would add a lock to every status change.
def _version_key(org_id: int) -> str:
    return f"{KEY_PREFIX}:version:{org_id}"


def _new_version(org_id: int) -> str:
    token = uuid.uuid4().hex
    # Outlives every page cached under it; if it is evicted anyway, a new token is drawn.
    cache.set(_version_key(org_id), token, cache_seconds() * 10)
    return token


def _refresh(org_id: int) -> None:
    try:
        _new_version(org_id)
    except CACHE_ERRORS:
        log.warning("History cache unreachable: organisation %s not refreshed", org_id)


def history_changed(*, org_id: int) -> None:
    """Make every cached History page of the organisation unreachable (they expire alone).

    The version is replaced at once and again when the transaction commits: a request that
    read the old rows in between can only have cached them under a version already gone.
    A cache outage must not fail the write that calls this: it is logged, and the pages it
    could not refresh expire within HISTORY_CACHE_SECONDS.
    """
    _refresh(org_id)
    transaction.on_commit(partial(_refresh, org_id))


def is_history_refresh(callback) -> bool:
    """Whether an on-commit callback is ``history_changed``'s (for tests counting theirs)."""
    return getattr(callback, "func", None) is _refresh


def history_version(org: Organization) -> str:
    return cache.get(_version_key(org.pk)) or _new_version(org.pk)


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def _key(*parts) -> str:
    return ":".join((KEY_PREFIX, *map(str, parts)))


def page_key(*, org: Organization, query, fragment: bool) -> str:
    """The cache key of the History content for ``org`` and the query string ``query`` (a
    QueryDict; the same parameters in any order give the same key)."""
    items = sorted((key, value) for key in query for value in query.getlist(key))
    return _key(
        org.provider_customer_id,
        history_version(org),
        get_language() or "",
        timezone.get_current_timezone_name(),
        "rows" if fragment else "page",
        _digest(items),
    )


def results_key(*, org: Organization, canonical_query: str, number: int) -> str:
    """The key of the results (count, table, pages) of valid filters, sort and page."""
    return _key(
        org.provider_customer_id,
        history_version(org),
        get_language() or "",
        timezone.get_current_timezone_name(),
        "results",
        _digest((canonical_query, number)),
    )


def filters_key(*, org: Organization, shown: dict) -> str:
    """The filter form's key: everything it shows (what was asked, the choices offered, the
    job picked, the errors), the page number left out."""
    shown = sorted((name, value) for name, value in shown.items() if name != "page")
    return _key(org.provider_customer_id, get_language() or "", "filters", _digest(shown))


def row_key(*, org: Organization, row) -> str:
    """A row's key: its posting as last saved, and its counts (which change without a save)."""
    return _key(
        org.provider_customer_id,
        get_language() or "",
        timezone.get_current_timezone_name(),
        "row",
        row.pk,
        row.modified_at.isoformat(),
        row.views_count,
        row.applications_count,
    )


def choices_key(*, org: Organization) -> str:
    return _key(org.provider_customer_id, history_version(org), "choices")


def cached(key_of: Callable[[], str], compute: Callable[[], object]):
    """``compute()``'s value, kept under ``key_of()`` for ``HISTORY_CACHE_SECONDS``. Without
    the cache (turned off, or unreachable) the value is computed every time."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    try:
        key = key_of()
        value = cache.get(key)
    except CACHE_ERRORS:
        log.warning("History cache unreachable: rendered without it")
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except CACHE_ERRORS:
            log.warning("History cache unreachable: not kept")
    return value


def cached_html(key_of: Callable[[], str], render: Callable[[], str]) -> SafeString:
    """``cached`` for a fragment of our templates (which escape)."""
    return mark_safe(cached(key_of, lambda: str(render())))  # noqa: S308


def cached_htmls(items: list, *, key_of: Callable, render: Callable) -> list[SafeString]:
    """One fragment per item, all read in one round trip: ``render(item)`` for those the
    cache does not have (kept for the next request, in one round trip too)."""
    keys, found = None, {}
    if cache_seconds() > 0:
        try:
            keys = [key_of(item) for item in items]
            found = cache.get_many(keys)
        except CACHE_ERRORS:
            log.warning("History cache unreachable: rendered without it")
            keys = None
    if keys is None:
        return [mark_safe(str(render(item))) for item in items]  # noqa: S308
    pairs = zip(keys, items, strict=True)
    missing = {key: str(render(item)) for key, item in pairs if key not in found}
    if missing:
        try:
            cache.set_many(missing, cache_seconds())
        except CACHE_ERRORS:
            log.warning("History cache unreachable: not kept")
    return [mark_safe(found[key] if key in found else missing[key]) for key in keys]  # noqa: S308


def cached_content(*, org: Organization, query, fragment: bool, render) -> SafeString:
    """The History content cached for this organisation and query, or ``render()``'s
    (cached for the next request)."""
    return cached_html(lambda: page_key(org=org, query=query, fragment=fragment), render)
