"""The campaign page and the job's Sourcing tab stay live while a board is on its way: they
ask for their statuses again with the version they show, get nothing to swap until something
changes, announce what changed, and stop asking once nothing is in flight."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import EventSource, PostingStatus
from campaigns.services.status import posting_apply_status
from distribution.health import provider_answered, provider_failed
from tests.campaigns.factories import PostingFactory
from tests.factories import MembershipFactory

REFRESH = {"HX-Request": "true", "HX-Target": "campaign-live"}
SOURCING_REFRESH = {"HX-Request": "true", "HX-Target": "sourcing-campaigns"}


def page_url(posting):
    return reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id})


def shown_version(html: str) -> str:
    return re.search(r'\?version=([0-9a-f]+)"', html).group(1)


def sourcing_url(posting):
    return reverse("job_sourcing_boards", kwargs={"job_id": posting.campaign.job_id})


def test_an_unchanged_page_gets_nothing_to_swap_and_a_change_comes_with_its_announcement(
    recruiter_client, org
):
    posting = PostingFactory(campaign__job__organization=org, campaign__provider_campaign_id="c-1")
    html = recruiter_client.get(page_url(posting)).text
    assert 'hx-trigger="every 5s"' in html and 'aria-live="polite"' in html
    version = shown_version(html)

    unchanged = recruiter_client.get(page_url(posting), {"version": version}, headers=REFRESH)
    assert unchanged.status_code == 204 and not unchanged.content

    posting_apply_status(
        posting=posting,
        status=PostingStatus.ONLINE,
        source=EventSource.WEBHOOK,
        job_board_link="https://www.indeed.com/viewjob?jk=1",
    )
    changed = recruiter_client.get(page_url(posting), {"version": version}, headers=REFRESH)
    assert changed.status_code == 200
    fragment = changed.text
    assert fragment.lstrip().startswith("<div") and "<html" not in fragment
    assert 'data-status="online"' in fragment and "viewjob?jk=1" in fragment
    assert 'hx-swap-oob="innerHTML:#campaign-live-announcer"' in fragment
    assert f"{posting.board_name}: Online" in fragment
    # Nothing is in flight any more: the new copy asks for nothing.
    assert 'data-in-flight="false"' in fragment and "hx-trigger" not in fragment


def test_a_page_with_nothing_in_flight_does_not_refresh(recruiter_client, org):
    offline = PostingFactory(
        status=PostingStatus.OFFLINE,
        campaign__job__organization=org,
        campaign__provider_campaign_id="c-2",
    )
    html = recruiter_client.get(page_url(offline)).text
    assert 'data-in-flight="false"' in html and "hx-trigger" not in html


def test_a_requested_take_down_keeps_the_page_live(recruiter_client, org):
    posting = PostingFactory(online=True, campaign__job__organization=org)
    posting.take_down_requested_at = posting.published_at
    posting.save()
    assert 'data-in-flight="true"' in recruiter_client.get(page_url(posting)).text


def test_another_organisations_campaign_is_a_404_for_the_refresh_too(recruiter_client, other_org):
    foreign = PostingFactory(campaign__job__organization=other_org)
    response = recruiter_client.get(page_url(foreign), {"version": "x"}, headers=REFRESH)
    assert response.status_code == 404


def test_the_sourcing_tabs_campaigns_refresh_the_same_way(recruiter_client, org):
    posting = PostingFactory(campaign__job__organization=org, campaign__provider_campaign_id="c-4")
    html = recruiter_client.get(sourcing_url(posting)).text
    assert 'id="sourcing-live-announcer"' in html and 'data-in-flight="true"' in html
    version = shown_version(html)
    unchanged = recruiter_client.get(
        sourcing_url(posting), {"version": version}, headers=SOURCING_REFRESH
    )
    assert unchanged.status_code == 204

    posting_apply_status(posting=posting, status=PostingStatus.FAILED, source=EventSource.POLL)
    changed = recruiter_client.get(
        sourcing_url(posting), {"version": version}, headers=SOURCING_REFRESH
    ).text
    assert "<html" not in changed and 'data-testid="campaign-table"' in changed
    assert f"{posting.board_name}: Failed" in changed
    assert 'data-in-flight="false"' in changed and "hx-trigger" not in changed


@pytest.mark.browser
def test_the_open_page_shows_a_board_going_online_without_a_reload(
    transactional_db, live_server, page, client, org, settings
):
    settings.CAMPAIGN_LIVE_REFRESH_SECONDS = 1
    recruiter = MembershipFactory(organization=org).user
    posting = PostingFactory(
        campaign__job__organization=org,
        campaign__ordered_by=recruiter,
        campaign__provider_campaign_id="c-3",
    )
    client.force_login(recruiter)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + page_url(posting))
    card = page.get_by_test_id("posting")
    expect(card).to_have_attribute("data-status", "submitted")

    posting_apply_status(
        posting=posting,
        status=PostingStatus.ONLINE,
        source=EventSource.WEBHOOK,
        job_board_link="https://www.indeed.com/viewjob?jk=2",
    )
    expect(card).to_have_attribute("data-status", "online", timeout=15_000)
    expect(page.get_by_test_id("job-ad-link")).to_be_visible()
    expect(page.locator("#campaign-live-announcer")).to_contain_text("Online")
    expect(page.get_by_test_id("campaign-live")).to_have_attribute("data-in-flight", "false")


def test_the_provider_outage_reaches_a_live_campaign_page_and_says_the_order_is_kept(
    recruiter_client, org, settings
):
    settings.PROVIDER_OUTAGE_NOTICE_SECONDS = 0
    posting = PostingFactory(campaign__job__organization=org)  # not delivered yet
    html = recruiter_client.get(page_url(posting)).text
    assert 'data-testid="provider-outage"' not in html
    version = shown_version(html)

    provider_failed(reason="GET /campaigns: ConnectionError")  # as the transport records it
    refreshed = recruiter_client.get(page_url(posting), {"version": version}, headers=REFRESH)
    assert refreshed.status_code == 200  # the outage changed the page: not a 204
    assert "your order is kept and will be sent when it answers" in refreshed.text

    provider_answered()
    back = recruiter_client.get(page_url(posting), headers=REFRESH).text
    assert 'data-testid="provider-outage"' not in back
