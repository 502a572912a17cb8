"""The Performance page's roll-up of the postings (BoardPostingFigures): ordering and every
change of a posting's state keep it equal to what the postings add up to, and the page's
figures from it equal those of a scan of the postings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.history.board_performance import Period, board_performance
from campaigns.models import BoardPostingFigures, EventSource, Posting, PostingStatus
from campaigns.services.board_posting_figures import board_posting_figures_rebuild
from campaigns.services.status import posting_apply_status
from tests.campaigns.factories import PostingFactory
from tests.campaigns.history.traffic import rolled_up
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded, pytest.mark.usefixtures("empty_cache")]

FIGURES = ("postings", "published", "clicks", "timed", "milliseconds")


def buckets(org) -> set[tuple]:
    """The organisation's buckets, without those that add up to nothing."""
    rows = BoardPostingFigures.objects.filter(organization=org).values_list(
        "kind", "day", "contract_key", "board_name", *FIGURES
    )
    return {row for row in rows if any(row[4:])}


def assert_equal_to_a_rebuild(org):
    written = buckets(org)
    board_posting_figures_rebuild(org_id=org.pk)
    assert buckets(org) == written


def test_ordering_and_each_status_change_keep_the_buckets_equal_to_the_postings(
    ordered_campaign,
):
    org = ordered_campaign.organization
    first, second = ordered_campaign.postings.order_by("id")
    assert {row[0] for row in buckets(org)} == {BoardPostingFigures.ENDS}
    assert sum(row[4] for row in buckets(org)) == 2  # two postings, not published yet
    assert_equal_to_a_rebuild(org)
    steps = [
        (first, PostingStatus.IN_PROGRESS, {}),
        (first, PostingStatus.ONLINE, {"clicks": 4}),
        (first, PostingStatus.ONLINE, {"clicks": 9}),  # only the clicks change
        (second, PostingStatus.FAILED, {"description": "Refused"}),
        (first, PostingStatus.OFFLINE, {}),
    ]
    for posting, status, extra in steps:
        posting_apply_status(posting=posting, status=status, source=EventSource.POLL, **extra)
        assert_equal_to_a_rebuild(org)
    first.refresh_from_db()
    assert first.offline_at is not None and first.published_at is not None


def test_the_buckets_give_the_figures_of_a_scan_of_the_postings(org):
    """For each period, the organisation's figures (buckets) equal a campaign's figures (a
    scan of its postings): postings online, taken offline in and before the period, never
    published, online without a publication date, taken offline before publication."""
    contract = ContractFactory(group__organization=org, channel__name="Indeed")
    now = timezone.now()
    states = [  # (ordered, published, offline) days ago, status
        (100, 95, None, PostingStatus.ONLINE),
        (80, 78, 50, PostingStatus.OFFLINE),
        (40, 39, 20, PostingStatus.OFFLINE),
        (25, 24, 3, PostingStatus.OFFLINE),
        (10, 9, None, PostingStatus.ONLINE),
        (5, None, None, PostingStatus.SUBMITTED),
        (6, None, None, PostingStatus.ONLINE),
        (12, 2, 4, PostingStatus.OFFLINE),  # offline before its publication date
    ]
    campaign = None
    for ordered, published, offline, status in states:
        extra = {"campaign": campaign} if campaign else {"campaign__job__organization": org}
        posting = PostingFactory(contract=contract, status=status, clicks=ordered, **extra)
        campaign = posting.campaign
        Posting.objects.filter(pk=posting.pk).update(
            created_at=now - timedelta(days=ordered, hours=3),
            published_at=None if published is None else now - timedelta(days=published),
            offline_at=None if offline is None else now - timedelta(days=offline, hours=5),
        )
    rolled_up(org)
    for days in (7, 30, 60, 90):
        period = Period.last_days(days)
        [whole] = board_performance(org=org, period=period).boards
        [scan] = board_performance(org=org, period=period, campaign=campaign).boards
        figures = ("postings", "published", "raw_clicks")
        assert [getattr(whole, name) for name in figures] == [
            getattr(scan, name) for name in figures
        ]
        assert whole.online_seconds == pytest.approx(scan.online_seconds, abs=1)
    [last_week] = board_performance(org=org, period=Period.last_days(7)).boards
    assert last_week.postings == 6  # online ×2, offline 3 and 4 days ago, submitted, online


def test_an_organisations_figures_are_for_a_period_ending_today(org):
    """The buckets know which postings are not offline yet, not which were online then."""
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValueError):
        board_performance(org=org, period=Period(yesterday - timedelta(days=6), yesterday))
    campaign = PostingFactory(campaign__job__organization=org).campaign
    # A campaign's figures scan its postings: any period (this one before its order).
    past = Period(yesterday - timedelta(days=6), yesterday)
    assert board_performance(org=org, period=past, campaign=campaign).is_empty
