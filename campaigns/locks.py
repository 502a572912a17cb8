"""Locks that never wait: a worker either holds one or leaves the work to whoever does.

On PostgreSQL they are session-level advisory locks: they survive the short transactions of
the work they guard and are released by the server the moment the worker's connection dies
(SIGKILL included), so a crashed worker never blocks the next one. The embedded SQLite
default has no such lock; there a lease in the shared cache stands in, expiring after
``lease_seconds`` (longer than any provider call).

- ``campaign_submit_lock``: one worker delivers (or checks) an order at a time.
- ``partner_poll_lock``: one reader of the partner-level campaign list at a time (the
  periodic poll or a webhook sweep), so that two never read the same pages from one cursor.
"""

import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection

_SUBMIT = zlib.crc32(b"campaigns.submit") & 0x7FFFFFFF
_PARTNER_POLL = zlib.crc32(b"campaigns.partner-poll") & 0x7FFFFFFF


@contextmanager
def campaign_submit_lock(campaign_id: int, *, lease_seconds: int = 600) -> Iterator[bool]:
    """Yield whether this process holds the lock for ``campaign_id``; never waits."""
    with _try_lock(
        _SUBMIT, campaign_id, f"campaigns:submit-lock:{campaign_id}", lease_seconds
    ) as held:
        yield held


@contextmanager
def partner_poll_lock(*, lease_seconds: int = 300) -> Iterator[bool]:
    """Yield whether this process is the partner-level list's one reader; never waits."""
    with _try_lock(_PARTNER_POLL, 0, "campaigns:partner-poll-lock", lease_seconds) as held:
        yield held


@contextmanager
def _try_lock(namespace: int, key: int, cache_key: str, lease_seconds: int) -> Iterator[bool]:
    if connection.vendor == "postgresql":
        key = int(key) & 0x7FFFFFFF
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])
        return

    token = uuid.uuid4().hex
    acquired = cache.add(cache_key, token, timeout=lease_seconds)
    try:
        yield acquired
    finally:
        if acquired and cache.get(cache_key) == token:
            cache.delete(cache_key)
