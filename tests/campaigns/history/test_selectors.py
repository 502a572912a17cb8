from datetime import date, datetime, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from campaigns.history import performance, selectors
from campaigns.history.selectors import HistoryFilters, history_page, posting_history
from campaigns.models import Posting, PostingStatus
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.contracts.factories import ChannelFactory
from tests.factories import MembershipFactory
from tests.jobs.factories import ApplicationFactory, JobFactory, JobViewCounterFactory

pytestmark = pytest.mark.django_db


def ids(queryset) -> list[int]:
    return [p.pk for p in queryset]


def ordered_on(posting, when: datetime):
    Posting.objects.filter(pk=posting.pk).update(created_at=when)
    posting.refresh_from_db()
    return posting


def history(org, **filters):
    return posting_history(org=org, filters=HistoryFilters(**filters))


def test_only_the_organisations_postings(org, other_org):
    mine = PostingFactory(campaign__job__organization=org)
    PostingFactory(campaign__job__organization=other_org)
    assert ids(history(org)) == [mine.pk]


def test_each_filter(org):
    board = ChannelFactory(name="Naukri")
    job = JobFactory(organization=org, title="Data engineer")
    recruiter = MembershipFactory(organization=org).user
    target = PostingFactory(
        online=True,
        campaign__job=job,
        campaign__ordered_by=recruiter,
        campaign__name="Autumn",
        contract__channel=board,
    )
    ordered_on(target, timezone.make_aware(datetime(2026, 5, 10, 12)))
    other = PostingFactory(campaign__job__organization=org, campaign__name="Winter")
    ordered_on(other, timezone.make_aware(datetime(2026, 6, 10, 12)))

    assert ids(history(org, status=PostingStatus.ONLINE)) == [target.pk]
    assert ids(history(org, channel_id=board.pk)) == [target.pk]
    assert ids(history(org, job_id=job.pk)) == [target.pk]
    assert ids(history(org, recruiter_id=recruiter.pk)) == [target.pk]
    assert ids(history(org, search="autu")) == [target.pk]
    assert ids(history(org, search="DATA ENG")) == [target.pk]  # the job's name too
    assert ids(history(org, date_from=date(2026, 5, 10), date_to=date(2026, 5, 10))) == [target.pk]
    assert ids(history(org, date_from=date(2026, 5, 11))) == [other.pk]
    assert ids(history(org, date_to=date(2026, 5, 9))) == []


def test_default_order_is_newest_first(org):
    old = ordered_on(PostingFactory(campaign__job__organization=org), timezone.now() - timedelta(1))
    new = PostingFactory(campaign__job__organization=org)
    assert ids(history(org)) == [new.pk, old.pk]


@pytest.mark.parametrize(
    ("key", "values"),
    [
        ("campaign", ["A campaign", "B campaign", "C campaign"]),
        ("board", ["Bayt", "LinkedIn", "StepStone"]),
        ("clicks", [1, 5, 9]),
    ],
)
def test_sort_by_a_column_both_ways(org, key, values):
    postings = []
    for value in values:
        if key == "campaign":
            postings.append(PostingFactory(campaign__job__organization=org, campaign__name=value))
        elif key == "board":
            postings.append(PostingFactory(campaign__job__organization=org, board_name=value))
        else:
            postings.append(
                PostingFactory(online=True, campaign__job__organization=org, clicks=value)
            )
    expected = [p.pk for p in postings]
    assert ids(history(org, sort=key)) == expected
    assert ids(history(org, sort=f"-{key}")) == expected[::-1]


def test_sort_by_dates_puts_not_yet_first_ascending_and_last_descending(org):
    never = PostingFactory(campaign__job__organization=org)
    early = PostingFactory(
        online=True,
        campaign__job__organization=org,
        published_at=timezone.now() - timedelta(days=3),
    )
    late = PostingFactory(online=True, campaign__job__organization=org)
    assert ids(history(org, sort="published")) == [never.pk, early.pk, late.pk]
    assert ids(history(org, sort="-published")) == [late.pk, early.pk, never.pk]


def test_sort_by_views_and_applications(org):
    quiet = PostingFactory(online=True, campaign__job__organization=org)
    busy = PostingFactory(online=True, campaign__job__organization=org)
    JobViewCounterFactory(job=busy.campaign.job, utm_content=busy.utm_content, count=3)
    JobViewCounterFactory(
        job=busy.campaign.job, utm_content=busy.utm_content, count=4, day=date(2026, 1, 1)
    )
    ApplicationFactory(job=busy.campaign.job, utm_content=busy.utm_content)
    assert ids(history(org, sort="-views")) == [busy.pk, quiet.pk]
    assert ids(history(org, sort="applications")) == [quiet.pk, busy.pk]
    rows = list(history(org, sort="-views"))
    assert (rows[0].views_total, rows[0].applications_total) == (7, 1)


def test_an_unknown_sort_falls_back_to_the_default(org):
    first = PostingFactory(campaign__job__organization=org)
    second = PostingFactory(campaign__job__organization=org)
    assert ids(history(org, sort="; drop")) == [second.pk, first.pk]


