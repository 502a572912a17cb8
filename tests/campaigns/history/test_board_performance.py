"""Administration → Job boards → Performance, and the same figures on a campaign's History
details: the numbers per board and contract, unknown stays unknown, sorting, CSV, tenancy and
a constant number of queries."""

import csv
import io
import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.history.board_performance import (
    Figures,
    Period,
    Price,
    board_performance,
    sort_rows,
)
from campaigns.history.page_cache import history_changed
from campaigns.models import Campaign, Posting, PostingStatus
from jobs.models import Application
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.campaigns.history.traffic import record_applications, record_views, rolled_up
from tests.contracts.factories import ContractFactory
from tests.jobs.factories import ApplicationFactory, JobFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """Figures computed on every request here (one test turns the cache back on)."""
    settings.HISTORY_CACHE_SECONDS = 0


PAGE = reverse("board_performance")
CSV = reverse("board_performance_csv")


def online_posting(org, *, contract=None, days_ago=10, views=0, applications=0, clicks=0):
    """A posting ordered and published ``days_ago`` days ago, still online, with views
    today and applications."""
    job = JobFactory(organization=org)
    extra = {"contract": contract} if contract else {}
    posting = PostingFactory(online=True, campaign=CampaignFactory(job=job), clicks=clicks, **extra)
    since = timezone.now() - timedelta(days=days_ago)
    Posting.objects.filter(pk=posting.pk).update(created_at=since, published_at=since)
    rolled_up(org)
    posting.refresh_from_db()
    if views:
        record_views(posting, views)
    record_applications(posting, applications)
    return posting


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_figures_per_board_and_contract(org):
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    online_posting(org, contract=contract, views=40, applications=2, clicks=9)
    online_posting(org, contract=contract, views=10, applications=3, clicks=1)
    result = board_performance(org=org, period=Period.last_days(30))
    [board] = result.boards
    assert (board.board_name, board.postings, board.clicks) == ("Indeed", 2, 10)
    assert (board.views, board.applications, board.conversion) == (50, 5, 10.0)
    assert 19.9 <= board.days_online <= 20.1
    assert len(result.contracts) == 1
    [series] = result.series
    assert len(series.points) == 30
    assert series.points[-1].views == 50
    assert sum(point.applications for point in series.points) == 5


def test_never_published_is_unknown_not_zero(org):
    PostingFactory(campaign__job__organization=org)  # submitted, never published
    rolled_up(org)
    [board] = board_performance(org=org, period=Period.last_days(30)).boards
    assert board.postings == 1
    assert (board.days_online, board.clicks, board.views, board.applications) == (None,) * 4
    assert board.conversion is None


def test_costs_unknown_without_a_price_and_computed_with_one(org):
    posting = online_posting(org, views=10, applications=4)
    [board] = board_performance(org=org, period=Period.last_days(30)).boards
    assert board.cost_per_posting is None
    assert board.cost_per_application is None
    priced = Figures(board_name="Indeed", postings=2, published=2, raw_applications=4)
    priced.costs = [(Price(Decimal("350.00"), "EUR"), 2)]
    assert priced.cost_per_posting == Price(Decimal("350.00"), "EUR")
    assert priced.cost_per_application == Price(Decimal("175.00"), "EUR")
    none_yet = Figures(board_name="Indeed", postings=2, published=2, raw_applications=0)
    none_yet.costs = [(Price(Decimal("350.00"), "EUR"), 2)]
    assert none_yet.cost_per_application is None  # no application: no cost per application
    mixed = Figures(board_name="Indeed", postings=2, published=2, raw_applications=2)
    mixed.costs = [(Price(Decimal("1"), "EUR"), 1), (Price(Decimal("1"), "USD"), 1)]
    assert mixed.cost_per_posting is None  # two currencies are not added up
    partly = Figures(board_name="Indeed", postings=2, published=2, raw_applications=2)
    partly.costs = [(Price(Decimal("1"), "EUR"), 1), (None, 1)]
    assert partly.cost_per_posting is None
    assert posting.contract is not None


