"""The History's rendered content is cached (campaigns/history/page_cache.py): these tests
prove it is served from the cache, and never stale after a change that must show at once.
The write paths say so themselves (no signal receivers): an order, every status change, and
through it delivery, the status sync and take-downs."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.history import page_cache
from campaigns.models import Campaign, EventSource, Posting, PostingStatus
from campaigns.services import delivery, list_poll
from campaigns.services.ordering import campaign_order
from campaigns.services.status import posting_apply_status
from tests.campaigns.factories import PostingFactory
from tests.campaigns.history.pages import history_rows
from tests.campaigns.sandbox_setup import BAYT, INDEED, place_order, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.jobs.factories import JobFactory, JobViewCounterFactory

pytestmark = pytest.mark.django_db

HISTORY = reverse("campaign_history")
LIVE = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.HISTORY_CACHE_SECONDS = 60


def main_of(text: str) -> str:
    """The page below the side menu (the layout has a per-request CSRF token)."""
    return text[text.index('<main id="main"') : text.index("</main>")]


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


def test_a_status_change_through_the_status_service_shows_on_the_next_request(admin_client, org):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.IN_PROGRESS)
    assert history_rows(admin_client.get(HISTORY).text)[posting.pk].badge == "In progress"
    assert 'data-live="true"' in admin_client.get(HISTORY, headers=LIVE).text

    posting_apply_status(
        posting=posting,
        status=PostingStatus.ONLINE,
        source=EventSource.WEBHOOK,
        job_board_link="https://board.example/ads/1",
    )

    row = history_rows(admin_client.get(HISTORY).text)[posting.pk]
    assert row.badge == "Online" and "https://board.example/ads/1" in row.links
    assert history_rows(admin_client.get(HISTORY, headers=LIVE).text)[posting.pk].badge == "Online"


def test_a_status_update_that_changes_nothing_keeps_the_cache(org):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.ONLINE)
    before = page_cache.history_version(org)
    assert not posting_apply_status(
        posting=posting, status=PostingStatus.ONLINE, source=EventSource.POLL
    )
    assert page_cache.history_version(org) == before


def test_no_signal_receiver_invalidates_the_cache(org):
    """Saves that bypass the write paths do not touch the cache: the services say so."""
    assert not post_save.has_listeners(Posting) and not post_save.has_listeners(Campaign)
    assert not post_delete.has_listeners(Posting) and not post_delete.has_listeners(Campaign)
    posting = PostingFactory(campaign__job__organization=org)
    before = page_cache.history_version(org)
    posting.clicks = 5
    posting.save()
    posting.campaign.delete()
    assert page_cache.history_version(org) == before


def test_a_new_order_shows_on_the_next_request(admin_client, ready_draft, recruiter):
    assert 'data-testid="empty-state"' in admin_client.get(HISTORY).text
    campaign = campaign_order(org=ready_draft.organization, by=recruiter, draft_id=ready_draft.pk)
    rows = history_rows(admin_client.get(HISTORY).text)
    assert set(rows) == set(campaign.postings.values_list("pk", flat=True))


def test_delivery_sync_and_take_down_show_on_the_next_request(
    provider, enabled_org, recruiter, admin, admin_client
):
    """The whole pipeline against the real sandbox, with a History page cached before
    every step: delivered (In progress), polled (Online), taken down (Offline)."""
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    contracts = [sandbox_contract(enabled_org, group, board) for board in (INDEED, BAYT)]
    campaign = place_order(job, recruiter, contracts, {contracts[1]: {"location": "ae-dubai"}})
    first, second = campaign.postings.order_by("id")

    def badges() -> list[str]:
        rows = history_rows(admin_client.get(HISTORY).text)
        return [rows[first.pk].badge, rows[second.pk].badge]

    assert badges() == ["Submitted", "Submitted"]
    assert delivery.campaign_submit(campaign_id=campaign.pk).outcome == "ordered"
    assert badges() == ["In progress", "In progress"]
    provider.advance(60)
    provider.tick()
    assert list_poll.status_poll(org=enabled_org) == 2
    assert badges() == ["Online", "Online"]
    response = admin_client.post(reverse("posting_take_down", kwargs={"posting_id": first.pk}))
    assert response.status_code == 302
    assert badges() == ["Offline", "Online"]


def test_a_take_down_waiting_for_the_provider_shows_on_the_next_request(
    provider, enabled_org, recruiter, admin_client
):
    """A board that is not online yet cannot be cancelled: its take-down is recorded
    (Take-down requested), and the cached History says so at once."""
    group = ContractGroupFactory(organization=enabled_org)
    job = sandbox_job(enabled_org, recruiter)
    campaign = place_order(job, recruiter, [sandbox_contract(enabled_org, group, INDEED)], {})
    [posting] = campaign.postings.all()
    assert delivery.campaign_submit(campaign_id=campaign.pk).outcome == "ordered"
    assert history_rows(admin_client.get(HISTORY).text)[posting.pk].badge == "In progress"

    response = admin_client.post(reverse("posting_take_down", kwargs={"posting_id": posting.pk}))

    assert response.status_code == 302
    row = history_rows(admin_client.get(HISTORY).text)[posting.pk]
    assert (row.badge, row.status) == ("Take-down requested", "in_progress")


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
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.SUBMITTED)
    assert history_rows(admin_client.get(HISTORY).text)[posting.pk].badge == "Submitted"
    french = admin_client.get(HISTORY, headers={"Accept-Language": "fr"}).text
    with translation.override("fr"):
        submitted = str(PostingStatus.SUBMITTED.label)
    assert history_rows(french)[posting.pk].badge == submitted != "Submitted"
    assert "Historique Mes Propres Contrats" in french
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
    views = history_rows(admin_client.get(HISTORY).text)[posting.pk].metrics[0]
    assert views == "3"
    # ... and with the cache off (or once it expired) the new one.
    settings.HISTORY_CACHE_SECONDS = 0
    assert history_rows(admin_client.get(HISTORY).text)[posting.pk].metrics[0] == "7"


def test_the_version_changes_again_when_the_transaction_commits(
    org, django_capture_on_commit_callbacks
):
    """A request between a write and its commit reads the old rows: whatever it caches is
    under a version that the commit replaces."""
    posting = PostingFactory(campaign__job__organization=org)
    before = page_cache.history_version(org)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        posting_apply_status(posting=posting, status=PostingStatus.ONLINE, source="webhook")
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
    assert history_rows(response.text)[posting.pk].badge == "Online"
    live = admin_client.get(HISTORY, headers=LIVE)
    assert live.status_code == 200 and history_rows(live.text)[posting.pk].badge == "Online"


def rendered(response, template: str) -> int:
    return [t.name for t in response.templates].count(template)


def test_rows_and_filters_seen_before_are_not_rendered_again(admin_client, org):
    postings = [PostingFactory(campaign__job__organization=org, online=True) for _ in range(3)]
    first = admin_client.get(HISTORY)
    assert rendered(first, "campaigns/history/_row.html") == 3
    assert rendered(first, "campaigns/history/_filters.html") == 1
    # Another sort: the same rows and the same filters, in another order.
    resorted = admin_client.get(f"{HISTORY}?sort=board")
    assert rendered(resorted, "campaigns/history/_row.html") == 0
    assert rendered(resorted, "campaigns/history/_filters.html") == 1  # it keeps the sort
    assert set(history_rows(resorted.text)) == {p.pk for p in postings}
    # After a change, only the changed row is rendered again (the filters are unchanged).
    posting_apply_status(posting=postings[0], status=PostingStatus.OFFLINE, source="webhook")
    changed = admin_client.get(HISTORY)
    assert rendered(changed, "campaigns/history/_row.html") == 1
    assert rendered(changed, "campaigns/history/_filters.html") == 0
    assert history_rows(changed.text)[postings[0].pk].badge == "Offline"


def test_a_row_shows_new_counts_whenever_it_is_rendered(admin_client, org):
    posting = PostingFactory(campaign__job__organization=org, online=True)
    JobViewCounterFactory(job=posting.campaign.job, utm_content=posting.utm_content, count=3)
    assert history_rows(admin_client.get(HISTORY).text)[posting.pk].metrics[0] == "3"
    JobViewCounterFactory(
        job=posting.campaign.job,
        utm_content=posting.utm_content,
        count=4,
        day=timezone.localdate() - timedelta(days=1),
    )
    # A page not cached yet reads the counts again: the row's key holds them.
    assert (
        history_rows(admin_client.get(f"{HISTORY}?sort=views").text)[posting.pk].metrics[0] == "7"
    )


def test_the_filter_choices_are_kept_until_something_changes(admin_client, org):
    def board_options(query: str) -> str:
        page = admin_client.get(f"{HISTORY}?{query}").text
        return page.split('id="id_board"')[1].split("</select>")[0]

    PostingFactory(campaign__job__organization=org, contract__channel__name="Naukri")
    admin_client.get(HISTORY)
    PostingFactory(campaign__job__organization=org, contract__channel__name="Bayt")
    options = board_options("sort=board")
    assert ">Naukri</option>" in options and ">Bayt</option>" not in options
    page_cache.history_changed(org_id=org.pk)  # what ordering the second posting calls
    options = board_options("sort=board")
    assert ">Naukri</option>" in options and ">Bayt</option>" in options


def test_results_are_reused_by_queries_that_differ_only_by_what_the_form_ignores(admin_client, org):
    posting = PostingFactory(campaign__job__organization=org, online=True)
    first = admin_client.get(f"{HISTORY}?status=online")
    assert rendered(first, "campaigns/history/_results.html") == 1
    # The filter form's own submit sends every field, empty ones too; links may carry more.
    submitted = admin_client.get(
        f"{HISTORY}?q=&status=online&board=&job=&job_title=&recruiter=&utm_source=mail"
    )
    assert rendered(submitted, "campaigns/history/_results.html") == 0
    assert list(history_rows(submitted.text)) == [posting.pk]
    # Their links carry the valid filters only.
    head = submitted.text.split("<thead>")[1].split("</thead>")[0]
    assert "status=online" in head and "utm_source" not in head and "q=" not in head
    # Another page, sort or filter has its own results.
    other = admin_client.get(f"{HISTORY}?status=online&sort=board")
    assert rendered(other, "campaigns/history/_results.html") == 1


def test_a_job_refused_as_a_filter_is_accepted_once_it_has_a_campaign(admin_client, org):
    first = PostingFactory(campaign__job__organization=org)
    nurse = JobFactory(organization=org, title="Nurse")
    refused = admin_client.get(f"{HISTORY}?job={nurse.pk}").text
    assert 'id="id_job_title_error"' in refused
    # Its first campaign, on a board and by a member the filters already offer.
    posting = PostingFactory(
        campaign__job=nurse, campaign__ordered_by=first.campaign.ordered_by, contract=first.contract
    )
    page_cache.history_changed(org_id=org.pk)  # what campaign_order calls
    accepted = admin_client.get(f"{HISTORY}?job={nurse.pk}").text
    assert 'id="id_job_title_error"' not in accepted and 'value="Nurse"' in accepted
    assert list(history_rows(accepted)) == [posting.pk]
