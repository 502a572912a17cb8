"""Views, clicks and applications of postings: what may be shown, in bulk, and per day."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import Posting, PostingStatus
from jobs.models import Application, JobViewCounter
from jobs.selectors import attribution_by_utm_content

CHART_MAX_DAYS = 90


def metric_available(*, status: str, published_at) -> bool:
    """Whether views, clicks and applications exist for a posting: an ad never published has
    none to report, and showing 0 there would be a fake 0."""
    return published_at is not None or status == PostingStatus.ONLINE


def shown_metric(value: int, *, status: str, published_at) -> int | None:
    """A count to show, or None ("—") where it does not exist yet (a real count always
    shows, even before publication)."""
    return value if value or metric_available(status=status, published_at=published_at) else None


def safe_url(url: str) -> str:
    """The provider's job ad URL if it is a web address (never ``javascript:`` and the like)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def attach_metrics(*, org: Organization, postings: list[Posting]) -> list[Posting]:
    """Set ``views``, ``clicks_shown``, ``applications`` (int or None) and ``ad_url`` on each
    posting, with two grouped queries for all of them."""
    counts = attribution_by_utm_content(org=org, utm_contents=[p.utm_content for p in postings])
    for posting in postings:
        views, applications = counts.get(posting.utm_content, (0, 0))
        state = {"status": posting.status, "published_at": posting.published_at}
        posting.views = shown_metric(views, **state)
        posting.applications = shown_metric(applications, **state)
        posting.clicks_shown = shown_metric(posting.clicks, **state)
        posting.ad_url = safe_url(posting.job_board_link)
    return postings


@dataclass(frozen=True)
class DailyPoint:
    day: date
    views: int
    applications: int


def posting_daily_performance(
    *, org: Organization, postings: list[Posting], today: date | None = None
) -> dict[int, list[DailyPoint]]:
    """Career page views and applications per day for each posting (by posting id), from the
    day it was ordered to the day it went offline (or today), at most the last
    ``CHART_MAX_DAYS`` days; days without traffic are zeros. Two grouped queries in all."""
    if not postings:
        return {}
    today = today or timezone.localdate()
    by_utm = {p.utm_content: p for p in postings}
    views: dict[tuple[str, date], int] = {}
    for utm, day, total in (
        JobViewCounter.objects.for_org(org)
        .filter(utm_content__in=list(by_utm))
        .order_by()
        .values("utm_content", "day")
        .annotate(total=Sum("count"))
        .values_list("utm_content", "day", "total")
    ):
        views[(utm, day)] = total or 0
    applications: dict[tuple[str, date], int] = {}
    for utm, day, total in (
        Application.objects.for_org(org)
        .filter(utm_content__in=list(by_utm))
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("utm_content", "day")
        .annotate(total=Count("id"))
        .values_list("utm_content", "day", "total")
    ):
        applications[(utm, day)] = total
    series = {}
    for utm, posting in by_utm.items():
        start = timezone.localtime(posting.created_at).date()
        end = timezone.localtime(posting.offline_at).date() if posting.offline_at else today
        days_with_data = [d for (u, d) in (*views, *applications) if u == utm]
        if days_with_data:
            start, end = min(start, *days_with_data), max(end, *days_with_data)
        end = max(end, start)
        start = max(start, end - timedelta(days=CHART_MAX_DAYS - 1))
        days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
        series[posting.pk] = [
            DailyPoint(day, views.get((utm, day), 0), applications.get((utm, day), 0))
            for day in days
        ]
    return series
