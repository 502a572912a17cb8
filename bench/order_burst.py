"""A burst of orders, fairly: ``python -m bench order_burst``.

500 orders from 50 organisations are placed at once, one organisation placing 400 of them
(first, the worst case for first in, first out) and the 49 others the remaining 100. Two real
Celery worker processes (``celery -A config worker``, two pool processes each) on the real
broker (Redis) and PostgreSQL deliver them to a real sandbox process, sharing the one
provider limiter (``distribution/ratelimit.py``, in Redis). The orders are placed while no
worker runs; the burst starts when the first worker is ready. Meanwhile a person waits for
interactive calls (a board autocomplete) every half second.

Accelerated: the provider's limit of 60 calls a minute is played as 60 calls per 6 s (the
sandbox and the limiter both; the reserve for people is 5 of the 60, as in production), so
every time below is in accelerated seconds and one *window* is 6 s (60 s in production).

Reported: the drain time (the first worker ready → the last order delivered) against the
theoretical minimum (the calls the sandbox answered in that time ÷ the limit), the
utilisation of the limit over the drain (goal ≥ 0.9), the sandbox's 429s (goal 0),
duplicate and lost orders (goal 0), how much of the burst went ahead of the other
organisations' orders (the big organisation's orders delivered before each of theirs, in
windows of background slots: goal ≤ one window; first in, first out it would be 400 ÷ 55 =
7.3), and the interactive calls' wait (p95, goal ≤ 2 s). Also reported, not judged: the other
organisations' waits in seconds (the first order of each, the longest, and how far each lags
behind where it would be if no burst had happened): they include their own calls, every
organisation's contract read-backs after orders (one per organisation and window) and the
delivery speed of two workers on this machine.

Needs ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``: the workers share both.
"""

import bisect
import math
import os
import threading
import time
import uuid
from datetime import UTC, datetime

import django

LIMIT, WINDOW, RESERVE = 60, 6.0, 5
FULL = {"organisations": 50, "big": 400, "orders": 500}
QUICK = {"organisations": 5, "big": 12, "orders": 20}
PROBE_EVERY = 0.5

GOALS = {
    "utilisation": (">=", 0.9),
    "provider_429s": ("==", 0),
    "duplicates": ("==", 0),
    "lost": ("==", 0),
    "others_behind_burst_windows_max": ("<=", 1.0),
    "interactive_wait_p95_s": ("<=", 2.0),
}


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1)]


def orders_per_organisation(*, organisations: int, big: int, orders: int) -> list[int]:
    """How many orders each organisation places: the first ``big``, the others share the
    rest as evenly as they can."""
    others = organisations - 1
    share, extra = divmod(orders - big, others)
    return [big] + [share + (1 if i < extra else 0) for i in range(others)]


def place_burst(counts: list[int], *, tag: str) -> list[tuple[int, int]]:
    """One organisation (recruiter, job, a contract created at the sandbox) per count, then
    every order through the ordering service, the big organisation's first. Returns
    ``(campaign id, organisation index)`` in the order they were placed."""
    from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
    from tests.contracts.factories import ContractGroupFactory
    from tests.factories import MembershipFactory, OrganizationFactory
    from tests.jobs.factories import CareerPageFactory

    setups = []
    for index in range(len(counts)):
        org = OrganizationFactory(my_own_contracts_enabled=True)
        CareerPageFactory(organization=org, slug=f"burst-{tag}-{index}")
        recruiter = MembershipFactory(organization=org).user
        group = ContractGroupFactory(organization=org, name="Burst")
        setups.append(
            (sandbox_job(org, recruiter), recruiter, sandbox_contract(org, group, INDEED))
        )
    placed = []
    for index, count in enumerate(counts):
        job, recruiter, contract = setups[index]
        for number in range(count):
            campaign = place_order(job, recruiter, [contract], campaign_name=f"Burst {number}")
            placed.append((campaign.pk, index))
    return placed


class InteractiveProbe(threading.Thread):
    """A person autocompleting a board name every ``PROBE_EVERY`` seconds: how long each
    interactive call takes, the wait for the limiter included."""

    def __init__(self):
        super().__init__(daemon=True)
        self.waits: list[float] = []
        self.errors = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        from distribution.client import Priority, provider_client
        from distribution.errors import ProviderError

        client = provider_client(priority=Priority.INTERACTIVE)
        while not self.stopping.wait(PROBE_EVERY):
            started = time.monotonic()
            try:
                client.list_channels(search="ind", limit=5)
            except ProviderError:
                self.errors += 1
                continue
            self.waits.append(time.monotonic() - started)


