"""The ordering pipeline against a real sandbox process and a real Celery worker on Redis and
PostgreSQL: every order reaches the provider exactly once, whatever fails on the way.

Run: DATABASE_URL=postgres://... REDIS_URL=redis://... pytest -m pipeline tests/campaigns
(without them these tests fail with a message saying so).

The sandbox's two profiles answer an order the same way except for the shape of a refusal's
posting requirement errors: the delivery and the refusal run against both, the fault tests
(the same for both, and long) against the default profile.
"""

import logging
import os
import time

import pytest

from campaigns.models import (
    AttemptOutcome,
    CampaignStatus,
    OrderOutbox,
    OutboxState,
    PostingStatus,
    SubmitAttempt,
)
from campaigns.tasks import outbox_relay_task
from config.celery import app as celery_app
from tests.campaigns.sandbox_setup import INDEED, NAUKRI, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.fixtures.sandbox import both_profiles

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(600)]

ORDER_PATH = "/campaigns/order"
KILL_RUNS = int(os.environ.get("PIPELINE_KILL_RUNS", "10"))


def wait_for(predicate, *, timeout=60.0, what="condition", worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    log = f"\n--- worker log ---\n{worker.log()}" if worker else ""
    raise AssertionError(f"Timed out waiting for {what}{log}")


def outbox(campaign):
    return OrderOutbox.objects.get(campaign=campaign)


def settled(campaign):
    return outbox(campaign).state != OutboxState.PENDING


def orders_at_sandbox(sandbox, campaign) -> int:
    return sandbox.stats()["orders_by_reference"].get(campaign.order_reference, 0)


@pytest.fixture
def setup(provider, enabled_org, recruiter, settings):
    settings.CAMPAIGNS_OUTBOX_GRACE_SECONDS = 0
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    return job, recruiter, indeed, group


@both_profiles
def test_an_order_is_delivered_and_its_postings_go_in_progress(setup, celery_worker, sandbox):
    job, recruiter, indeed, _group = setup
    campaign = place_order(job, recruiter, [indeed])
    wait_for(lambda: settled(campaign), what="delivery", worker=celery_worker)
    campaign.refresh_from_db()
    assert outbox(campaign).state == OutboxState.DONE
    assert campaign.provider_campaign_id
    assert campaign.status == CampaignStatus.IN_PROGRESS
    assert orders_at_sandbox(sandbox, campaign) == 1
    attempts = list(SubmitAttempt.objects.filter(campaign=campaign))
    assert [a.outcome for a in attempts] == [AttemptOutcome.ORDERED]


@pytest.mark.long
def test_a_worker_killed_while_submitting_delivers_every_order_exactly_once(
    setup, celery_worker, sandbox
):
    job, recruiter, indeed, _group = setup
    campaigns = []
    for run in range(KILL_RUNS):
        # Half the runs die before the provider created the order, half after it did but
        # before its answer arrived: the two cases a blind retry gets wrong.
        created_first = run % 2 == 1
        faults_before = sandbox.stats()["faults_triggered"]
        sandbox.add_fault(
            kind="latency",
            method="POST",
            path=ORDER_PATH,
            seconds=2.0,
            times=1,
            after_processing=created_first,
        )
        campaign = place_order(job, recruiter, [indeed], campaign_name=f"Kill run {run}")
        campaigns.append(campaign)
        # The order request reached the sandbox and waits there (the injected latency)...
        wait_for(
            lambda before=faults_before: sandbox.stats()["faults_triggered"] > before,
            what="the order request at the sandbox",
            worker=celery_worker,
        )
        if created_first:  # ...after the sandbox created the order
            wait_for(
                lambda c=campaign: orders_at_sandbox(sandbox, c) == 1,
                what="the order created at the sandbox",
                worker=celery_worker,
            )
        celery_worker.kill()
        sandbox.clear_faults()
        celery_worker.start()
        assert outbox_relay_task() >= 1  # the relay hands the pending order over again
        wait_for(lambda c=campaign: settled(c), what=f"run {run}", worker=celery_worker)

    for campaign in campaigns:
        campaign.refresh_from_db()
        assert outbox(campaign).state == OutboxState.DONE, campaign.name
        assert orders_at_sandbox(sandbox, campaign) == 1, campaign.name
        assert campaign.provider_campaign_id
    assert sandbox.stats()["orders_total"] == KILL_RUNS
    outcomes = set(
        SubmitAttempt.objects.filter(campaign__in=campaigns).values_list("outcome", flat=True)
    )
    assert AttemptOutcome.ADOPTED in outcomes  # an order created before the kill was adopted


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ({"kind": "error", "status": 500}, AttemptOutcome.ORDERED),
        ({"kind": "error", "status": 503, "after_processing": True}, AttemptOutcome.ADOPTED),
        ({"kind": "timeout", "seconds": 4}, AttemptOutcome.ADOPTED),
        ({"kind": "timeout", "seconds": 4, "after_processing": True}, AttemptOutcome.ADOPTED),
        ({"kind": "drop"}, AttemptOutcome.ORDERED),
        ({"kind": "drop", "after_processing": True}, AttemptOutcome.ADOPTED),
        ({"kind": "malformed", "after_processing": True}, AttemptOutcome.ADOPTED),
        ({"kind": "ratelimit", "seconds": 1}, AttemptOutcome.ORDERED),
    ],
    ids=[
        "500",
        "503-after-creating",
        "timeout-before-creating",
        "timeout-after-creating",
        "dropped",
        "dropped-after-creating",
        "malformed",
        "429",
    ],
)
def test_provider_faults_end_delivered_once(setup, celery_worker, sandbox, fault, expected):
    job, recruiter, indeed, _group = setup
    sandbox.add_fault(method="POST", path=ORDER_PATH, times=1, **fault)
    campaign = place_order(job, recruiter, [indeed])
    wait_for(lambda: settled(campaign), timeout=90, what="delivery", worker=celery_worker)
    campaign.refresh_from_db()
    assert outbox(campaign).state == OutboxState.DONE
    assert orders_at_sandbox(sandbox, campaign) == 1
    attempts = list(SubmitAttempt.objects.filter(campaign=campaign).order_by("number"))
    assert attempts[0].outcome == AttemptOutcome.RETRY and attempts[0].error
    assert attempts[-1].outcome == expected
    if fault["kind"] == "ratelimit":
        # Retry-After was honoured: the second attempt waited at least that long.
        assert (attempts[1].started_at - attempts[0].started_at).total_seconds() >= 1


