"""One budget of provider calls shared by every process (web, workers, beat, scripts).

A sliding-window log: each granted call is a timestamp; a call is granted while fewer than
``limit`` grants lie in the last ``window`` seconds. The window we keep is a little longer
than the provider's (``slack``) so that a request that reaches the provider a few
milliseconds after we granted it can never make the provider count one call too many.

Priority, in two rules, so that a person adding a contract, autocompleting or ordering never
waits behind a catalogue sync, a delivery or a status poll:

- background work may only take a slot while more than ``reserve`` slots are free
  (background throughput is at most ``limit - reserve`` per window);
- while a person waits for a slot, background work takes none: a person's call that finds
  the window full registers as waiting (until a little after the slot it waits for frees, or
  until it gives up), and the next slot that frees is theirs. When people alone ask for more
  than the limit, background work waits for them; that is the point.

Backends: Redis (a sorted set updated by one Lua script, atomic, Redis's clock) when
``REDIS_URL`` is set; otherwise a SQLite file under ``var/`` whose ``BEGIN IMMEDIATE``
transaction serialises every process on the machine (the embedded default).
"""

import contextlib
import hashlib
import random
import sqlite3
import threading
import time
import uuid
from enum import StrEnum
from pathlib import Path

from .errors import ProviderRateLimited, ProviderUnavailable

# How long a person's registration as waiting outlives the moment the slot they wait for
# frees: time for them to wake and take it. Background work waits that long at most.
PERSON_GRACE = 1.0


class Priority(StrEnum):
    """Who is waiting for a provider call: a person (goes first) or background work."""

    INTERACTIVE = "interactive"
    BACKGROUND = "background"


