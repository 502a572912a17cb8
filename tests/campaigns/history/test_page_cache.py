"""The History's rendered content is cached (campaigns/history/page_cache.py): these tests
prove it is served from the cache, and never stale after a change that must show at once."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.history import page_cache
from campaigns.models import EventSource, PostingStatus
from campaigns.services.status import posting_apply_status
from tests.campaigns.history.factories import PostingFactory
from tests.jobs.factories import JobViewCounterFactory

pytestmark = pytest.mark.django_db

HISTORY = reverse("campaign_history")
LIVE = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.HISTORY_CACHE_SECONDS = 60


def main_of(text: str) -> str:
    """The page below the side menu (the layout has a per-request CSRF token)."""
    return text[text.index('<main id="main"') : text.index("</main>")]


def row_of(text: str, posting) -> str:
    return text[text.index(f'data-posting="{posting.pk}"') :].split("</tr>")[0]


def test_a_second_request_is_served_from_the_cache(admin_client, org):
    PostingFactory(campaign__job__organization=org, campaign__name="Spring hiring")
    first = admin_client.get(HISTORY)
    with CaptureQueriesContext(connection) as queries:
        second = admin_client.get(HISTORY)
    assert second.status_code == 200 and "Spring hiring" in second.text
    # Only the session's user (with membership and organisation) is read: no History query.
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert "campaigns_posting" not in queries.captured_queries[0]["sql"]
    assert main_of(first.text) == main_of(second.text)


def test_a_status_change_shows_on_the_next_request(admin_client, org):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.IN_PROGRESS)
    assert ">In progress</span>" in row_of(admin_client.get(HISTORY).text, posting)
    assert 'data-live="true"' in admin_client.get(HISTORY, headers=LIVE).text

    posting_apply_status(
        posting=posting,
        status=PostingStatus.ONLINE,
        source=EventSource.WEBHOOK,
        job_board_link="https://board.example/ads/1",
    )

    page = admin_client.get(HISTORY).text
    assert ">Online</span>" in row_of(page, posting)
    assert 'href="https://board.example/ads/1"' in row_of(page, posting)
    assert ">Online</span>" in row_of(admin_client.get(HISTORY, headers=LIVE).text, posting)


def test_a_new_order_shows_on_the_next_request(admin_client, org):
    first = PostingFactory(campaign__job__organization=org, campaign__name="First campaign")
    assert "Second campaign" not in admin_client.get(HISTORY).text
    PostingFactory(campaign__job=first.campaign.job, campaign__name="Second campaign")
    assert "Second campaign" in admin_client.get(HISTORY).text


def test_pages_are_never_shared_between_organisations(admin_client, org, other_org, other_admin):
    PostingFactory(campaign__job__organization=org, campaign__name="Ours")
    PostingFactory(campaign__job__organization=other_org, campaign__name="Theirs")
    other_client = Client()
    other_client.force_login(other_admin)
    for _ in range(2):  # the second round is served from the cache
        ours, theirs = admin_client.get(HISTORY).text, other_client.get(HISTORY).text
        assert "Ours" in ours and "Theirs" not in ours
        assert "Theirs" in theirs and "Ours" not in theirs


def test_each_language_and_query_has_its_own_page(admin_client, org):
    PostingFactory(campaign__job__organization=org, status=PostingStatus.SUBMITTED)
    assert ">Submitted</span>" in admin_client.get(HISTORY).text
    french = admin_client.get(HISTORY, headers={"Accept-Language": "fr"}).text
    assert "Historique Mes Propres Contrats" in french and ">Submitted</span>" not in french
    assert 'data-testid="empty-state"' in admin_client.get(f"{HISTORY}?status=online").text
    assert 'data-testid="empty-state"' not in admin_client.get(HISTORY).text


def test_career_page_views_show_within_the_cache_lifetime(admin_client, org, settings):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.ONLINE)
    JobViewCounterFactory(job=posting.campaign.job, utm_content=posting.utm_content, count=3)
    admin_client.get(HISTORY)
    JobViewCounterFactory(
        job=posting.campaign.job,
        utm_content=posting.utm_content,
        count=4,
        day=timezone.localdate() - timedelta(days=1),
    )
    # Within the cache's lifetime the page may show the earlier count (documented) ...
    cached_row = row_of(admin_client.get(HISTORY).text, posting)
    assert [cell.split(">")[-1] for cell in cached_row.split("</td>")[-4:-3]] == ["3"]
    # ... and with the cache off (or once it expired) the new one.
    settings.HISTORY_CACHE_SECONDS = 0
    fresh_row = row_of(admin_client.get(HISTORY).text, posting)
    assert [cell.split(">")[-1] for cell in fresh_row.split("</td>")[-4:-3]] == ["7"]


def test_the_version_changes_again_when_the_transaction_commits(
    org, django_capture_on_commit_callbacks
):
    """A request between a write and its commit reads the old rows: whatever it caches is
    under a version that the commit replaces."""
    before = page_cache.history_version(org)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        PostingFactory(campaign__job__organization=org)
        during = page_cache.history_version(org)
    after = page_cache.history_version(org)
    assert len({before, during, after}) == 3


def test_a_cache_outage_neither_fails_the_page_nor_a_status_change(admin_client, org, request):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.IN_PROGRESS)
    admin_client.get(HISTORY)  # cached, and the session too (both in the database as well)
    request.getfixturevalue("cache_outage")

    assert posting_apply_status(posting=posting, status=PostingStatus.ONLINE, source="webhook")
    response = admin_client.get(HISTORY)
    assert response.status_code == 200
    assert ">Online</span>" in row_of(response.text, posting)
    live = admin_client.get(HISTORY, headers=LIVE)
    assert live.status_code == 200 and ">Online</span>" in live.text