def test_sort_puts_unknown_last_both_ways():
    known = Figures(board_name="B", published=1, raw_views=5)
    more = Figures(board_name="A", published=1, raw_views=9)
    unknown = Figures(board_name="C")
    assert [r.board_name for r in sort_rows([unknown, known, more], "-views")] == ["A", "B", "C"]
    assert [r.board_name for r in sort_rows([unknown, more, known], "views")] == ["B", "A", "C"]
    assert [r.board_name for r in sort_rows([unknown, more, known], "board")] == ["A", "B", "C"]
    assert [r.board_name for r in sort_rows([more, known], "nonsense")] == ["A", "B"]


def test_outside_the_period_and_other_organisations_are_left_out(org, other_org):
    old = online_posting(org, days_ago=100)
    Posting.objects.filter(pk=old.pk).update(offline_at=timezone.now() - timedelta(days=50))
    rolled_up(org)
    online_posting(other_org, views=3)
    assert board_performance(org=org, period=Period.last_days(30)).is_empty
    assert not board_performance(org=org, period=Period.last_days(60)).is_empty


def make_boards(org, count, prefix):
    for index in range(count):
        contract = ContractFactory(group__organization=org, channel__name=f"{prefix} {index}")
        online_posting(org, contract=contract, views=index + 1, applications=1)


@pytest.mark.parametrize("count", [1, 6])
def test_page_runs_a_constant_number_of_queries(admin_client, org, count):
    make_boards(org, 1, "First")
    admin_client.get(PAGE)  # warm the session and the site's caches
    with CaptureQueriesContext(connection) as one:
        assert admin_client.get(PAGE).status_code == 200
    make_boards(org, count, "More")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(PAGE)
    assert response.text.count('data-testid="board-row"') == count + 1
    assert len(many.captured_queries) == len(one.captured_queries)


def test_page_shows_sort_links_dashes_charts_and_csv(admin_client, org):
    online_posting(org, views=12, applications=3, clicks=4)
    PostingFactory(campaign__job__organization=org)
    rolled_up(org)
    response = admin_client.get(PAGE, {"period": "60", "sort": "views"})
    assert response.status_code == 200
    text = response.text
    assert text.count('data-testid="board-row"') == 2
    assert 'aria-sort="ascending"' in text
    assert "sort=-views" in text
    assert text.count('data-testid="board-chart"') == 2
    assert "<svg" in text and "<table" in text
    assert "—" in text
    assert '<option value="60" selected>' in text


def test_bad_query_falls_back_to_defaults(admin_client, org):
    online_posting(org)
    response = admin_client.get(PAGE, {"period": "x", "sort": "1;drop", "by": "<b>"})
    assert response.status_code == 200
    assert '<option value="30" selected>' in response.text


def test_per_contract_rows(admin_client, org):
    contract_a = ContractFactory(group__organization=org, channel__name="Indeed", alias="North")
    contract_b = ContractFactory(group__organization=org, channel=contract_a.channel)
    contract_b.group = ContractFactory(group__organization=org).group
    online_posting(org, contract=contract_a, views=1)
    response = admin_client.get(PAGE, {"by": "contract"})
    assert "North" in response.text


def test_csv_has_empty_cells_for_unknown_and_no_formulas(admin_client, org):
    contract = ContractFactory(group__organization=org, channel__name="=cmd()")
    online_posting(org, contract=contract, views=8, applications=2)
    PostingFactory(campaign__job__organization=org)
    rolled_up(org)
    response = admin_client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[0] == "Job board"
    by_board = {row[0]: row for row in rows}
    assert by_board["'=cmd()"][5:8] == ["8", "2", "25.0"]
    unknown = next(row for name, row in by_board.items() if name != "'=cmd()")
    assert unknown[3:8] == ["", "", "", "", ""]


def test_recruiters_get_403(recruiter_client, org):
    online_posting(org, views=2)
    assert recruiter_client.get(PAGE).status_code == 403
    assert recruiter_client.get(CSV).status_code == 403


def test_french_page(admin_client, org):
    online_posting(org, views=2)
    response = admin_client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Performance des sites d’emploi" in response.text
    assert "Coût par candidature" in response.text


def test_campaign_details_show_the_figures_per_board(admin_client, org):
    posting = online_posting(org, views=7, applications=1, clicks=2)
    online_posting(org, views=100)  # another campaign: not counted here
    url = reverse("campaign_history_detail", args=[posting.campaign_id])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.text.count('data-testid="board-row"') == 1
    figures = response.context["figures"]
    [board] = figures.boards
    assert (board.views, board.applications, board.clicks) == (7, 1, 2)


