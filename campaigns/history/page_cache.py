"""The History's rendered content, cached until something it shows changes.

The key holds the organisation's *history version*: a random token in the cache that
``history_changed`` replaces. The write paths call it (``campaign_order`` for a new order,
``posting_apply_status`` for every status, job ad link, date or click change, which covers
delivery, the status sync and take-downs), so a change shows on the very next request.
Career page views and applications, and renamed jobs or members, change nothing here: they
show within ``HISTORY_CACHE_SECONDS``. docs/benchmarks.md has the figures.
"""

import hashlib
import logging
import uuid
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


def page_key(*, org: Organization, query, fragment: bool) -> str:
    """The cache key of the History content for ``org`` and the query string ``query`` (a
    QueryDict; the same parameters in any order give the same key)."""
    items = sorted((key, value) for key in query for value in query.getlist(key))
    digest = hashlib.sha256(repr(items).encode()).hexdigest()[:32]
    return ":".join(
        (
            KEY_PREFIX,
            str(org.provider_customer_id),
            history_version(org),
            get_language() or "",
            timezone.get_current_timezone_name(),
            "rows" if fragment else "page",
            digest,
        )
    )


def cached_content(*, org: Organization, query, fragment: bool, render) -> SafeString:
    """The History content cached for this organisation and query, or ``render()``'s
    (cached for the next request)."""
    seconds = cache_seconds()
    if seconds <= 0:
        return render()
    try:
        key = page_key(org=org, query=query, fragment=fragment)
        html = cache.get(key)
    except CACHE_ERRORS:
        log.warning("History cache unreachable: the page is rendered without it")
        return render()
    if html is None:
        html = str(render())
        try:
            cache.set(key, html, seconds)
        except CACHE_ERRORS:
            log.warning("History cache unreachable: the page is not kept")
    return mark_safe(html)  # noqa: S308 -- rendered by our templates, which escape
