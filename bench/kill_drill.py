"""Exactly-once delivery under SIGKILL: ``python -m bench kill_drill --kills 100``.

A real sandbox process, a real Celery worker (``celery -A config worker``, prefork, two pool
processes) on the real broker (Redis) and PostgreSQL. Each round places a few orders, waits a
random moment (0 to 1.5 s), and SIGKILLs the whole worker (main process and pool) wherever it
is in submitting: before the call, while the provider holds the request, after the provider
answered, before the outcome is committed. Half the rounds first make the sandbox hold one
order request for 2 s, before or after creating the order, to widen the two windows a blind
retry gets wrong. The worker is restarted and the outbox relay hands the pending orders over
again. At the end every order must be delivered: reported are campaigns, provider orders,
duplicates (goal 0) and lost orders (goal 0), and how many rounds killed a worker while an
order request was at the sandbox.

Needs ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL``: the worker shares both.
"""

import os
import random
import time
import uuid

import django

from bench.pipeline import pipeline_bench

ORDER_PATH = "/campaigns/order"
ORDERS_PER_ROUND = 3


def drill(*, sandbox, worker, place_order, kills: int, seed: int = 13, log=print) -> dict:
    """``kills`` rounds of: place orders, wait a random moment, SIGKILL, restart, relay.
    Then wait until every order is settled and count what the sandbox holds."""
    from campaigns.models import OrderOutbox, OutboxState
    from campaigns.services.delivery import outbox_relay

    rng = random.Random(seed)
    campaigns = []
    in_flight = 0
    for round_number in range(kills):
        held = rng.random() < 0.5
        if held:
            sandbox.add_fault(
                kind="latency",
                method="POST",
                path=ORDER_PATH,
                seconds=2.0,
                times=1,
                after_processing=rng.random() < 0.5,
            )
        before = sandbox.stats()["faults_triggered"]
        for i in range(ORDERS_PER_ROUND):
            campaigns.append(place_order(f"Drill {round_number}.{i}"))
        time.sleep(rng.uniform(0.0, 1.5))
        if sandbox.stats()["faults_triggered"] > before:
            in_flight += 1
        worker.kill()
        sandbox.clear_faults()
        worker.start()
        outbox_relay()
        if (round_number + 1) % 10 == 0:
            log(f"   {round_number + 1} kills")

    deadline = time.monotonic() + 300
    ids = [c.pk for c in campaigns]
    while time.monotonic() < deadline:
        pending = OrderOutbox.objects.filter(campaign_id__in=ids, state=OutboxState.PENDING)
        if not pending.exists():
            break
        outbox_relay()
        time.sleep(0.5)
    orders = sandbox.stats()["orders_by_reference"]
    counts = [orders.get(c.order_reference, 0) for c in campaigns]
    states = dict(
        OrderOutbox.objects.filter(campaign_id__in=ids).values_list("campaign_id", "state")
    )
    lost = sum(
        1
        for c, n in zip(campaigns, counts, strict=True)
        if n == 0 or states.get(c.pk) != OutboxState.DONE
    )
    from campaigns.models import SubmitAttempt

    outcomes: dict[str, int] = {}
    for outcome in SubmitAttempt.objects.filter(campaign_id__in=ids).values_list(
        "outcome", flat=True
    ):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    result = {
        "outbox_states": {
            state: list(states.values()).count(state) for state in sorted(set(states.values()))
        },
        "attempt_outcomes": dict(sorted(outcomes.items())),
        "kills": kills,
        "kills_while_an_order_was_at_the_sandbox": in_flight,
        "campaigns": len(campaigns),
        "provider_orders": sum(counts),
        "duplicates": sum(max(0, n - 1) for n in counts),
        "lost": lost,
    }
    result["goals"] = {
        "duplicates": {
            "goal": "== 0",
            "value": result["duplicates"],
            "met": not result["duplicates"],
        },
        "lost": {"goal": "== 0", "value": result["lost"], "met": not result["lost"]},
    }
    return result


def run(*, quick: bool = False, kills: int | None = None) -> dict:
    django.setup()
    from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
    from tests.contracts.factories import ContractGroupFactory
    from tests.factories import MembershipFactory, OrganizationFactory
    from tests.fixtures.celery_worker import CeleryWorker, purge_broker, worker_env
    from tests.jobs.factories import CareerPageFactory

    kills = kills or (3 if quick else 100)
    # The drill is about kills, not the budget: the sandbox's limit is out of the way.
    with pipeline_bench("kill_drill", CAMPAIGNS_OUTBOX_GRACE_SECONDS=0) as sandbox:
        org = OrganizationFactory(my_own_contracts_enabled=True)
        CareerPageFactory(organization=org, slug=f"drill-{uuid.uuid4().hex[:8]}")
        recruiter = MembershipFactory(organization=org).user
        group = ContractGroupFactory(organization=org, name="Drill")
        job = sandbox_job(org, recruiter)
        indeed = sandbox_contract(org, group, INDEED)
        purge_broker()
        worker = CeleryWorker(worker_env(sandbox)).start()
        try:
            result = drill(
                sandbox=sandbox,
                worker=worker,
                place_order=lambda name: place_order(job, recruiter, [indeed], campaign_name=name),
                kills=kills,
            )
        finally:
            worker.stop()
            purge_broker()
    print(f"   {result}", flush=True)
    return {"database": "postgresql", "quick": quick, **result}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    run(quick=True)
