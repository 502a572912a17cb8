"""Redis restarted mid-submit: the broker, the cache and the call budget of the worker (and of
the web) go through a real TCP proxy that the test cuts while an order is being sent and
while another is placed, then restores.

Nothing is lost: the order view commits the order in the database whatever the broker says,
and the outbox relay, run by a real beat (``--beat`` in the worker), hands the order the
broker never received to the worker once Redis is back; the test itself never relays. Each
order reaches the provider once, and the statuses converge by the beat's status poll.

A worker may exit when its broker connection drops (kombu 5.7 sometimes fails to restore its
unacknowledged messages while closing the dead channel: "Unrecoverable error: AttributeError
'NoneType' object has no attribute 'hostname'"). Production restarts it (docker-compose.yml:
``restart: unless-stopped``); the test does the same, and an order is never lost with it: the
order in flight finishes in the exiting worker, and its message is only a copy of the outbox.
"""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns.models import Campaign, OrderOutbox, OutboxState, PostingStatus, SubmitAttempt
from config.celery import app as celery_app
from tests.campaigns.sandbox_setup import INDEED, place_order, sandbox_contract, sandbox_job
from tests.campaigns.test_pipeline import (
    ORDER_PATH,
    orders_at_sandbox,
    settled,
    use_broker,
    wait_for,
)
from tests.contracts.factories import ContractGroupFactory
from tests.fixtures.celery_worker import (
    CeleryWorker,
    purge_broker,
    require_pipeline_services,
    worker_env,
)
from tests.fixtures.namespaced_cache import NamespacedRedisCache
from tests.fixtures.tcp_proxy import TcpProxy
from tests.fixtures.tcp_proxy import through as url_through

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]


@pytest.fixture
def redis_proxy(transactional_db):
    require_pipeline_services()
    with TcpProxy.towards(settings.REDIS_URL) as proxy:
        yield proxy


@pytest.fixture
def worker_and_beat_via_proxy(transactional_db, sandbox, redis_proxy, tmp_path):
    """A real worker running the beat schedule, all of whose Redis goes through the proxy.
    The relay and the poll run every second, the relay after a one-second grace."""
    purge_broker()
    env = worker_env(
        sandbox,
        REDIS_URL=url_through(settings.REDIS_URL, redis_proxy),
        CAMPAIGNS_RELAY_EVERY="1",
        CAMPAIGNS_OUTBOX_GRACE_SECONDS="1",
        CAMPAIGNS_POLL_EVERY="1",
    )
    worker = CeleryWorker(env, "--beat", "--schedule", str(tmp_path / "beat-schedule")).start()
    yield worker
    worker.stop()
    purge_broker()


@pytest.fixture
def web_via_proxy(redis_proxy, settings):
    """This process (the web) reaches the broker and the cache through the proxy too."""
    proxied = url_through(settings.REDIS_URL, redis_proxy)
    working_url, working_caches = celery_app.conf.broker_url, settings.CACHES
    use_broker(celery_app, proxied)
    settings.CACHES = {
        "default": {
            "BACKEND": f"{NamespacedRedisCache.__module__}.{NamespacedRedisCache.__name__}",
            "LOCATION": proxied,
            "KEY_PREFIX": settings.TEST_REDIS_KEY_PREFIX + "cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield
    use_broker(celery_app, working_url)
    settings.CACHES = working_caches


@pytest.fixture
def setup(provider, enabled_org, recruiter):
    group = ContractGroupFactory(organization=enabled_org, name="Sandbox")
    job = sandbox_job(enabled_org, recruiter)
    return job, recruiter, sandbox_contract(enabled_org, group, INDEED)


def test_redis_restarted_mid_submit_loses_no_order_and_sends_each_once(
    setup, worker_and_beat_via_proxy, web_via_proxy, redis_proxy, sandbox, caplog
):
    job, recruiter, indeed = setup
    worker = worker_and_beat_via_proxy
    # The first order's request waits at the sandbox while Redis goes away.
    # (Shorter than the worker's read timeout: the answer arrives.)
    sandbox.add_fault(kind="latency", method="POST", path=ORDER_PATH, seconds=1.5, times=1)
    in_flight = place_order(job, recruiter, [indeed], campaign_name="In flight")
    wait_for(
        lambda: sandbox.stats()["faults_triggered"] >= 1,
        what="the first order at the sandbox",
        worker=worker,
    )
    redis_proxy.cut()
    with caplog.at_level(logging.WARNING, logger="config.queue"):
        # Placed during the outage: taken all the same, though the broker refuses it.
        placed_meanwhile = place_order(job, recruiter, [indeed], campaign_name="Meanwhile")
    refused = [r.getMessage() for r in caplog.records if r.name == "config.queue"]
    assert any(f"campaign_submit_task({placed_meanwhile.pk},)" in m for m in refused)
    assert OrderOutbox.objects.get(campaign=placed_meanwhile).state == OutboxState.PENDING
    # The worker finishes the order in flight: its answer is committed in the database.
    wait_for(lambda: settled(in_flight), what="the order in flight", worker=worker)
    assert not SubmitAttempt.objects.filter(campaign=placed_meanwhile).exists()
    redis_proxy.restore()

    # Only the beat's relay can send the second order: no message of it exists.
    wait_for(
        lambda: not worker.restart_if_exited() and settled(placed_meanwhile),
        timeout=120,
        what="the order placed during the outage",
        worker=worker,
    )
    for campaign in (in_flight, placed_meanwhile):
        assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.DONE
        assert orders_at_sandbox(sandbox, campaign) == 1, campaign.name
    assert sandbox.stats()["orders_total"] == 2

    # Statuses converge through the beat's status poll.
    sandbox.advance_to_online()
    wait_for(
        lambda: (
            set(
                OrderOutbox.objects.filter(campaign__in=[in_flight, placed_meanwhile]).values_list(
                    "campaign__postings__status", flat=True
                )
            )
            == {PostingStatus.ONLINE}
        ),
        timeout=120,
        what="the boards online",
        worker=worker,
    )


def test_ordering_while_redis_is_away_takes_the_order(
    web_via_proxy, redis_proxy, recruiter_client, ready_draft, caplog
):
    """A person ordering during the outage is not turned away: the session falls back to the
    database, the order is committed, and only its hand-over to the broker waits."""
    order_url = reverse("campaign_draft_order", kwargs={"draft_id": ready_draft.pk})
    redis_proxy.cut()
    with caplog.at_level(logging.WARNING, logger="config.queue"):
        answer = recruiter_client.post(order_url)
    campaign = Campaign.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("campaign_detail", kwargs={"campaign_id": campaign.pk})
    assert OrderOutbox.objects.get(campaign=campaign).state == OutboxState.PENDING
    assert any("will be relayed later" in r.getMessage() for r in caplog.records)
    page = recruiter_client.get(answer["Location"])
    assert page.status_code == 200 and campaign.name in page.text