def test_status_online_without_publication_date_counts_as_known(org):
    posting = PostingFactory(campaign__job__organization=org, status=PostingStatus.ONLINE)
    rolled_up(org)
    assert posting.published_at is None
    [board] = board_performance(org=org, period=Period.last_days(7)).boards
    assert board.views == 0 and board.clicks == 0


def test_cached_figures_are_computed_again_after_a_posting_changes(admin_client, org, settings):
    settings.HISTORY_CACHE_SECONDS = 60
    posting = online_posting(org, views=3)
    with CaptureQueriesContext(connection) as first:
        admin_client.get(PAGE)
    with CaptureQueriesContext(connection) as again:
        admin_client.get(PAGE)
    assert len(again.captured_queries) < len(first.captured_queries)
    record_views(posting, 4, day=timezone.localdate() - timedelta(days=1))
    history_changed(org_id=org.pk)  # what every posting change calls
    response = admin_client.get(PAGE)
    assert response.context["rows"][0].views == 7


def test_totals_and_days_come_from_the_same_rows_per_contract(org):
    """Views and applications are counted once per contract, board and day: the rows of each
    contract add up to its board's, and the days of the chart add up to the totals."""
    first = ContractFactory(group__organization=org, channel__name="Indeed")
    second = ContractFactory(group__organization=org, channel=first.channel)
    posting = online_posting(org, contract=first, views=7, applications=1)
    online_posting(org, contract=second, views=5, applications=2)
    record_views(posting, 3, day=timezone.localdate() - timedelta(days=4))
    result = board_performance(org=org, period=Period.last_days(30), sort="board")
    [board] = result.boards
    assert (board.views, board.applications) == (15, 3)
    by_contract = {row.contract_id: (row.views, row.applications) for row in result.contracts}
    assert by_contract == {first.pk: (10, 1), second.pk: (5, 2)}
    [series] = result.series
    assert sum(point.views for point in series.points) == 15
    assert [point.views for point in series.points if point.views] == [3, 12]
    campaign_only = board_performance(
        org=org, period=Period.last_days(30), campaign=posting.campaign, with_series=False
    )
    assert [(row.views, row.applications) for row in campaign_only.boards] == [(10, 1)]
    assert campaign_only.series == []


def make_traffic(org, *, boards: int, days: int):
    """``boards`` boards with a posting each, with views and an application on each of the
    last ``days`` days."""
    for index in range(boards):
        contract = ContractFactory(group__organization=org, channel__name=f"Board {index}")
        posting = online_posting(org, contract=contract, days_ago=days)
        for back in range(days):
            record_views(posting, index + back + 1, day=timezone.localdate() - timedelta(days=back))
        record_applications(posting, 1)


@pytest.mark.parametrize(("boards", "days"), [(1, 1), (12, 85)])
def test_page_and_csv_query_counts_do_not_grow(
    admin_client, org, boards, days, django_assert_num_queries
):
    """The same number of queries for one board with one day of traffic and for a dozen
    boards with 85 days each (90 days asked), on the page, its CSV and the per-contract rows."""
    make_traffic(org, boards=boards, days=days)
    admin_client.get(PAGE)  # the session and the site's caches
    queries = page_queries()
    with django_assert_num_queries(queries):
        response = admin_client.get(PAGE, {"period": "90"})
    assert response.text.count('data-testid="board-row"') == boards
    with django_assert_num_queries(queries):
        admin_client.get(PAGE, {"period": "90", "by": "contract", "sort": "board"})
    with django_assert_num_queries(queries):
        assert len(csv_rows(admin_client.get(CSV, {"period": "90"}))) == boards + 1


def page_queries() -> int:
    """The page's and its CSV's: the session's user (its session and organisation come from
    the cache), the aggregates, the contracts' prices. The aggregates are one statement on
    PostgreSQL, two ORM queries (one per roll-up) on any other database (the embedded
    SQLite default): campaigns.history.board_figures_portable."""
    return 3 if connection.vendor == "postgresql" else 4


