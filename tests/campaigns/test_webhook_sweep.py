"""Webhooks followed by a sweep of the partner-level list, with a real Celery worker on Redis
and PostgreSQL and a real sandbox process: the notifications of a few seconds share one read,
and a change the list showed before our delivery recorded its id is fetched once it is.

Run: DATABASE_URL=postgres://... REDIS_URL=redis://... pytest -m pipeline tests/campaigns
"""

import json
import re
import time
import uuid

import pytest
from django.urls import reverse

from campaigns.models import Campaign, PostingStatus, WebhookDelivery
from campaigns.provider_webhook import webhook_secret
from campaigns.services.poll_schedule import status_poll_run
from tests.campaigns.sandbox_setup import delivered_campaign, take_each_offline

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]


def wait_for(predicate, *, worker, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"Timed out waiting for {what}\n--- worker log ---\n{worker.log()}"
            )
        time.sleep(0.2)


def offline(campaigns) -> bool:
    return {p.status for c in campaigns for p in c.postings.all()} == {PostingStatus.OFFLINE}


def route_counts(sandbox) -> dict[str, int]:
    return sandbox.stats()["requests_by_route"]


def notify(client, campaign) -> None:
    body = {
        "request_id": f"req-{uuid.uuid4()}",
        "campaign_id": campaign.provider_campaign_id,
        "modified_on": "2026-01-01T00:00:00Z",
    }
    url = reverse("webhooks:provider", kwargs={"webhook_secret": webhook_secret()})
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 202


def test_the_notifications_of_a_few_seconds_share_one_read_of_the_list(
    celery_worker, provider, client, settings
):
    settings.CAMPAIGNS_WEBHOOK_SWEEP_SECONDS = 2
    campaigns = [delivered_campaign() for _ in range(3)]
    assert status_poll_run(budget=10).partner_level  # verified; the cursor after the orders
    take_each_offline(provider, campaigns)
    before = route_counts(provider)
    for campaign in campaigns:
        notify(client, campaign)
    wait_for(lambda: offline(campaigns), worker=celery_worker, what="the sweep")
    # One sweep was handed over for the three (a worker logs a task with a countdown as it
    # receives it, long before it runs it).
    received = re.findall(r"webhook_sweep_task\[[^\]]+\] received", celery_worker.log())
    assert len(received) == 1
    after = route_counts(provider)
    assert after.get("GET /campaigns", 0) - before.get("GET /campaigns", 0) == 1
    fetches = "GET /campaigns/{campaignId}"
    assert after.get(fetches, 0) == before.get(fetches, 0)  # no campaign fetched on its own
    assert not WebhookDelivery.objects.filter(followed_at=None).exists()


def test_a_change_the_list_showed_before_the_delivery_recorded_the_id_is_fetched_once_it_is(
    celery_worker, provider, settings
):
    settings.CAMPAIGNS_IN_FLIGHT_REFRESH_SECONDS = 1
    ours, later = delivered_campaign(), delivered_campaign()
    assert status_poll_run(budget=10).partner_level
    provider_id = ours.provider_campaign_id
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id="")  # not recorded yet
    take_each_offline(provider, [ours, later])  # ours changes, then a later one
    status_poll_run(budget=10)  # the cursor moves past ours; its fetch is handed over
    assert offline([later]) and not offline([ours])
    Campaign.objects.filter(pk=ours.pk).update(provider_campaign_id=provider_id)  # recorded
    wait_for(lambda: offline([ours]), worker=celery_worker, what="the in-flight refresh")
