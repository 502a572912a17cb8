"""Reads of the History screen: one row per posting of the organisation, filtered, sorted and
paged with a constant number of queries whatever the number of rows (docs/benchmarks.md has
the figures and the indexes behind every sort)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts.models import Membership, Organization
from campaigns.history.rows import HistoryRow
from campaigns.models import Campaign, Posting
from jobs.models import Application, Job, JobViewCounter

PAGE_SIZE = 25
# How many pages past the current one the bounded count looks for ("Page 3 of 13+").
LOOKAHEAD_PAGES = 10
MAX_PAGE = 100_000

# Columns of the list a user may sort by (the query string's ``sort``; "-" = descending).
SORT_KEYS = (
    "campaign",
    "board",
    "status",
    "ordered",
    "published",
    "offline",
    "views",
    "clicks",
    "applications",
)
DEFAULT_SORT = "-ordered"
METRIC_SORTS = frozenset({"views", "applications"})

# What a list row needs (read as values, never model instances; never the campaign payload).
ROW_VALUES = (
    "id",
    "campaign_id",
    "campaign__name",
    "campaign__job__title",
    "campaign__ordered_by__full_name",
    "campaign__ordered_by__email",
    "board_name",
    "status",
    "job_board_link",
    "utm_content",
    "created_at",
    "published_at",
    "offline_at",
    "modified_at",
    "clicks",
    "take_down_requested_at",
)


@dataclass(frozen=True)
class HistoryFilters:
    status: str = ""
    channel_id: int | None = None
    job_id: int | None = None
    recruiter_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    sort: str = DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return bool(
            self.status
            or self.channel_id
            or self.job_id
            or self.recruiter_id
            or self.date_from
            or self.date_to
            or self.search
        )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _views_subquery() -> Subquery:
    views = (
        JobViewCounter.objects.filter(
            organization_id=OuterRef("organization_id"), utm_content=OuterRef("utm_content")
        )
        .order_by()
        .values("utm_content")
        .annotate(total=Sum("count"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(views, output_field=IntegerField()), 0)


def _applications_subquery() -> Subquery:
    applications = (
        Application.objects.filter(
            organization_id=OuterRef("organization_id"), utm_content=OuterRef("utm_content")
        )
        .order_by()
        .values("utm_content")
        .annotate(total=Count("id"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(applications, output_field=IntegerField()), 0)


def _ordering(sort: str) -> list:
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, descending = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT.startswith("-")
    else:
        descending = sort.startswith("-")

    def by(name: str, *, nullable: bool = False):
        # NULL ("not yet") sorts as the smallest value in both directions, so that one
        # index (``col DESC NULLS LAST``) serves both, read forwards or backwards.
        if descending:
            return F(name).desc(nulls_last=True) if nullable else F(name).desc()
        return F(name).asc(nulls_first=True) if nullable else F(name).asc()

    tie = [by("created_at"), by("id")]
    primary = {
        "campaign": [by("campaign__name")],
        "board": [by("board_name")],
        "status": [by("status")],
        "ordered": [],
        "published": [by("published_at", nullable=True)],
        "offline": [by("offline_at", nullable=True)],
        "views": [by("views_total")],
        "clicks": [by("clicks")],
        "applications": [by("applications_total")],
    }[key]
    return [*primary, *tie]


def posting_history(
    *, org: Organization, filters: HistoryFilters, with_metrics: bool = False
) -> QuerySet[Posting]:
    """The organisation's postings matching ``filters``, sorted, ready to slice.

    ``with_metrics`` annotates ``views_total`` and ``applications_total`` in the same query
    (a correlated, index-backed subquery per row): the CSV export uses it to stay one query
    for any number of rows; the page uses the grouped bulk lookup instead (see
    ``history_rows_from``). Sorting by views or applications turns it on.
    """
    postings = Posting.objects.for_org(org)
    if filters.status:
        postings = postings.filter(status=filters.status)
    if filters.channel_id:
        postings = postings.filter(channel_id=filters.channel_id)
    if filters.job_id:
        postings = postings.filter(campaign__job_id=filters.job_id)
    if filters.recruiter_id:
        postings = postings.filter(campaign__ordered_by_id=filters.recruiter_id)
    if filters.date_from:
        postings = postings.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        postings = postings.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.search:
        matching = Campaign.objects.for_org(org).filter(
            Q(name__icontains=filters.search) | Q(job__title__icontains=filters.search)
        )
        postings = postings.filter(campaign__in=matching.values("pk"))
    if with_metrics or filters.sort.lstrip("-") in METRIC_SORTS:
        postings = postings.annotate(
            views_total=_views_subquery(), applications_total=_applications_subquery()
        )
    return postings.order_by(*_ordering(filters.sort))


# --- a page of rows ----------------------------------------------------------------------------


def history_slice_values(
    *, org: Organization, postings: QuerySet[Posting], start: int, stop: int
) -> QuerySet:
    """Rows ``start:stop`` of ``postings`` with their views and applications, in one query:
    the sorted, index-backed query picks the page's ids, and only those rows get their
    counts (a correlated subquery each) and their joins. Read as values, never instances."""
    page_ids = postings.values("pk")[start:stop]
    return (
        Posting.objects.for_org(org)
        .filter(pk__in=page_ids)
        .annotate(views_total=_views_subquery(), applications_total=_applications_subquery())
        .order_by(*postings.query.order_by)
        .values(*ROW_VALUES, "views_total", "applications_total")
    )


def history_rows_slice(
    *, org: Organization, postings: QuerySet[Posting], start: int, stop: int
) -> list[HistoryRow]:
    values = history_slice_values(org=org, postings=postings, start=start, stop=stop)
    return [
        HistoryRow(
            pk=v["id"],
            campaign_id=v["campaign_id"],
            campaign_name=v["campaign__name"],
            job_title=v["campaign__job__title"],
            recruiter_name=v["campaign__ordered_by__full_name"],
            recruiter_email=v["campaign__ordered_by__email"],
            board_name=v["board_name"],
            status=v["status"],
            job_board_link=v["job_board_link"],
            created_at=v["created_at"],
            published_at=v["published_at"],
            offline_at=v["offline_at"],
            modified_at=v["modified_at"],
            take_down_requested_at=v["take_down_requested_at"],
            views_count=v["views_total"],
            clicks_count=v["clicks"],
            applications_count=v["applications_total"],
        )
        for v in values
    ]


@dataclass
class HistoryPage:
    rows: list[HistoryRow]
    number: int
    page_size: int
    # Pages known to exist; ``more`` is True when there are even more past them.
    known_pages: int
    more: bool
    # The asked page did not exist: ``number`` is the last page instead.
    out_of_range: bool = False
    total: int | None = field(default=None)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.known_pages or self.more

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def is_live(self) -> bool:
        return any(row.is_live for row in self.rows)

    @property
    def at_least(self) -> int:
        """A lower bound of the number of rows when ``total`` is unknown."""
        return self.known_pages * self.page_size


def history_page(
    *, org: Organization, postings: QuerySet[Posting], number: int, page_size: int = PAGE_SIZE
) -> HistoryPage:
    """One page of ``postings`` with their metrics: a bounded count, the rows and the two
    attribution queries. A page past the end shows the last page (one exact count more)."""
    number = max(1, min(number, MAX_PAGE))
    offset = (number - 1) * page_size
    limit = offset + page_size * (LOOKAHEAD_PAGES + 1) + 1
    seen = postings.order_by()[:limit].count()
    out_of_range = False
    if seen <= offset and number > 1:
        out_of_range = True
        number = max(1, -(-seen // page_size))
        offset = (number - 1) * page_size
    more = seen >= limit
    known_pages = number + LOOKAHEAD_PAGES if more else max(1, -(-seen // page_size))
    return HistoryPage(
        rows=history_rows_slice(org=org, postings=postings, start=offset, stop=offset + page_size),
        number=number,
        page_size=page_size,
        known_pages=known_pages,
        more=more,
        out_of_range=out_of_range,
        total=None if more else seen,
    )


def history_rows(
    *, org: Organization, postings: QuerySet[Posting], number: int
) -> list[HistoryRow]:
    """The rows of one page without any count (the live-update fragment)."""
    offset = (max(1, min(number, MAX_PAGE)) - 1) * PAGE_SIZE
    return history_rows_slice(org=org, postings=postings, start=offset, stop=offset + PAGE_SIZE)


def history_exists(*, org: Organization) -> bool:
    return Posting.objects.for_org(org).exists()


# --- filter choices ------------------------------------------------------------------------


def history_board_choices(*, org: Organization) -> list[tuple[int, str]]:
    """(channel id, board name) of every board the organisation has postings on.

    A recursive "loose index scan": one index probe per distinct board on
    (organization_id, channel_id, ...) instead of a DISTINCT over every posting; the
    catalogue holds tens of thousands of boards, an organisation uses a few dozen.
    """
    posting_table = Posting._meta.db_table
    channel_table = Posting._meta.get_field("channel").related_model._meta.db_table
    sql = f"""
        WITH RECURSIVE boards(channel_id) AS (
            SELECT MIN(channel_id) FROM {posting_table} WHERE organization_id = %s
            UNION ALL
            SELECT (
                SELECT MIN(p.channel_id) FROM {posting_table} p
                WHERE p.organization_id = %s AND p.channel_id > boards.channel_id
            )
            FROM boards WHERE boards.channel_id IS NOT NULL
        )
        SELECT c.id, c.name FROM boards JOIN {channel_table} c ON c.id = boards.channel_id
        ORDER BY c.name, c.id
    """  # noqa: S608 -- table names come from the models, values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [org.pk, org.pk])
        return [(row[0], row[1]) for row in cursor.fetchall()]


JOB_SEARCH_LIMIT = 20


def history_jobs(*, org: Organization) -> QuerySet[Job]:
    """Jobs of the organisation that have at least one campaign (what the job filter offers)."""
    has_campaign = Campaign.objects.filter(organization=org, job=OuterRef("pk"))
    return Job.objects.for_org(org).filter(Exists(has_campaign))


def history_job_search(*, org: Organization, term: str) -> list[tuple[int, str]]:
    """(id, title) of the first jobs with a campaign whose title contains ``term``, by title
    whatever its case."""
    return list(
        history_jobs(org=org)
        .filter(title__icontains=term)
        .order_by(Lower("title"), "id")
        .values_list("id", "title")[:JOB_SEARCH_LIMIT]
    )


def history_recruiter_choices(*, org: Organization) -> list[tuple[int, str]]:
    """Members of the organisation (who may have ordered campaigns), by name."""
    return [
        (user_id, full_name or email)
        for user_id, full_name, email in Membership.objects.for_org(org)
        .order_by("user__full_name", "user__email")
        .values_list("user_id", "user__full_name", "user__email")
    ]


def campaign_history_get(*, org: Organization, campaign_id) -> Campaign:
    """The organisation's campaign or Http404 (missing and foreign look the same)."""
    return Campaign.objects.select_related("job", "ordered_by").get_for_org_or_404(
        org, pk=campaign_id
    )