def test_the_roll_up_gives_the_figures_of_the_counters_and_applications(org):
    """The organisation's figures (read from the roll-up) equal those read from the view
    counters and the applications themselves (a campaign's figures are read that way)."""
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    posting = online_posting(org, contract=contract, days_ago=40, applications=3)
    for back in (0, 1, 7, 29, 35):
        record_views(posting, 10 + back, day=timezone.localdate() - timedelta(days=back))
    for days in (7, 30, 60):
        whole = board_performance(org=org, period=Period.last_days(days), sort="board")
        one = board_performance(
            org=org, period=Period.last_days(days), campaign=posting.campaign, sort="board"
        )
        assert [(b.views, b.applications) for b in whole.boards] == [
            (b.views, b.applications) for b in one.boards
        ]
    assert board_performance(org=org, period=Period.last_days(7)).boards[0].views == 10 + 11


def test_views_through_an_ad_taken_offline_before_the_period_still_count(org):
    """The decision (BoardDayFigures): the board brought them. The board shows with no posting
    in the period, its views and applications known, and no cost to spread."""
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    old = online_posting(org, contract=contract, days_ago=100)
    Posting.objects.filter(pk=old.pk).update(offline_at=timezone.now() - timedelta(days=50))
    rolled_up(org)
    record_views(old, 4)
    [board] = board_performance(org=org, period=Period.last_days(30)).boards
    assert (board.board_name, board.postings, board.views, board.applications) == (
        "Indeed",
        0,
        4,
        0,
    )
    assert (board.days_online, board.clicks, board.cost_per_application) == (None, None, None)


def test_a_deleted_contracts_views_join_the_row_without_contract(org):
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    posting = online_posting(org, contract=contract, views=5, applications=1)
    contract.delete()  # the posting's contract becomes NULL; the roll-up keeps the old id
    posting.refresh_from_db()
    record_views(posting, 2)
    result = board_performance(org=org, period=Period.last_days(30))
    [row] = result.contracts
    assert (row.contract_id, row.postings, row.views, row.applications) == (None, 1, 7, 1)


def test_a_campaigns_applications_count_on_their_day_in_the_current_time_zone(org):
    """An application ten minutes after midnight in Paris, still yesterday in UTC, is one of
    today's in Paris (PostgreSQL converts the day in its statement, other databases in
    Python)."""
    posting = online_posting(org, views=2)
    paris = ZoneInfo("Europe/Paris")
    with timezone.override(paris):
        today = timezone.localdate()
        midnight = datetime.combine(today, time.min, tzinfo=paris)
        application = ApplicationFactory(job=posting.campaign.job, utm_content=posting.utm_content)
        Application.objects.filter(pk=application.pk).update(
            created_at=midnight + timedelta(minutes=10)
        )
        assert (midnight + timedelta(minutes=10)).astimezone(UTC).date() < today
        result = board_performance(org=org, period=Period.last_days(7), campaign=posting.campaign)
    [series] = result.series
    assert [(point.day, point.applications) for point in series.points[-2:]] == [
        (today - timedelta(days=1), 0),
        (today, 1),
    ]
    assert [row.applications for row in result.boards] == [1]


def rendered_rows(text: str) -> dict[str, dict[str, str]]:
    """The figures table as shown: board → column → the cell's text."""
    rows = re.findall(r'<tr data-testid="board-row" data-board="([^"]*)">(.*?)</tr>', text, re.S)
    return {
        board: dict(re.findall(r'data-col="(\w+)">([^<]*)</td>', cells)) for board, cells in rows
    }


def test_the_page_and_a_campaigns_details_show_the_numbers(admin_client, org):
    """What an admin reads, on either database: the figures in the table's cells."""
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    posting = online_posting(org, contract=contract, views=12, applications=3, clicks=4)
    PostingFactory(campaign=posting.campaign, contract__channel__name="Monster")
    rolled_up(org)
    # The details' period begins on the day the campaign was ordered.
    Campaign.objects.filter(pk=posting.campaign_id).update(created_at=posting.created_at)
    expected = {
        "Indeed": ("1", "10.0", "4", "12", "3", "25.0 %"),
        "Monster": ("1", "—", "—", "—", "—", "—"),
    }
    columns = ("postings", "days_online", "clicks", "views", "applications", "conversion")
    page = admin_client.get(PAGE)
    details = admin_client.get(reverse("campaign_history_detail", args=[posting.campaign_id]))
    for response in (page, details):
        assert response.status_code == 200
        shown = rendered_rows(response.text)
        assert {
            board: tuple(cells[column] for column in columns) for board, cells in shown.items()
        } == expected