def start_workers(env: dict[str, str], count: int = 2) -> tuple[list, float]:
    """Start ``count`` workers side by side; return them and when the first was ready
    (wall clock)."""
    from tests.fixtures.celery_worker import CeleryWorker

    workers = [CeleryWorker(env) for _ in range(count)]
    ready: list[float] = []
    errors: list[BaseException] = []

    def start(worker):
        try:
            worker.start()
            ready.append(time.time())
        except BaseException as error:  # reported below, in this thread
            errors.append(error)

    threads = [threading.Thread(target=start, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        for worker in workers:
            worker.kill()
        raise errors[0]
    return workers, min(ready)


def burst(*, sandbox, counts: list[int], timeout: float = 900.0, log=print) -> dict:
    """Place ``counts`` orders per organisation, then let two workers drain them through
    the accelerated limit; measure. Settings must point at ``sandbox`` already."""
    from django.test.utils import override_settings

    from campaigns.models import Campaign, OrderOutbox, OutboxState
    from distribution.ratelimit import rate_limiter
    from tests.fixtures.celery_worker import purge_broker, worker_env

    purge_broker()
    placed = place_burst(counts, tag=uuid.uuid4().hex[:6])
    ids = [campaign_id for campaign_id, _ in placed]
    log(f"   {len(ids)} orders placed by {len(counts)} organisations")
    limits = {
        "PROVIDER_RATE_LIMIT": LIMIT,
        "PROVIDER_RATE_WINDOW": WINDOW,
        "PROVIDER_RATE_RESERVE": RESERVE,
        "PROVIDER_RATE_WAIT_INTERACTIVE": WINDOW * 2,
        "PROVIDER_RATE_WAIT_BACKGROUND": WINDOW * 2,
        "PROVIDER_RATE_SLACK": None,
    }
    env = worker_env(
        sandbox,
        PROVIDER_RATE_LIMIT=str(LIMIT),
        PROVIDER_RATE_WINDOW=str(WINDOW),
        PROVIDER_RATE_RESERVE=str(RESERVE),
        PROVIDER_RATE_WAIT_BACKGROUND=str(WINDOW * 2),
        CAMPAIGNS_SUBMIT_BACKOFF_BASE="0.5",
        CAMPAIGNS_SUBMIT_BACKOFF_CAP=str(WINDOW),
        # Production reads an organisation's contracts back a minute after its orders: a
        # window here.
        CONTRACTS_REFRESH_AFTER_ORDER_SECONDS=str(WINDOW),
    )
    with override_settings(**limits):
        sandbox.set_rate_limit(LIMIT, WINDOW)
        rate_limiter().reset()
        before = sandbox.stats()
        workers, started = start_workers(env)
        probe = InteractiveProbe()
        probe.start()
        try:
            deadline = time.monotonic() + timeout
            pending = OrderOutbox.objects.filter(campaign_id__in=ids, state=OutboxState.PENDING)
            while pending.exists():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{pending.count()} orders still pending after {timeout} s")
                time.sleep(0.2)
            after = sandbox.stats()
        finally:
            probe.stopping.set()
            probe.join(timeout=30)
            for worker in workers:
                worker.stop()
            purge_broker()

    delivered = dict(
        Campaign.objects.filter(pk__in=ids).values_list("pk", "delivered_at").iterator()
    )
    states = dict(
        OrderOutbox.objects.filter(campaign_id__in=ids).values_list("campaign_id", "state")
    )
    references = dict(Campaign.objects.filter(pk__in=ids).values_list("pk", "order_reference"))
    orders = after["orders_by_reference"]
    counts_at_provider = [orders.get(references[campaign_id], 0) for campaign_id in ids]
    waits = {
        campaign_id: (delivered[campaign_id].timestamp() - started)
        if delivered[campaign_id]
        else None
        for campaign_id in ids
    }
    done = [w for w in waits.values() if w is not None]
    drain = max(done) if done else 0.0
    calls = after["requests_allowed"] - before["requests_allowed"]
    minimum = calls / LIMIT * WINDOW
    background_per_window = LIMIT - RESERVE

    # The other organisations' orders, in the order they were delivered: the i-th of them
    # could not go before window floor(i / background slots per window) even with no burst.
    others = sorted(
        waits[campaign_id]
        for campaign_id, index in placed
        if index and waits[campaign_id] is not None
    )
    lags = [wait - (i // background_per_window) * WINDOW for i, wait in enumerate(others)]
    first_of_each: dict[int, float] = {}
    for campaign_id, index in placed:
        if index and waits[campaign_id] is not None:
            first_of_each[index] = min(first_of_each.get(index, math.inf), waits[campaign_id])
    big_calls = counts[0]
    # How much of the burst went ahead of each other organisation's order: the big
    # organisation's orders delivered before it, in windows of background slots (first in,
    # first out, all 400 would be: 7.3 windows).
    big_delivered = sorted(
        waits[campaign_id]
        for campaign_id, index in placed
        if index == 0 and waits[campaign_id] is not None
    )
    behind = [bisect.bisect_left(big_delivered, wait) / background_per_window for wait in others]
    # Which organisation each of the first deliveries went to (0 = the big one), and when.
    index_of = dict(placed)
    first_deliveries = sorted(
        (round(wait, 2), index_of[campaign_id])
        for campaign_id, wait in waits.items()
        if wait is not None
    )[: LIMIT * 2]
    result = {
        "accelerated": f"{LIMIT} calls per {WINDOW:g} s (production: {LIMIT} per 60 s)",
        "window_s": WINDOW,
        "limit": LIMIT,
        "reserve": RESERVE,
        "workers": 2,
        "organisations": len(counts),
        "orders": len(ids),
        "orders_of_the_big_organisation": big_calls,
        "provider_calls_during_drain": calls,
        "provider_calls_by_route": {
            route: count - before["requests_by_route"].get(route, 0)
            for route, count in sorted(after["requests_by_route"].items())
            if count - before["requests_by_route"].get(route, 0)
        },
        "interactive_calls": len(probe.waits),
        "drain_s": round(drain, 2),
        "theoretical_minimum_s": round(minimum, 2),
        "drain_over_minimum": round(drain / minimum, 3) if minimum else None,
        # Over whole windows at least: a burst smaller than one window says nothing of it.
        "utilisation": round(calls / (LIMIT * max(drain, WINDOW) / WINDOW), 3),
        "provider_429s": after["throttled"] - before["throttled"],
        "duplicates": sum(max(0, n - 1) for n in counts_at_provider),
        "lost": sum(
            1
            for campaign_id, n in zip(ids, counts_at_provider, strict=True)
            if n == 0 or states.get(campaign_id) != OutboxState.DONE
        ),
        "others_orders": len(others),
        "others_wait_max_s": round(max(others, default=0.0), 2),
        "others_first_order_wait_max_s": round(max(first_of_each.values(), default=0.0), 2),
        "others_lag_behind_burst_max_s": round(max(lags, default=0.0), 2),
        "others_behind_burst_windows_max": round(max(behind, default=0.0), 3),
        "others_behind_burst_orders_max": round(max(behind, default=0.0) * background_per_window),
        "others_behind_burst_windows_first_in_first_out": round(
            big_calls / background_per_window, 3
        ),
        "others_wait_first_in_first_out_s": round((big_calls // background_per_window) * WINDOW, 2),
        "interactive_wait_p50_s": round(percentile(probe.waits, 0.50), 3),
        "interactive_wait_p95_s": round(percentile(probe.waits, 0.95), 3),
        "interactive_wait_max_s": round(max(probe.waits, default=0.0), 3),
        "interactive_errors": probe.errors,
        "first_deliveries_s_and_organisation": first_deliveries,
    }
    result["goals"] = {
        name: {
            "goal": f"{op} {limit}",
            "value": result[name],
            "met": bool(
                {
                    ">=": result[name] >= limit,
                    "<=": result[name] <= limit,
                    "==": result[name] == limit,
                }[op]
            ),
        }
        for name, (op, limit) in GOALS.items()
    }
    return result


def run(*, quick: bool = False) -> dict:
    # Our own broker and cache key prefixes: never another test process's workers.
    os.environ.setdefault("JOBCAST_TEST_NAMESPACE", "order_burst")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from tests.fixtures.sandbox import SandboxProcess

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        raise SystemExit("order_burst needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    size = QUICK if quick else FULL
    counts = orders_per_organisation(**size)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"test_{old_name}_order_burst"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    token = f"burst-{uuid.uuid4().hex[:8]}"
    try:
        # Placing the orders is not measured: the sandbox's limit is tightened afterwards.
        with SandboxProcess("--rate-limit", "100000", token=token) as sandbox:
            overrides = {
                "PROVIDER_BASE_URL": sandbox.url,
                "PROVIDER_TOKEN": token,
                "PROVIDER_RATE_LIMIT": 100_000,
            }
            with override_settings(**overrides):
                result = burst(sandbox=sandbox, counts=counts)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    result = {
        "database": "postgresql",
        "quick": quick,
        "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **result,
    }
    print(f"   {result}", flush=True)
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    run(quick=True)
