"""Run-time fault injection for provider API calls, and the rolling-window rate limiter.

A fault matches a request by method (``*`` for any) and path: a path starting with ``^`` is a
regular expression (``re.search`` on the path without query), anything else a prefix. The
first matching fault with uses left applies. ``after_processing`` faults let the real work
happen first (the order IS created) and then spoil the answer. An ``answer`` fault replies
with a given status and JSON body: an answer of a shape the documentation does not know; a
``page`` fault with an HTML error page (status default 404), as a proxy in front of a service
or a wrong base URL answers.
"""

import itertools
import math
import re
import threading
import time
from collections import deque

DEFAULT_STATUS = {"ratelimit": 429, "answer": 200, "page": 404}
KINDS = ("error", "latency", "timeout", "drop", "malformed", "ratelimit", "answer", "page")


class FaultError(ValueError):
    pass


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[dict] = []
        self._ids = itertools.count(1)

    def add(self, spec: dict) -> dict:
        kind = spec.get("kind")
        if kind not in KINDS:
            raise FaultError(f"kind must be one of {', '.join(KINDS)}")
        path = spec.get("path") or "/"
        if not isinstance(path, str):
            raise FaultError("path must be a string")
        if path.startswith("^"):
            try:
                re.compile(path)
            except re.error as exc:
                raise FaultError(f"bad path regex: {exc}") from None
        times = spec.get("times")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise FaultError("times must be a positive integer")
        default_seconds = {"timeout": 30.0, "ratelimit": 1.0}.get(kind, 1.0)
        if kind == "answer" and "body" not in spec:
            raise FaultError("an answer fault needs the body to answer")
        fault = {
            "id": next(self._ids),
            "method": str(spec.get("method") or "*").upper(),
            "path": path,
            "kind": kind,
            "status": int(spec.get("status") or DEFAULT_STATUS.get(kind, 500)),
            "body": spec.get("body"),
            "seconds": float(
                spec.get("seconds") if spec.get("seconds") is not None else default_seconds
            ),
            "times": times,
            "after_processing": bool(spec.get("after_processing", False)),
            "triggered": 0,
        }
        with self._lock:
            self._faults.append(fault)
        return dict(fault)

    def list(self) -> list[dict]:
        with self._lock:
            return [dict(f) for f in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> dict | None:
        """Consume one use of the first fault matching this request."""
        with self._lock:
            for fault in self._faults:
                if fault["method"] not in ("*", method):
                    continue
                pattern = fault["path"]
                hit = (
                    re.search(pattern, path)
                    if pattern.startswith("^")
                    else path.startswith(pattern)
                )
                if not hit:
                    continue
                fault["triggered"] += 1
                if fault["times"] is not None:
                    fault["times"] -= 1
                    if fault["times"] == 0:
                        self._faults.remove(fault)
                return dict(fault)
        return None


class RateLimiter:
    """``limit`` requests per rolling ``window`` seconds, per token."""

    def __init__(self, limit: int, window: float):
        self._lock = threading.Lock()
        self.limit, self.window = limit, window
        self._initial = (limit, window)
        self._hits: dict[str, deque] = {}

    def configure(self, limit: int, window: float) -> None:
        with self._lock:
            self.limit, self.window = limit, window

    def reset(self, restore: bool = True) -> None:
        with self._lock:
            self._hits.clear()
            if restore:
                self.limit, self.window = self._initial

    def hit(self, token: str) -> int | None:
        """Count a request; return None if allowed, else the seconds to wait (>= 1)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(token, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            return None
