"""Statuses coming back from a real sandbox: webhook, poll and take-down, in both of the
sandbox's profiles where they answer differently."""

import json
import logging
import time
import uuid

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from campaigns.models import (
    AttemptOutcome,
    CampaignStatus,
    EventSource,
    PostingEvent,
    PostingStatus,
    StatusPollCursor,
    WebhookDelivery,
)
from campaigns.provider_webhook import webhook_secret, webhook_url
from campaigns.services import delivery, list_poll, sync
from campaigns.services.poll_schedule import status_poll_run
from campaigns.services.take_down import campaign_take_down, posting_take_down
from distribution.client import provider_client
from distribution.messages import ContractRequest
from tests.campaigns.sandbox_setup import (
    BAYT,
    INDEED,
    delivered_campaign,
    go_online,
    place_order,
    sandbox_contract,
    sandbox_job,
    take_each_offline,
)
from tests.contracts.factories import ContractGroupFactory
from tests.distribution.conftest import make_order
from tests.factories import MembershipFactory
from tests.fixtures.sandbox import both_profiles

pytestmark = pytest.mark.django_db


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


def _remote(campaign):
    return provider_client(org=campaign.organization).get_campaign(campaign.provider_campaign_id)


def list_calls(provider) -> list[str]:
    return [query for method, path, query in provider.queries if path == "/campaigns"]


# --- poll ----------------------------------------------------------------------------------


@both_profiles
def test_the_poll_brings_statuses_and_a_second_poll_changes_nothing(delivered, provider):
    assert delivered.status == CampaignStatus.IN_PROGRESS
    go_online(provider)
    assert list_poll.status_poll(org=delivered.organization) == 2
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.ONLINE
    for posting in delivered.postings.all():
        assert posting.status == PostingStatus.ONLINE
        assert posting.job_board_link.startswith(provider.url)
        assert posting.published_at is not None
    events = PostingEvent.objects.count()
    assert list_poll.status_poll(org=delivered.organization) == 0
    assert PostingEvent.objects.count() == events
    assert PostingEvent.objects.filter(source=EventSource.POLL, to_status="online").count() == 2
    # One call per poll; both spellings of the filter, sorted by modifiedOn.
    [first, second] = list_calls(provider)[-2:]
    assert "modifiedOn_gte=" in first and "modifiedOn.gte=" in first
    assert "sortBy=modifiedOn.asc" in first


def order_at_the_sandbox(org, count: int) -> list[str]:
    """Campaigns of ``org``'s customer that Jobcast does not track (others' orders)."""
    client = provider_client(org=org)
    contract = client.create_contract(
        ContractRequest(
            channel_id=INDEED,
            credentials={"api_key": "k-12345"},
            group_id=client.create_group("Elsewhere").id,
        )
    )
    return [client.order_campaign(make_order((contract, {}))) for _ in range(count)]


