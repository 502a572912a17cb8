"""A per-campaign lock held while one worker delivers an order.

On PostgreSQL it is a session-level advisory lock: it survives the short transactions of a
delivery attempt and is released by the server the moment the worker's connection dies
(SIGKILL included), so a crashed attempt never blocks the next one. The embedded SQLite
default has no such lock; there a lease in the shared cache stands in, expiring after
``lease_seconds`` (longer than any provider call).
"""

import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection

_NAMESPACE = zlib.crc32(b"campaigns.submit") & 0x7FFFFFFF


@contextmanager
def campaign_submit_lock(campaign_id: int, *, lease_seconds: int = 600) -> Iterator[bool]:
    """Yield whether this process holds the lock for ``campaign_id``; never waits."""
    if connection.vendor == "postgresql":
        key = int(campaign_id) & 0x7FFFFFFF
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_NAMESPACE, key])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_NAMESPACE, key])
        return

    cache_key = f"campaigns:submit-lock:{campaign_id}"
    token = uuid.uuid4().hex
    acquired = cache.add(cache_key, token, timeout=lease_seconds)
    try:
        yield acquired
    finally:
        if acquired and cache.get(cache_key) == token:
            cache.delete(cache_key)
