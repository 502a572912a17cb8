"""Run in a separate process by test_ratelimit: take ``count`` slots and report when."""

from pathlib import Path

from distribution.ratelimit import RateLimiter, RedisWindow, SqliteWindow


def backend(kind: str, where: str, key: str):
    return RedisWindow(where, key) if kind == "redis" else SqliteWindow(Path(where), key)


def take_slots(kind, where, key, limit, window, count, priority, results):
    limiter = RateLimiter(backend(kind, where, key), limit=limit, window=window, reserve=1)
    results.put([limiter.acquire(priority, timeout=30) for _ in range(count)])