@both_profiles
@pytest.mark.parametrize("filter_honoured", [True, False], ids=["filter", "no-filter"])
def test_the_poll_stays_incremental_even_when_the_service_ignores_the_filter(
    delivered, provider, settings, filter_honoured
):
    """Eleven other campaigns older than the poll's cursor, ours changed after it: the poll
    reads what changed only, also from a service that ignores the date filter (its answer
    starts at the oldest campaign: the poll then reads newest first and stops at the
    cursor)."""
    settings.CAMPAIGNS_POLL_PAGE_SIZE = 4
    org = delivered.organization
    customer = str(org.provider_customer_id)
    order_at_the_sandbox(org, 11)
    go_online(provider)  # the twelve campaigns change at one moment
    a_board = delivered.postings.first().product_id
    provider.edit_campaign(  # then ours alone, so that it holds the newest modifiedOn
        delivered.provider_campaign_id,
        customer,
        products=[{"productId": a_board, "statusDescription": "Live"}],
    )
    assert list_poll.status_poll(org=org) == 2  # ours went online; 12 campaigns in 3 pages
    cursor = StatusPollCursor.objects.get(organization=org).modified_since
    if not filter_honoured:
        provider.ignore_date_filters()
    before = len(list_calls(provider))
    provider.edit_campaign(delivered.provider_campaign_id, customer, status="offline")
    assert list_poll.status_poll(org=org) == 2
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.OFFLINE
    calls = list_calls(provider)[before:]
    # One page (the filter), or the page revealing that the filter was ignored and one
    # page newest first, which stops at the first campaign older than the cursor.
    assert len(calls) == (1 if filter_honoured else 2)
    if not filter_honoured:
        assert "sortBy=modifiedOn.desc" in calls[1]
    moved = StatusPollCursor.objects.get(organization=org).modified_since
    assert moved > cursor
    # Nothing changed since: as few calls, and the cursor stays.
    before = len(list_calls(provider))
    assert list_poll.status_poll(org=org) == 0
    assert len(list_calls(provider)) - before == (1 if filter_honoured else 2)
    assert StatusPollCursor.objects.get(organization=org).modified_since == moved


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
    list_poll.status_poll(org=delivered.organization)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.FAILED
    assert posting.status_solution == "<b>Reconnect</b> the contract"
    client.force_login(recruiter)
    page = client.get(reverse("campaign_detail", kwargs={"campaign_id": delivered.pk}))
    html = page.content.decode()
    # Read as plain text: neither rendered nor shown as raw tags (campaigns/provider_text.py).
    assert "</strong> Reconnect the contract</p>" in html
    assert "<b>Reconnect</b>" not in html and "&lt;b&gt;" not in html


def test_a_job_ad_link_that_is_not_a_web_address_is_dropped(delivered, provider):
    go_online(provider)
    first = delivered.postings.order_by("id").first()
    provider.edit_campaign(
        delivered.provider_campaign_id,
        str(delivered.organization.provider_customer_id),
        products=[{"productId": first.product_id, "jobBoardLink": "javascript:alert(1)"}],
    )
    list_poll.status_poll(org=delivered.organization)
    first.refresh_from_db()
    assert first.status == PostingStatus.ONLINE and first.job_board_link == ""


# --- webhook -------------------------------------------------------------------------------


def notification(campaign, *, modified_on: str = "2026-01-01T00:00:00Z") -> dict:
    """A provider notification about ``campaign``, with a request id of its own."""
    return {
        "request_id": f"req-{uuid.uuid4()}",
        "campaign_id": campaign.provider_campaign_id,
        "modified_on": modified_on,
    }


def post_webhook(client, body, *, secret=None, raw=None):
    url = reverse("webhooks:provider", kwargs={"webhook_secret": secret or webhook_secret()})
    data = raw if raw is not None else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def test_the_webhook_url_carries_the_secret(settings):
    settings.PROVIDER_WEBHOOK_SECRET = "s3cret-segment-for-tests"
    settings.SITE_URL = "https://jobs.example.com"
    assert webhook_url() == "https://jobs.example.com/webhooks/provider/s3cret-segment-for-tests/"
    assert webhook_url(base_url="http://web:8000/") == (
        "http://web:8000/webhooks/provider/s3cret-segment-for-tests/"
    )
    settings.PROVIDER_WEBHOOK_SECRET = ""  # unset: derived from SECRET_KEY, never shared
    derived = webhook_secret()
    assert len(derived) == 40 and derived not in settings.SECRET_KEY
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert webhook_secret() != derived


def test_the_command_prints_the_url_to_hand_over(settings, capsys):
    settings.PROVIDER_WEBHOOK_SECRET = "printed-secret-segment"
    settings.SITE_URL = "https://jobs.example.com"
    call_command("provider_webhook_url")
    assert capsys.readouterr().out.strip() == (
        "https://jobs.example.com/webhooks/provider/printed-secret-segment/"
    )
    call_command("provider_webhook_url", "--base-url", "http://web:8000")
    assert capsys.readouterr().out.strip() == (
        "http://web:8000/webhooks/provider/printed-secret-segment/"
    )


