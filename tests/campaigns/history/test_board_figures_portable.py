"""The Performance page's aggregates from the ORM (campaigns.history.board_figures_portable,
what every database but PostgreSQL runs) equal those of PostgreSQL's statement, row for row,
from the same parameters: an organisation's and a campaign's, for each period, in a time zone
far from UTC. Only PostgreSQL runs both (the embedded run of the figures tests checks the
ORM's figures themselves: test_board_performance.py, test_board_posting_figures.py)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.history import board_figures_portable
from campaigns.history.board_performance import Period, aggregate_params, statement_aggregates
from campaigns.models import Posting, PostingStatus
from jobs.models import Application
from tests.campaigns.factories import PostingFactory
from tests.campaigns.history.traffic import record_applications, record_views, rolled_up
from tests.contracts.factories import ContractFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="compares with PostgreSQL's own statement"
    ),
]

# (ordered, published, offline) days ago, status, contract or not
STATES = [
    (100, 95, None, PostingStatus.ONLINE, True),
    (80, 78, 50, PostingStatus.OFFLINE, True),
    (40, 39, 20, PostingStatus.OFFLINE, True),
    (25, 24, 3, PostingStatus.OFFLINE, False),
    (10, 9, None, PostingStatus.ONLINE, True),
    (5, None, None, PostingStatus.SUBMITTED, True),
    (6, None, None, PostingStatus.ONLINE, False),
    (12, 2, 4, PostingStatus.OFFLINE, True),  # offline before its publication date
]


def make_postings(org):
    """The postings of STATES in one campaign on two boards, with views and applications at
    every hour of the last days; the campaign."""
    boards = [
        ContractFactory(group__organization=org, channel__name="Indeed"),
        ContractFactory(group__organization=org, channel__name="Monster"),
    ]
    now = timezone.now()
    campaign = None
    for index, (ordered, published, offline, status, with_contract) in enumerate(STATES):
        extra = {"campaign": campaign} if campaign else {"campaign__job__organization": org}
        posting = PostingFactory(contract=boards[index % 2], status=status, clicks=ordered, **extra)
        campaign = posting.campaign
        Posting.objects.filter(pk=posting.pk).update(
            contract=posting.contract if with_contract else None,
            created_at=now - timedelta(days=ordered, hours=3),
            published_at=None if published is None else now - timedelta(days=published),
            offline_at=None if offline is None else now - timedelta(days=offline, hours=5),
        )
        for back in range(0, 40, 3):
            record_views(posting, index + back + 1, day=timezone.localdate() - timedelta(days=back))
        record_applications(posting, 2)
        for application, hours in zip(
            Application.objects.filter(utm_content=posting.utm_content),
            (index * 5 + 1, index * 7 + 13),
            strict=True,
        ):
            Application.objects.filter(pk=application.pk).update(
                created_at=now - timedelta(hours=hours)
            )
    rolled_up(org)
    return campaign


def same_rows(statement: tuple, portable: tuple) -> None:
    """The three lists of rows equal, in any order, seconds online to the millisecond."""
    summary, totals, daily = (sorted(rows, key=repr) for rows in statement)
    portable_summary, portable_totals, portable_daily = (
        sorted(rows, key=repr) for rows in portable
    )
    assert [row[:4] + row[5:] for row in portable_summary] == [
        tuple(row[:4]) + tuple(row[5:]) for row in summary
    ]
    assert [row[4] for row in portable_summary] == pytest.approx(
        [row[4] for row in summary], abs=0.001
    )
    assert portable_totals == [tuple(row) for row in totals]
    assert portable_daily == [tuple(row) for row in daily]


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_orm_gives_the_rows_of_the_postgresql_statement(org, other_org, days):
    campaign = make_postings(org)
    make_postings(other_org)
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        period = Period.last_days(days)
        whole = aggregate_params(org=org, period=period, campaign=None)
        statement = statement_aggregates(whole, campaign=None)
        assert all(statement)  # postings, totals and days to compare
        same_rows(statement, board_figures_portable.organisation_aggregates(whole))
        one = aggregate_params(org=org, period=period, campaign=campaign)
        statement = statement_aggregates(one, campaign=campaign)
        assert all(statement)
        same_rows(statement, board_figures_portable.campaign_aggregates(one))
