"""The History's rendered content, cached until something it shows changes.

The History is the heaviest page of the product (a bounded count, the rows with their joins,
attribution and a filter form listing every job) and the one admins keep open: its rows poll
every 10 seconds while postings are live. Its content (everything below the side menu) is a
function of the organisation's campaigns and postings, the query string and the language, so
it is cached under a key holding all of them:

- the organisation's *history version*, a random token in the cache that
  ``history_changed`` replaces after every save or delete of one of its campaigns or postings
  (receivers connected in ``CampaignsConfig.ready``; every write path of postings goes
  through ``Model.save()``: orders, status changes, take-downs). So a status change shows on
  the very next request, never a stale badge. A new write path that bypasses ``save()``
  (``QuerySet.update()``, ``bulk_create``) must call ``history_changed`` itself;
- the organisation's ``provider_customer_id`` (unique for ever, unlike a primary key that a
  recreated database reuses);
- the language, the time zone, page or live-update fragment, and the query string.

The token lives in the cache rather than on the organisation row on purpose: a row update
inside the transactions that lock postings and campaigns would add a lock to every status
change and make deadlocks possible. It is replaced twice: at once, and again when the
transaction commits, so that a request reading between the two (old data, new token) only
caches under a token that is already gone.

What changes without a save of a campaign or posting shows within ``HISTORY_CACHE_SECONDS``
(a minute by default): career page views and applications (counted on every visit; a new
token on each would empty the cache just when an ad works best), a renamed job or member.
docs/benchmarks.md has the page's figures with and without this cache.
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

KEY_PREFIX = "history:v1"
log = logging.getLogger(__name__)
# What a cache backend raises when its server is down (Redis: ConnectionError, TimeoutError;
# the file cache: OSError). The History works without its cache, only slower.
CACHE_ERRORS = (OSError, ConnectionError, TimeoutError, RedisError)


def cache_seconds() -> int:
    return settings.HISTORY_CACHE_SECONDS


def _version_key(org_id: int) -> str:
    return f"{KEY_PREFIX}:version:{org_id}"


def _new_version(org_id: int) -> str:
    token = uuid.uuid4().hex
    # Outlives every page cached under it; if it is evicted anyway, a new token is drawn.
    cache.set(_version_key(org_id), token, cache_seconds() * 10)
    return token


def _refresh_after_commit(org_id: int) -> None:
    try:
        _new_version(org_id)
    except CACHE_ERRORS:
        log.warning("History cache unreachable: organisation %s not refreshed", org_id)


def history_changed(org_id: int) -> None:
    """Make every cached History page of the organisation unreachable (they expire alone).

    Called from the write paths of orders and statuses: a cache outage must not fail them,
    so it is logged, and the pages it could not refresh expire within HISTORY_CACHE_SECONDS.
    """
    _refresh_after_commit(org_id)
    transaction.on_commit(partial(_refresh_after_commit, org_id))


def is_history_refresh(callback) -> bool:
    """Whether an on-commit callback is ``history_changed``'s (for tests counting theirs)."""
    return getattr(callback, "func", None) is _refresh_after_commit


def history_changed_receiver(sender, instance, **kwargs) -> None:
    """post_save/post_delete of Campaign and Posting."""
    history_changed(instance.organization_id)


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