def test_a_wrong_secret_is_a_404_and_no_header_is_needed(delivered, client):
    body = {"request_id": "req-0", "campaign_id": delivered.provider_campaign_id}
    assert post_webhook(client, body, secret="not-the-secret").status_code == 404
    assert post_webhook(client, body, secret=webhook_secret() + "x").status_code == 404
    assert not WebhookDelivery.objects.exists()
    assert post_webhook(client, body).status_code == 202  # no header of any kind


def test_the_webhook_secret_never_reaches_a_log_line(delivered, client, caplog):
    """Django logs the path of a 4xx answer: the console handler masks the secret."""
    caplog.set_level(logging.WARNING, logger="django.request")
    assert post_webhook(client, None, raw="not json").status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert webhook_secret() not in record.getMessage()
    assert record.getMessage() == "Bad Request: /webhooks/provider/[redacted]/"


def test_the_webhook_dedupes_and_defers_the_work(
    delivered, provider, client, django_capture_on_commit_callbacks
):
    body = {
        "request_id": "req-1",
        "campaign_id": delivered.provider_campaign_id,
        "modified_on": "2026-01-01T00:00:00Z",
    }
    with django_capture_on_commit_callbacks() as first:
        assert post_webhook(client, body).status_code == 202
    with django_capture_on_commit_callbacks() as second:
        response = post_webhook(client, body)
    assert response.status_code == 200 and response.json() == {"status": "duplicate"}
    assert len(first) == 1 and len(second) == 0  # the work is queued once
    assert post_webhook(client, {"request_id": "x"}).status_code == 400
    assert post_webhook(client, None, raw="not json").status_code == 400
    assert not sync.campaign_refresh(provider_campaign_id="unknown-id")


@both_profiles
def test_a_notification_is_a_hint_the_campaign_is_always_fetched(
    delivered, provider, client, django_capture_on_commit_callbacks, tasks_run_here
):
    """Whatever the notification says (here a modification time long past, as a late
    duplicate would), the campaign is read from the provider and applied: in the
    partner-level list where the provider allows it (guides), else on its own (the OpenAPI
    document's reading: the list is refused once, then each notified campaign is fetched)."""
    go_online(provider)
    fetches_before = len(provider.sent_to("GET", "/campaigns/{campaignId}"))
    lists_before = len(list_calls(provider))
    body = notification(delivered, modified_on="2000-01-01T00:00:00+00:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, body).status_code == 202
    fetches = len(provider.sent_to("GET", "/campaigns/{campaignId}")) - fetches_before
    lists = len(list_calls(provider)) - lists_before
    # Guides: the check that the partner-level list shows our campaigns, then the read.
    # OpenAPI: that check refused (403), then the campaign fetched on its own.
    assert (lists, fetches) == ((2, 0) if provider.profile == "guides" else (1, 1))
    assert set(delivered.postings.values_list("status", flat=True)) == {PostingStatus.ONLINE}
    assert PostingEvent.objects.filter(source=EventSource.WEBHOOK, to_status="online").count() == 2
    if provider.profile == "openapi":  # the next notification goes straight to the fetch
        provider.edit_campaign(
            delivered.provider_campaign_id,
            str(delivered.organization.provider_customer_id),
            status="offline",
        )
        body["request_id"] = f"req-{uuid.uuid4()}"
        with django_capture_on_commit_callbacks(execute=True):
            assert post_webhook(client, body).status_code == 202
        assert len(list_calls(provider)) - lists_before == 1
        delivered.refresh_from_db()
        assert delivered.status == CampaignStatus.OFFLINE


def test_a_notification_the_read_did_not_show_is_followed_by_a_fetch(
    delivered, provider, client, django_capture_on_commit_callbacks, tasks_run_here
):
    """The poll read our change before its notification came (late, or a retry): the
    sweep's read does not show it again, so the notification is answered by a fetch of its
    campaign; the notifications of campaigns the read showed are answered by the read."""
    other = delivered_campaign()
    status_poll_run(budget=10)  # verified; the cursor after the orders
    take_each_offline(provider, [delivered, other])
    status_poll_run(budget=10)  # reads both; the cursor stands at the other's change
    fetches_before = len(provider.sent_to("GET", "/campaigns/{campaignId}"))
    body = notification(delivered)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, body).status_code == 202
    assert len(provider.sent_to("GET", "/campaigns/{campaignId}")) == fetches_before + 1
    assert not WebhookDelivery.objects.filter(followed_at=None).exists()


