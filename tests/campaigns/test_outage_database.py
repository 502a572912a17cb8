"""PostgreSQL restarted mid-submit: the worker's (or the web's) database connection goes
through a real TCP proxy that the test cuts, as a restart or a network loss would, and
restores. Every order reaches the provider exactly once, none is lost, statuses converge, and
a person submitting meanwhile gets a clear 503 page, never a 500, and loses nothing.

Run with DATABASE_URL (PostgreSQL) and REDIS_URL set, like every pipeline test.
"""

import contextlib

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.models import (
    AttemptOutcome,
    Campaign,
    CampaignDraft,
    OrderOutbox,
    OutboxState,
    PostingStatus,
    SubmitAttempt,
)
from campaigns.services.list_poll import status_poll
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.campaigns.test_pipeline import ORDER_PATH, orders_at_sandbox, settled, wait_for
from tests.contracts.factories import ContractGroupFactory
from tests.fixtures import celery_worker as worker_fixtures
from tests.fixtures.celery_worker import (
    CeleryWorker,
    purge_broker,
    require_pipeline_services,
    worker_env,
)
from tests.fixtures.tcp_proxy import TcpProxy, through

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]

LOST_DATABASE = "lost the database"


@pytest.fixture
def database_proxy(transactional_db):
    require_pipeline_services()
    db = connection.settings_dict
    with TcpProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        yield proxy


@pytest.fixture
def worker_via_proxy(transactional_db, sandbox, database_proxy):
    """A real worker whose every database connection goes through the proxy. It keeps its
    connections as production does (``CONN_MAX_AGE`` 60 with ``CONN_HEALTH_CHECKS``): a
    connection the restart broke is found unusable and replaced at the next task."""
    require_pipeline_services()
    purge_broker()
    env = worker_env(
        sandbox,
        DATABASE_URL=through(worker_fixtures.test_database_url(), database_proxy),
        DATABASE_CONN_MAX_AGE="60",
    )
    worker = CeleryWorker(env).start()
    yield worker
    worker.stop()
    purge_broker()


@pytest.fixture
def setup(provider, enabled_org, recruiter):
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    return job, recruiter, sandbox_contract(enabled_org, group, INDEED)


def worker_lost_database(worker) -> bool:
    return LOST_DATABASE in "".join(worker.output)


@pytest.mark.parametrize(
    "moment",
    ["before-the-call", "while-the-provider-creates-it", "after-the-provider-created-it"],
)
def test_postgresql_restarted_mid_submit_delivers_every_order_exactly_once(
    setup, worker_via_proxy, database_proxy, sandbox, moment
):
    job, recruiter, indeed = setup
    worker = worker_via_proxy
    if moment == "before-the-call":
        # The database is away when the worker picks the order up: it cannot record an
        # attempt, so it must not send anything.
        database_proxy.cut()
        campaign = place_order(job, recruiter, [indeed])
        wait_for(lambda: worker_lost_database(worker), what="the lost database", worker=worker)
        assert orders_at_sandbox(sandbox, campaign) == 0
    else:
        # The order request waits at the sandbox (before, or after, it created the order)
        # while the database goes away: the worker cannot commit what the provider answered.
        created_first = moment == "after-the-provider-created-it"
        sandbox.add_fault(
            kind="latency",
            method="POST",
            path=ORDER_PATH,
            seconds=3.0,
            times=1,
            after_processing=created_first,
        )
        campaign = place_order(job, recruiter, [indeed])
        wait_for(
            lambda: sandbox.stats()["faults_triggered"] >= 1,
            what="the order request at the sandbox",
            worker=worker,
        )
        if created_first:
            wait_for(lambda: orders_at_sandbox(sandbox, campaign) == 1, what="the order")
        database_proxy.cut()
        wait_for(lambda: worker_lost_database(worker), what="the lost database", worker=worker)
        assert orders_at_sandbox(sandbox, campaign) == 1  # the provider has it; we do not know
        assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.PENDING
    database_proxy.restore()

    wait_for(lambda: settled(campaign), timeout=90, what="delivery", worker=worker)
    campaign.refresh_from_db()
    assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.DONE
    assert orders_at_sandbox(sandbox, campaign) == 1
    assert sandbox.stats()["orders_total"] == 1
    assert campaign.provider_campaign_id
    outcomes = list(
        SubmitAttempt.objects.filter(campaign=campaign)
        .order_by("number")
        .values_list("outcome", flat=True)
    )
    # Sent once: either the one attempt ordered it, or a look-up adopted what was sent.
    expected = AttemptOutcome.ORDERED if moment == "before-the-call" else AttemptOutcome.ADOPTED
    assert outcomes[-1] == expected
    assert outcomes.count(AttemptOutcome.ORDERED) <= 1

    # Statuses converge: the board goes online at the provider and the poll brings it here.
    sandbox.advance_to_online()
    status_poll(org=campaign.organization)
    assert {p.status for p in campaign.postings.all()} == {PostingStatus.ONLINE}


@contextlib.contextmanager
def web_database_through(proxy: TcpProxy):
    """This process's (the web's) database connection goes through ``proxy``."""
    db = connection.settings_dict
    original = db["HOST"], db["PORT"]
    connection.close()
    db["HOST"], db["PORT"] = "127.0.0.1", proxy.port
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            connection.close()
        db["HOST"], db["PORT"] = original


def test_ordering_while_postgresql_is_away_answers_503_and_keeps_the_draft(
    transactional_db, database_proxy, recruiter_client, ready_draft
):
    order_url = reverse("campaign_draft_order", kwargs={"draft_id": ready_draft.pk})
    review_url = reverse("campaign_draft_review", kwargs={"draft_id": ready_draft.pk})
    saved = ready_draft.data
    with web_database_through(database_proxy):
        assert not Campaign.objects.exists()  # the connection is open, through the proxy
        database_proxy.cut()  # ...and now the server is gone
        answer = recruiter_client.post(order_url, headers={"Referer": review_url})
        assert answer.status_code == 503
        assert answer["Retry-After"]
        html = answer.text
        assert "Jobcast is briefly unavailable" in html
        assert "your campaign drafts included" in html
        assert f'href="{review_url}"' in html  # back to where they were
        assert "Back button takes you back to it with what you typed" in html
        page = recruiter_client.get(review_url)
        assert page.status_code == 503 and f'href="{review_url}"' in page.text
        database_proxy.restore()
        # Django opens a new connection on the next request (the broken one is closed).
        connection.close()
        assert not Campaign.objects.exists()
        assert CampaignDraft.objects.get(pk=ready_draft.pk).data == saved  # nothing lost
        placed = recruiter_client.post(order_url)
        assert placed.status_code == 302
    campaign = Campaign.objects.get()
    assert placed["Location"] == reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})
