"""Sandbox time and the background ticker that applies due status transitions.

Sandbox time is wall-clock UTC plus an offset that ``advance`` grows, so tests can jump a
posting to its expiry without sleeping. The offset may start negative (``--clock-offset``):
a sandbox dated in the past, advanced step by step to today, places orders on past days
(how the demo data gets campaigns ordered over the last 60 days, each dated by the sandbox).
The ticker only ever calls one callback; the work (and its locking) belongs to the store.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self, start_offset: float = 0.0):
        self._start = timedelta(seconds=start_offset)
        self._offset = self._start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = self._start


def iso(moment: datetime) -> str:
    """Millisecond precision, explicit UTC offset: what ``modifiedOn.gte`` compares against."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_iso(value: str) -> datetime:
    """Accept ``2021-12-31``, ``2021-12-31T00:00:00Z`` or any ISO offset; naive means UTC."""
    value = value.strip().replace(" ", "+") if "T" in value else value.strip()
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


class Ticker(threading.Thread):
    """Calls ``tick`` every ``interval`` seconds until stopped."""

    def __init__(self, tick: Callable[[], None], interval: float):
        super().__init__(name="sandbox-clock", daemon=True)
        self._tick = tick
        self._interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self._interval):
            try:
                self._tick()
            except Exception as exc:  # noqa: BLE001 - a bad tick must not stop the clock
                print(f"sandbox clock: tick failed: {exc!r}", flush=True)

    def stop(self) -> None:
        self._stop_event.set()