def test_a_sweep_that_cannot_read_the_list_fetches_each_notified_campaign(
    delivered, provider, client, django_capture_on_commit_callbacks, tasks_run_here
):
    """The provider fails the list (a 5xx on every try): the notification is still followed,
    by a fetch of its campaign, and nothing is left unanswered."""
    status_poll_run(budget=10)  # verified
    go_online(provider)
    provider.add_fault(kind="error", path="^/campaigns$", method="GET", status=503, times=50)
    body = notification(delivered)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_webhook(client, body).status_code == 202
    assert not WebhookDelivery.objects.filter(followed_at=None).exists()
    assert set(delivered.postings.values_list("status", flat=True)) == {PostingStatus.ONLINE}


@pytest.mark.django_db(transaction=True)
def test_a_webhook_met_by_a_cache_outage_is_still_followed(provider, client, tasks_run_here):
    """The sweep's mark lives in the cache: with the cache unreachable, the notification is
    still accepted and followed (a sweep of its own), never answered with an error after it
    was recorded, which would make the provider's retry a dropped duplicate."""
    campaign = delivered_campaign()
    go_online(provider)
    body = notification(campaign)
    dead_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with override_settings(CACHES=dead_cache):
        assert post_webhook(client, body).status_code == 202
    assert {p.status for p in campaign.postings.all()} == {PostingStatus.ONLINE}


def test_the_sandbox_notifies_the_url_the_command_prints(
    transactional_db, delivered, provider, live_server
):
    """End to end: the sandbox posts, with no header, to the printed URL; it is accepted."""
    provider.configure_webhook(webhook_url(base_url=live_server.url), duplicate_ratio=0)
    try:
        go_online(provider)
        deadline = time.monotonic() + 10
        while not WebhookDelivery.objects.exists():
            assert time.monotonic() < deadline, "no notification arrived"
            time.sleep(0.05)
    finally:
        provider.configure_webhook(None)
    received = WebhookDelivery.objects.get()
    assert received.provider_campaign_id == delivered.provider_campaign_id


# --- take-down ------------------------------------------------------------------------------


@both_profiles
def test_take_down_one_board_then_the_campaign(delivered, provider, recruiter, client):
    go_online(provider)
    list_poll.status_poll(org=delivered.organization)
    first, second = delivered.postings.order_by("id")

    colleague = MembershipFactory(organization=delivered.organization).user
    client.force_login(colleague)  # a recruiter who did not order it may not
    client.post(reverse("posting_take_down", kwargs={"posting_id": first.pk}))
    first.refresh_from_db()
    assert first.status == PostingStatus.ONLINE and not first.take_down_pending

    client.force_login(recruiter)
    client.post(reverse("posting_take_down", kwargs={"posting_id": first.pk}))
    first.refresh_from_db()
    assert first.status == PostingStatus.OFFLINE  # the provider said so, read back at once
    remote = {p.product_id: p.status for p in _remote(delivered).products}
    assert remote[first.product_id] == "offline" and remote[second.product_id] == "online"
    [sent] = provider.sent_to("PUT", "/campaigns/{campaignId}/product_cancellation")
    assert sent["campaignId"] == delivered.provider_campaign_id

    client.post(reverse("campaign_take_down", kwargs={"campaign_id": delivered.pk}))
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.OFFLINE
    assert {p.status for p in _remote(delivered).products} == {"offline"}
    # The poll's later "offline" changes nothing more.
    events = PostingEvent.objects.count()
    list_poll.status_poll(org=delivered.organization)
    assert PostingEvent.objects.count() == events


def test_closing_a_job_offers_to_take_its_live_ads_down(delivered, provider, recruiter, client):
    go_online(provider)
    list_poll.status_poll(org=delivered.organization)
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