class RedisWindow:
    """The window as a Redis sorted set (score = grant time from Redis's own clock)."""

    # KEYS: the grants, the people waiting (member: a person's token, score: until when).
    # ARGV: slots this priority may use, window, a unique member, the person's token ('' for
    # background work), seconds a person's registration outlives the slot it waits for.
    SCRIPT = """
    local key = KEYS[1]
    local waiting = KEYS[2]
    local limit = tonumber(ARGV[1])
    local window = tonumber(ARGV[2])
    local person = ARGV[4]
    local grace = tonumber(ARGV[5])
    local t = redis.call('TIME')
    local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    redis.call('ZREMRANGEBYSCORE', waiting, '-inf', now)
    local used = redis.call('ZCARD', key)
    local ttl = math.ceil(window * 1000) + 1000
    if used < limit then
      if person ~= '' then
        redis.call('ZREM', waiting, person)
      elseif redis.call('ZCARD', waiting) > 0 then
        local first = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
        return {0, tostring(math.min(1, tonumber(first[2]) - now))}
      end
      redis.call('ZADD', key, now, t[1] .. '.' .. t[2] .. ':' .. ARGV[3])
      redis.call('PEXPIRE', key, ttl)
      return {1, tostring(now)}
    end
    local blocking = redis.call('ZRANGE', key, used - limit, used - limit, 'WITHSCORES')
    local wait = tonumber(blocking[2]) + window - now
    if person ~= '' then
      redis.call('ZADD', waiting, now + wait + grace, person)
      redis.call('PEXPIRE', waiting, ttl)
    end
    return {0, tostring(wait)}
    """

    def __init__(self, url: str, key: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._script = self._redis.register_script(self.SCRIPT)
        self._errors = redis.RedisError
        self.key = key
        self.waiting_key = f"{key}:people-waiting"

    def try_acquire(
        self, *, limit: int, window: float, person: str | None = None
    ) -> tuple[bool, float]:
        """(True, grant time) or (False, seconds until a slot may free up). ``person``: the
        token of a person's call (None for background work), registered as waiting when
        the window is full."""
        try:
            granted, value = self._script(
                keys=[self.key, self.waiting_key],
                args=[limit, repr(window), uuid.uuid4().hex, person or "", PERSON_GRACE],
            )
        except self._errors as error:
            raise ProviderUnavailable(
                f"The provider call budget (Redis) is unreachable: {type(error).__name__}.",
                never_sent=True,  # no call was made
            ) from error
        return bool(granted), float(value)

    def forget_person(self, person: str) -> None:
        """A person stopped waiting (gave up): background work need not wait for them."""
        # Unreachable, the registration expires by itself a moment later.
        with contextlib.suppress(self._errors):
            self._redis.zrem(self.waiting_key, person)

    def people_waiting(self) -> int:
        return int(self._redis.zcount(self.waiting_key, self.now(), "+inf"))

    def used(self, *, window: float) -> int:
        now = self.now()
        return int(self._redis.zcount(self.key, now - window, "+inf"))

    def grants(self) -> list[float]:
        return [score for _member, score in self._redis.zrange(self.key, 0, -1, withscores=True)]

    def now(self) -> float:
        seconds, micros = self._redis.time()
        return seconds + micros / 1_000_000

    def reset(self) -> None:
        self._redis.delete(self.key, self.waiting_key)


class SqliteWindow:
    """The window as rows of a SQLite file shared by every process on this machine."""

    def __init__(self, path: Path, key: str):
        self.path = Path(path)
        self.key = key
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as con:
            con.execute("CREATE TABLE IF NOT EXISTS grants (key TEXT NOT NULL, at REAL NOT NULL)")
            con.execute("CREATE INDEX IF NOT EXISTS grants_key_at ON grants (key, at)")
            con.execute(
                "CREATE TABLE IF NOT EXISTS people_waiting (key TEXT NOT NULL, "
                "person TEXT NOT NULL, until REAL NOT NULL, PRIMARY KEY (key, person))"
            )

    def _connection(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            self._local.con = con
        return con

    def try_acquire(
        self, *, limit: int, window: float, person: str | None = None
    ) -> tuple[bool, float]:
        """As ``RedisWindow.try_acquire``, in one ``BEGIN IMMEDIATE`` transaction."""
        con = self._connection()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                con.execute(
                    "DELETE FROM grants WHERE key = ? AND at <= ?", (self.key, now - window)
                )
                con.execute(
                    "DELETE FROM people_waiting WHERE key = ? AND until <= ?", (self.key, now)
                )
                (used,) = con.execute(
                    "SELECT count(*) FROM grants WHERE key = ?", (self.key,)
                ).fetchone()
                if used < limit:
                    if person:
                        con.execute(
                            "DELETE FROM people_waiting WHERE key = ? AND person = ?",
                            (self.key, person),
                        )
                    else:
                        (first,) = con.execute(
                            "SELECT min(until) FROM people_waiting WHERE key = ?", (self.key,)
                        ).fetchone()
                        if first is not None:
                            return False, min(1.0, first - now)
                    con.execute("INSERT INTO grants (key, at) VALUES (?, ?)", (self.key, now))
                    return True, now
                (blocking,) = con.execute(
                    "SELECT at FROM grants WHERE key = ? ORDER BY at LIMIT 1 OFFSET ?",
                    (self.key, used - limit),
                ).fetchone()
                wait = blocking + window - now
                if person:
                    con.execute(
                        "INSERT OR REPLACE INTO people_waiting (key, person, until) "
                        "VALUES (?, ?, ?)",
                        (self.key, person, now + wait + PERSON_GRACE),
                    )
                return False, wait
            finally:
                con.execute("COMMIT")
        except sqlite3.Error as error:
            raise ProviderUnavailable(
                f"The provider call budget file {self.path} is unusable: {error}.",
                never_sent=True,  # no call was made
            ) from error

    def used(self, *, window: float) -> int:
        (used,) = (
            self._connection()
            .execute(
                "SELECT count(*) FROM grants WHERE key = ? AND at > ?",
                (self.key, time.time() - window),
            )
            .fetchone()
        )
        return used

    def grants(self) -> list[float]:
        rows = self._connection().execute(
            "SELECT at FROM grants WHERE key = ? ORDER BY at", (self.key,)
        )
        return [at for (at,) in rows]

    def forget_person(self, person: str) -> None:
        with contextlib.suppress(sqlite3.Error):  # else it expires by itself a moment later
            self._connection().execute(
                "DELETE FROM people_waiting WHERE key = ? AND person = ?", (self.key, person)
            )

    def people_waiting(self) -> int:
        (count,) = (
            self._connection()
            .execute(
                "SELECT count(*) FROM people_waiting WHERE key = ? AND until > ?",
                (self.key, time.time()),
            )
            .fetchone()
        )
        return count

    def now(self) -> float:
        return time.time()

    def reset(self) -> None:
        con = self._connection()
        con.execute("DELETE FROM grants WHERE key = ?", (self.key,))
        con.execute("DELETE FROM people_waiting WHERE key = ?", (self.key,))


class RateLimiter:
    def __init__(self, backend, *, limit: int, window: float, reserve: int = 0, slack=None):
        if limit < 1 or window <= 0:
            raise ValueError("The provider rate limit needs limit >= 1 and window > 0.")
        self.backend = backend
        self.limit = limit
        self.reserve = max(0, min(reserve, limit - 1))
        self.slack = min(0.5, window * 0.02) if slack is None else slack
        self.window = window + self.slack

    def allowed(self, priority: Priority) -> int:
        return self.limit if priority == Priority.INTERACTIVE else self.limit - self.reserve

    def acquire(self, priority: Priority = Priority.INTERACTIVE, timeout: float = 10.0) -> float:
        """Wait for a slot and take it; return the grant time (the backend's clock).

        Raises ProviderRateLimited at once when no slot can free up within ``timeout``
        (``retry_after`` says when one will): callers decide whether to retry later.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        priority = Priority(priority)
        allowed = self.allowed(priority)
        person = uuid.uuid4().hex if priority == Priority.INTERACTIVE else None
        while True:
            granted, value = self.backend.try_acquire(
                limit=allowed, window=self.window, person=person
            )
            if granted:
                return value
            wait = max(0.0, value)
            remaining = deadline - time.monotonic()
            if wait > remaining:
                if person:
                    self.backend.forget_person(person)
                raise ProviderRateLimited(
                    "Too many calls to the job distribution provider right now; "
                    f"try again in {max(1, round(wait))} seconds.",
                    retry_after=wait,
                )
            # A little jitter so that waiting processes do not all retry at the same instant;
            # people none (the slot they wait for is kept for them).
            jitter = 0 if person else random.uniform(0, min(0.05, self.window / 100))
            time.sleep(wait + jitter)

    def used(self) -> int:
        return self.backend.used(window=self.window)

    def people_waiting(self) -> int:
        return self.backend.people_waiting()

    def reset(self) -> None:
        self.backend.reset()


_limiters: dict[tuple, RateLimiter] = {}
_limiters_lock = threading.Lock()


def rate_limiter() -> RateLimiter:
    """The process's limiter for the configured provider (one budget per partner token)."""
    from django.conf import settings

    token_digest = hashlib.sha256(
        f"{settings.PROVIDER_BASE_URL}|{settings.PROVIDER_TOKEN}".encode()
    ).hexdigest()[:16]
    config = (
        settings.REDIS_URL,
        str(settings.PROVIDER_RATE_LIMIT_FILE),
        token_digest,
        int(settings.PROVIDER_RATE_LIMIT),
        float(settings.PROVIDER_RATE_WINDOW),
        int(settings.PROVIDER_RATE_RESERVE),
        getattr(settings, "PROVIDER_RATE_SLACK", None),
    )
    with _limiters_lock:
        limiter = _limiters.get(config)
        if limiter is None:
            redis_url, path, digest, limit, window, reserve, slack = config
            # One hash tag ({digest}) for the grants and the people waiting: the script uses
            # both keys, which Redis Cluster allows only within one slot.
            key = f"jobcast:provider-rate:{{{digest}}}"
            backend = RedisWindow(redis_url, key) if redis_url else SqliteWindow(Path(path), key)
            limiter = RateLimiter(
                backend,
                limit=limit,
                window=window,
                reserve=reserve,
                slack=None if slack is None else float(slack),
            )
            _limiters[config] = limiter
        return limiter