@both_profiles
def test_a_refused_order_is_final_and_shows_the_field_errors(setup, celery_worker, sandbox):
    job, recruiter, _indeed, group = setup
    naukri = sandbox_contract(job.organization, group, NAUKRI)
    # A value the board does not know: our form would catch it, the provider must too.
    campaign = place_order(
        job, recruiter, [naukri], {naukri: {"industry-naukri": "it-software", "location": "mars"}}
    )
    wait_for(lambda: settled(campaign), what="the refusal", worker=celery_worker)
    campaign.refresh_from_db()
    assert outbox(campaign).state == OutboxState.FAILED
    assert campaign.status == CampaignStatus.FAILED
    assert campaign.order_errors["requirements"][str(naukri.pk)]["location"]
    [posting] = campaign.postings.all()
    assert posting.status == PostingStatus.FAILED
    assert "Location: " in posting.status_solution  # the field's label, not its key
    assert orders_at_sandbox(sandbox, campaign) == 0
    assert [a.outcome for a in SubmitAttempt.objects.filter(campaign=campaign)] == [
        AttemptOutcome.REJECTED
    ]


def use_broker(app, url: str) -> None:
    """Point this process's producers at ``url``. Kombu keeps one pool per broker URL, so
    the working broker's pool is found again, untouched, when its URL comes back."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def test_an_order_placed_while_the_broker_is_down_goes_out_when_it_returns(
    setup, celery_worker, sandbox, caplog
):
    job, recruiter, indeed, _group = setup
    working_url = celery_app.conf.broker_url
    use_broker(celery_app, "redis://127.0.0.1:9/0")  # nothing listens there: the broker is down
    try:
        with caplog.at_level(logging.WARNING, logger="config.queue"):
            campaign = place_order(job, recruiter, [indeed])  # the order is taken all the same
            assert outbox(campaign).state == OutboxState.PENDING
            assert outbox_relay_task() == 0  # the relay cannot reach it either
    finally:
        use_broker(celery_app, working_url)
    # Both hand-overs (on commit, then by the relay) were refused: no message of this order
    # exists, so nothing can deliver it before the relay runs again.
    refused = [r.getMessage() for r in caplog.records if r.name == "config.queue"]
    assert len(refused) == 2
    assert all(f"campaign_submit_task({campaign.pk},)" in message for message in refused)
    assert outbox(campaign).state == OutboxState.PENDING
    assert not SubmitAttempt.objects.filter(campaign=campaign).exists()
    assert outbox_relay_task() == 1  # the broker is back
    wait_for(lambda: settled(campaign), what="delivery after the relay", worker=celery_worker)
    assert outbox(campaign).state == OutboxState.DONE
    assert orders_at_sandbox(sandbox, campaign) == 1
