"""The shared limiter on both backends: Redis, and the SQLite file of the embedded default."""

import multiprocessing
import os
import threading
import time
import uuid

import pytest
import redis
from django.conf import settings

from distribution.errors import ProviderRateLimited
from distribution.ratelimit import Priority, RateLimiter
from tests.distribution.ratelimit_worker import backend, take_slots


def redis_url() -> str:
    return settings.REDIS_URL or os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


@pytest.fixture(params=["sqlite", "redis"])
def window_backend(request, tmp_path):
    """(kind, where, key) of a fresh window on one backend."""
    key = f"test-rate:{uuid.uuid4().hex}"
    if request.param == "redis":
        url = redis_url()
        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError:
            pytest.skip(f"Redis is not reachable at {url}")
        yield "redis", url, key
        redis.Redis.from_url(url).delete(key)
    else:
        yield "sqlite", str(tmp_path / "rate.sqlite3"), key


def limiter_for(window_backend, **kwargs) -> RateLimiter:
    kind, where, key = window_backend
    return RateLimiter(backend(kind, where, key), **kwargs)


def assert_within_limit(grants: list[float], limit: int, window: float) -> None:
    grants = sorted(grants)
    for first, later in zip(grants, grants[limit:], strict=False):
        assert later - first >= window, f"{limit + 1} grants within {later - first:.3f} s"


def test_two_processes_never_exceed_the_limit(window_backend):
    kind, where, key = window_backend
    limit, window = 6, 0.8
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [
        context.Process(
            target=take_slots,
            args=(kind, where, key, limit, window, 9, Priority.INTERACTIVE, results),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    grants = [grant for _ in workers for grant in results.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=10)
    assert len(grants) == 18
    # The limiter keeps a small slack on top of the provider's window.
    assert_within_limit(grants, limit, window)


def test_threads_never_exceed_the_limit(window_backend):
    limiter = limiter_for(window_backend, limit=5, window=0.5, slack=0)
    grants: list[float] = []
    lock = threading.Lock()

    def work():
        for _ in range(5):
            granted = limiter.acquire(Priority.INTERACTIVE, timeout=30)
            with lock:
                grants.append(granted)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(grants) == 15
    assert_within_limit(grants, 5, 0.5)


def test_background_leaves_the_reserve_to_people(window_backend):
    limiter = limiter_for(window_backend, limit=5, window=60, reserve=2)
    for _ in range(3):
        limiter.acquire(Priority.BACKGROUND, timeout=0)
    with pytest.raises(ProviderRateLimited) as background_refused:
        limiter.acquire(Priority.BACKGROUND, timeout=0)
    assert 0 < background_refused.value.retry_after <= 61
    limiter.acquire(Priority.INTERACTIVE, timeout=0)
    limiter.acquire(Priority.INTERACTIVE, timeout=0)
    with pytest.raises(ProviderRateLimited) as interactive_refused:
        limiter.acquire(Priority.INTERACTIVE, timeout=0)
    assert "try again in" in interactive_refused.value.message
    assert limiter.used() == 5


def test_a_full_window_waits_for_the_oldest_grant(window_backend):
    limiter = limiter_for(window_backend, limit=2, window=0.4, slack=0)
    first = limiter.acquire(timeout=5)
    limiter.acquire(timeout=5)
    third = limiter.acquire(timeout=5)
    assert third - first >= 0.4


def test_waiting_longer_than_the_timeout_fails_at_once(window_backend):
    limiter = limiter_for(window_backend, limit=1, window=30)
    limiter.acquire(timeout=0)
    with pytest.raises(ProviderRateLimited) as caught:
        limiter.acquire(timeout=1)  # a slot frees in ~30 s: no point sleeping 1 s first
    assert caught.value.retry_after > 25


def test_reset_empties_the_window(window_backend):
    limiter = limiter_for(window_backend, limit=1, window=30)
    limiter.acquire(timeout=0)
    limiter.reset()
    limiter.acquire(timeout=0)
    assert limiter.used() == 1


def test_while_a_person_waits_background_work_takes_no_slot(window_backend):
    """The window is full; a person's call registers as waiting. When a slot frees, a
    background call is refused (the slot is the person's), the person gets it, and then
    background work goes on."""
    kind, where, key = window_backend
    window_store = backend(kind, where, key)
    limit, window = 2, 0.5
    for _ in range(limit):
        assert window_store.try_acquire(limit=limit, window=window)[0]
    person_granted, wait = window_store.try_acquire(limit=limit, window=window, person="rae")
    assert not person_granted and 0 < wait <= window
    assert window_store.people_waiting() == 1
    time.sleep(wait + 0.05)  # a slot is free now
    background_granted, retry_in = window_store.try_acquire(limit=limit, window=window)
    assert not background_granted and 0 < retry_in <= 1
    assert window_store.try_acquire(limit=limit, window=window, person="rae")[0]
    assert window_store.people_waiting() == 0
    time.sleep(window)
    assert window_store.try_acquire(limit=limit, window=window)[0]


def test_a_person_who_gives_up_no_longer_holds_background_work(window_backend):
    limiter = limiter_for(window_backend, limit=1, window=0.4, slack=0)
    limiter.acquire(Priority.BACKGROUND, timeout=0)
    with pytest.raises(ProviderRateLimited):
        limiter.acquire(Priority.INTERACTIVE, timeout=0)  # refused at once: not waiting
    assert limiter.people_waiting() == 0
    time.sleep(0.45)
    assert limiter.acquire(Priority.BACKGROUND, timeout=0)


def test_a_person_waiting_through_the_limiter_is_registered_until_served(window_backend):
    """``acquire`` for a person registers them while they wait (the backend's rule above then
    holds background work) and no longer once they have their slot."""
    limiter = limiter_for(window_backend, limit=1, window=0.6, slack=0)
    limiter.acquire(Priority.BACKGROUND, timeout=0)
    person = threading.Thread(target=limiter.acquire, args=(Priority.INTERACTIVE, 5))
    person.start()
    deadline = time.monotonic() + 0.5
    while limiter.people_waiting() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert limiter.people_waiting() == 1
    person.join()
    assert limiter.people_waiting() == 0