def test_page_counts_only_a_few_pages_ahead(org, django_assert_num_queries):
    job = JobFactory(organization=org)
    campaign = CampaignFactory(job=job)
    Posting.objects.bulk_create(
        [
            Posting(
                organization=org,
                campaign=campaign,
                board_name="Board",
                provider_contract_id="c",
                product_id="p",
                utm_content=f"u{i}",
            )
            for i in range(30)
        ]
    )
    page = history_page(org=org, postings=history(org), number=1, page_size=2)
    assert len(page.rows) == 2 and page.more and page.total is None
    assert page.known_pages == 1 + selectors.LOOKAHEAD_PAGES
    assert page.has_next and not page.has_previous
    page = history_page(org=org, postings=history(org), number=12, page_size=2)
    assert (page.number, page.known_pages, page.more, page.total) == (12, 15, False, 30)
    page = history_page(org=org, postings=history(org), number=40, page_size=2)
    assert page.out_of_range and page.number == 15 and len(page.rows) == 2
    with django_assert_num_queries(2):  # the bounded count; the rows with views and applications
        history_page(org=org, postings=history(org), number=1, page_size=25)


def test_metrics_are_bulk_and_none_where_not_available(org, other_org):
    online = PostingFactory(online=True, campaign__job__organization=org, clicks=4)
    waiting = PostingFactory(campaign__job__organization=org)
    early_view = PostingFactory(campaign__job__organization=org)
    JobViewCounterFactory(job=online.campaign.job, utm_content=online.utm_content, count=2)
    JobViewCounterFactory(job=early_view.campaign.job, utm_content=early_view.utm_content, count=1)
    # Another organisation's counter with the same utm_content is never counted.
    JobViewCounterFactory(job__organization=other_org, utm_content=online.utm_content, count=50)
    rows = performance.attach_metrics(org=org, postings=[online, waiting, early_view])
    assert (online.views, online.clicks_shown, online.applications) == (2, 4, 0)
    assert (waiting.views, waiting.clicks_shown, waiting.applications) == (None, None, None)
    assert early_view.views == 1  # a real count is shown even before publication
    assert len(rows) == 3


def test_board_choices_are_the_boards_used_by_the_organisation(org, other_org):
    used = ChannelFactory(name="Used board")
    ChannelFactory(name="Catalogue only")
    foreign = ChannelFactory(name="Foreign board")
    PostingFactory(campaign__job__organization=org, contract__channel=used)
    PostingFactory(campaign__job__organization=org, contract__channel=used)
    PostingFactory(campaign__job__organization=org, channel=None, board_name="Deleted")
    PostingFactory(campaign__job__organization=other_org, contract__channel=foreign)
    assert selectors.history_board_choices(org=org) == [(used.pk, "Used board")]


def test_job_search_and_recruiter_choices(org, other_org):
    with_campaign = CampaignFactory(job__organization=org, job__title="Has one").job
    second = CampaignFactory(job__organization=org, job__title="Has ONE too").job
    JobFactory(organization=org, title="Without one")
    CampaignFactory(job__organization=other_org, job__title="Has one abroad")
    assert selectors.history_job_search(org=org, term="one") == [
        (with_campaign.pk, "Has one"),
        (second.pk, "Has ONE too"),
    ]
    assert selectors.history_job_search(org=org, term="too") == [(second.pk, "Has ONE too")]
    recruiters = dict(selectors.history_recruiter_choices(org=org))
    assert with_campaign.recruiter.pk in recruiters


def test_daily_performance_fills_days_without_traffic(org):
    posting = PostingFactory(online=True, campaign__job__organization=org)
    today = timezone.localdate()
    ordered_on(posting, timezone.now() - timedelta(days=3))
    job = posting.campaign.job
    JobViewCounterFactory(job=job, utm_content=posting.utm_content, day=today, count=4)
    JobViewCounterFactory(
        job=job, utm_content=posting.utm_content, day=today - timedelta(days=2), count=1
    )
    ApplicationFactory(job=job, utm_content=posting.utm_content)
    series = performance.posting_daily_performance(org=org, postings=[posting], today=today)
    points = series[posting.pk]
    assert [p.day for p in points] == [today - timedelta(days=n) for n in (3, 2, 1, 0)]
    assert [p.views for p in points] == [0, 1, 0, 4]
    assert [p.applications for p in points] == [0, 0, 0, 1]


def test_daily_performance_is_capped(org):
    posting = PostingFactory(campaign__job__organization=org)
    ordered_on(posting, timezone.now() - timedelta(days=400))
    points = performance.posting_daily_performance(org=org, postings=[posting])[posting.pk]
    assert len(points) == performance.CHART_MAX_DAYS


def test_campaign_of_another_organisation_is_a_404(org, other_org):
    campaign = CampaignFactory(job__organization=other_org)
    with pytest.raises(Http404):
        selectors.campaign_history_get(org=org, campaign_id=campaign.pk)
    with pytest.raises(Http404):
        selectors.campaign_history_get(org=org, campaign_id="nope")