@both_profiles
def test_a_take_down_before_online_waits_for_the_board_to_be_online(
    delivered, provider, recruiter, client
):
    """The provider ignores the cancellation of a campaign that is not online: the postings
    show Take-down requested, the cancellation goes out once the provider reports them
    online (here by the poll), and they show Offline when the provider says so."""
    client.force_login(recruiter)
    response = client.post(
        reverse("campaign_take_down", kwargs={"campaign_id": delivered.pk}), follow=True
    )
    assert "Take-down requested" in response.content.decode()
    postings = list(delivered.postings.order_by("id"))
    for posting in postings:
        posting.refresh_from_db()
        assert posting.status == PostingStatus.IN_PROGRESS  # not Offline
        assert posting.take_down_pending and posting.shown_status == "take_down_requested"
    assert provider.sent_to("PUT", "/campaigns/{campaignId}/cancellation") == []
    assert {p.status for p in _remote(delivered).products} == {"in progress"}
    page = client.get(reverse("campaign_detail", kwargs={"campaign_id": delivered.pk}))
    assert page.content.decode().count('data-status="take_down_requested"') == 2

    go_online(provider)
    list_poll.status_poll(org=delivered.organization)  # the provider reports them online
    [cancellation] = provider.sent_to("PUT", "/campaigns/{campaignId}/cancellation")
    assert cancellation == {"campaignId": delivered.provider_campaign_id, "status": "offline"}
    assert any(
        "errorOnCancelCampaign=true" in query
        for method, path, query in provider.queries
        if method == "PUT"
    )
    for posting in postings:
        posting.refresh_from_db()
        assert posting.status == PostingStatus.OFFLINE and not posting.take_down_pending
    assert {p.status for p in _remote(delivered).products} == {"offline"}
    delivered.refresh_from_db()
    assert delivered.status == CampaignStatus.OFFLINE
    # Sent once: another poll sends nothing more.
    list_poll.status_poll(org=delivered.organization)
    assert len(provider.sent_to("PUT", "/campaigns/{campaignId}/cancellation")) == 1


def test_one_board_taken_down_before_online_is_cancelled_alone_later(
    delivered, provider, recruiter
):
    first, second = delivered.postings.order_by("id")
    outcome = posting_take_down(org=delivered.organization, posting_id=first.pk, by=recruiter)
    assert (outcome.offline, outcome.waiting) == (0, 1)
    go_online(provider)
    assert sync.campaign_refresh(provider_campaign_id=delivered.provider_campaign_id)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PostingStatus.OFFLINE
    assert second.status == PostingStatus.ONLINE and not second.take_down_pending
    assert len(provider.sent_to("PUT", "/campaigns/{campaignId}/product_cancellation")) == 1
    assert provider.sent_to("PUT", "/campaigns/{campaignId}/cancellation") == []


def test_a_take_down_that_cannot_reach_the_provider_is_kept_and_sent_later(
    delivered, provider, recruiter
):
    go_online(provider)
    list_poll.status_poll(org=delivered.organization)
    # The take-down's cancellation fails, and so does the retry its read-back makes.
    provider.add_fault(kind="error", status=503, path="/campaigns/", method="PUT", times=2)
    outcome = campaign_take_down(org=delivered.organization, campaign_id=delivered.pk, by=recruiter)
    assert outcome.waiting == 2
    assert {p.take_down_pending for p in delivered.postings.all()} == {True}
    list_poll.status_poll(org=delivered.organization)  # the next status update sends it
    assert {p.status for p in delivered.postings.all()} == {PostingStatus.OFFLINE}


def test_the_timeline_records_who_asked_for_the_take_down(delivered, provider, recruiter):
    campaign_take_down(org=delivered.organization, campaign_id=delivered.pk, by=recruiter)
    requested = PostingEvent.objects.filter(source=EventSource.TAKE_DOWN, by=recruiter)
    assert requested.count() == 2
    assert {e.to_status for e in requested} == {PostingStatus.IN_PROGRESS}
    # A second click records nothing more.
    campaign_take_down(org=delivered.organization, campaign_id=delivered.pk, by=recruiter)
    assert requested.count() == 2
    assert {p.take_down_requested_by for p in delivered.postings.all()} == {recruiter}
