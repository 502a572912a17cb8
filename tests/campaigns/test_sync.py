"""Statuses coming back from a real sandbox: webhook, poll and take-down."""

import json

import pytest
from django.urls import reverse

from campaigns.models import (
    AttemptOutcome,
    CampaignStatus,
    EventSource,
    PostingEvent,
    PostingStatus,
    WebhookDelivery,
)
from campaigns.services import delivery, sync
from distribution.client import provider_client
from tests.campaigns.sandbox_setup import BAYT, INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
WEBHOOK_URL = "/webhooks/provider/"


@pytest.fixture
def delivered(provider, enabled_org, recruiter):
    """A campaign on two boards, delivered to the sandbox (in this process)."""
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    indeed = sandbox_contract(enabled_org, group, INDEED)
    bayt = sandbox_contract(enabled_org, group, BAYT)
    campaign = place_order(job, recruiter, [indeed, bayt], {bayt: {"location": "ae-dubai"}})
    assert delivery.campaign_submit(campaign_id=campaign.pk).outcome == AttemptOutcome.ORDERED
    campaign.refresh_from_db()
    return campaign


def go_online(provider):
    provider.advance(60)
    provider.tick()


def test_the_poll_brings_statuses_and_a_second_poll_changes_nothing(delivered, provider):
    assert delivered.status == CampaignStatus.IN_PROGRESS
    go_online(provider)
    assert sync.status_poll(org=delivered.organization) == 2
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.ONLINE
    for posting in delivered.postings.all():
        assert posting.status == PostingStatus.ONLINE
        assert posting.job_board_link.startswith(provider.url)
        assert posting.published_at is not None
    events = PostingEvent.objects.count()
    assert sync.status_poll(org=delivered.organization) == 0
    assert PostingEvent.objects.count() == events
    assert PostingEvent.objects.filter(source=EventSource.POLL, to_status="online").count() == 2


def test_a_failure_shows_the_providers_reason_as_text(delivered, provider, recruiter, client):
    posting = delivered.postings.order_by("id").first()
    provider.edit_campaign(
        delivered.provider_campaign_id,
        str(delivered.organization.provider_customer_id),
        products=[
            {
                "productId": posting.product_id,
                "status": "not processed",
                "statusDescription": "Login refused by the board",
                "statusSolution": "<b>Reconnect</b> the contract",
            }
        ],
    )
    sync.status_poll(org=delivered.organization)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert posting.status_solution == "<b>Reconnect</b> the contract"
    client.force_login(recruiter)
    page = client.get(reverse("campaign_detail", kwargs={"campaign_id": delivered.pk}))
    html = page.content.decode()
    assert "&lt;b&gt;Reconnect&lt;/b&gt; the contract" in html
    assert "<b>Reconnect</b>" not in html


WEBHOOK_SECRET = "dev-webhook-secret"


def post_webhook(client, body, secret=WEBHOOK_SECRET, raw=None):
    headers = {"HTTP_X_JOBCAST_WEBHOOK_SECRET": secret} if secret is not None else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(WEBHOOK_URL, data, content_type="application/json", **headers)


def test_the_webhook_checks_the_secret_dedupes_and_defers_the_work(
    delivered, provider, client, settings, django_capture_on_commit_callbacks
):
    settings.PROVIDER_WEBHOOK_SECRET = WEBHOOK_SECRET
    body = {
        "request_id": "req-1",
        "campaign_id": delivered.provider_campaign_id,
        "modified_on": "2026-01-01T00:00:00Z",
    }
    assert post_webhook(client, body, secret=None).status_code == 403
    assert post_webhook(client, body, secret="wrong").status_code == 403
    assert not WebhookDelivery.objects.exists()

    with django_capture_on_commit_callbacks() as first:
        assert post_webhook(client, body).status_code == 202
    with django_capture_on_commit_callbacks() as second:
        response = post_webhook(client, body)
    assert response.status_code == 200 and response.json() == {"status": "duplicate"}
    assert len(first) == 1 and len(second) == 0  # the work is queued once
    assert post_webhook(client, {"request_id": "x"}).status_code == 400
    assert post_webhook(client, None, raw="not json").status_code == 400

    # The queued work: fetch the campaign and apply it.
    go_online(provider)
    assert sync.campaign_refresh(provider_campaign_id=delivered.provider_campaign_id)
    assert set(delivered.postings.values_list("status", flat=True)) == {PostingStatus.ONLINE}
    assert not sync.campaign_refresh(provider_campaign_id="unknown-id")


def test_take_down_one_board_then_the_campaign(delivered, provider, recruiter, client):
    go_online(provider)
    sync.status_poll(org=delivered.organization)
    first, second = delivered.postings.order_by("id")

    colleague = MembershipFactory(organization=delivered.organization).user
    client.force_login(colleague)  # a recruiter who did not order it may not
    client.post(reverse("posting_take_down", kwargs={"posting_id": first.pk}))
    first.refresh_from_db()
    assert first.status == PostingStatus.ONLINE

    client.force_login(recruiter)
    client.post(reverse("posting_take_down", kwargs={"posting_id": first.pk}))
    first.refresh_from_db()
    assert first.status == PostingStatus.OFFLINE
    provider.tick()
    remote = {p.product_id: p.status for p in _remote(delivered).products}
    assert remote[first.product_id] == "offline" and remote[second.product_id] == "online"

    client.post(reverse("campaign_take_down", kwargs={"campaign_id": delivered.pk}))
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.OFFLINE
    provider.tick()
    assert {p.status for p in _remote(delivered).products} == {"offline"}
    # The poll's later "offline" changes nothing more.
    events = PostingEvent.objects.count()
    sync.status_poll(org=delivered.organization)
    assert PostingEvent.objects.count() == events


def _remote(campaign):
    return provider_client(org=campaign.organization).get_campaign(campaign.provider_campaign_id)


def test_closing_a_job_offers_to_take_its_live_ads_down(delivered, provider, recruiter, client):
    go_online(provider)
    sync.status_poll(org=delivered.organization)
    client.force_login(recruiter)
    job_id = delivered.job_id
    take_down_url = reverse("job_campaigns_take_down", kwargs={"job_id": job_id})
    assert (
        take_down_url
        not in client.get(
            reverse("job_sourcing_boards", kwargs={"job_id": job_id})
        ).content.decode()
    )

    closed = client.post(reverse("job_close", kwargs={"job_id": job_id}), follow=True)
    html = closed.content.decode()
    assert "1 campaign is still live on job boards" in html and take_down_url in html

    done = client.post(take_down_url, follow=True).content.decode()
    assert "The job&#x27;s campaigns were taken down." in done and take_down_url not in done
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.OFFLINE
    provider.tick()
    assert {p.status for p in _remote(delivered).products} == {"offline"}


def test_a_take_down_the_provider_does_not_answer_changes_nothing_and_says_so(
    delivered, provider, recruiter, client
):
    go_online(provider)
    sync.status_poll(org=delivered.organization)
    provider.add_fault(kind="error", status=503, path="/campaigns/", method="PUT", times=5)
    client.force_login(recruiter)
    response = client.post(
        reverse("campaign_take_down", kwargs={"campaign_id": delivered.pk}), follow=True
    )
    assert "did not answer. Nothing was changed; try again in a moment." in (
        response.content.decode()
    )
    assert set(delivered.postings.values_list("status", flat=True)) == {PostingStatus.ONLINE}
