"""The Performance page's aggregates (``board_performance._aggregates``) for any database but
PostgreSQL, written with the Django ORM: the embedded SQLite default of ``make run`` above all.

They define the same figures as the PostgreSQL statements of ``board_performance`` (read
the comments above them), from the same parameters (``board_performance.aggregate_params``),
and return the same rows: summary (contract, board, postings, published, seconds online,
clicks), totals (contract, board, views, applications) and daily (board, day, views,
applications). The database makes the sums; Python the time arithmetic on them and the
grouping sets PostgreSQL has and the ORM lacks. A constant number of queries: two for an
organisation (its two roll-ups), three for a campaign (its postings, their view counters,
their applications).
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import BoardDayFigures, BoardPostingFigures, Posting
from jobs.models import Application, JobViewCounter

Rows = tuple[list[tuple], list[tuple], list[tuple]]


def _traffic_rows(
    traffic: Mapping[tuple[int | None, str, date], list[int]],
) -> tuple[list[tuple], list[tuple]]:
    """The totals per contract and board and the daily rows per board and day of ``traffic``
    ((contract, board, day) → [views, applications]), as PostgreSQL's GROUPING SETS give
    them: only what has a row."""
    totals: dict[tuple[int | None, str], list[int]] = defaultdict(lambda: [0, 0])
    daily: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    for (contract_id, board_name, day), (views, applications) in traffic.items():
        for sums in (totals[(contract_id, board_name)], daily[(board_name, day)]):
            sums[0] += views
            sums[1] += applications
    return (
        [(*key, views, applications) for key, (views, applications) in totals.items()],
        [(*key, views, applications) for key, (views, applications) in daily.items()],
    )


def organisation_aggregates(params: Mapping[str, Any]) -> Rows:
    """An organisation's figures from its two roll-ups, as ``_ORGANISATION_POSTINGS_SQL`` and
    ``_ORGANISATION_DAYS_SQL`` define them."""
    ends = Q(kind=params["ends"])
    starts = Q(kind=params["starts"])

    def total(name: str, condition: Q) -> Coalesce:
        return Coalesce(Sum(name, filter=condition), 0)

    buckets = (
        BoardPostingFigures.objects.filter(
            organization_id=params["org"],
            kind__in=(params["ends"], params["starts"]),
            day__gte=params["first_day"],
        )
        .values("contract_key", "board_name")
        .annotate(
            ends_postings=total("postings", ends),
            ends_published=total("published", ends),
            ends_clicks=total("clicks", ends),
            ends_timed=total("timed", ends),
            ends_milliseconds=total("milliseconds", ends),
            open_timed=total("timed", ends & Q(day=params["open_day"])),
            starts_timed=total("timed", starts),
            starts_milliseconds=total("milliseconds", starts),
        )
        .order_by()
    )
    summary = []
    for bucket in buckets:
        # Σ end − Σ max(begin, start), in integer milliseconds (exact), as the statement does.
        milliseconds = (
            bucket["ends_milliseconds"]
            + bucket["open_timed"] * params["now_ms"]
            - bucket["starts_milliseconds"]
            - (bucket["ends_timed"] - bucket["starts_timed"]) * params["start_ms"]
        )
        summary.append(
            (
                bucket["contract_key"] or None,
                bucket["board_name"],
                bucket["ends_postings"],
                bucket["ends_published"],
                milliseconds / 1000,
                bucket["ends_clicks"],
            )
        )
    # One row per contract, board and day already (the roll-up's unique constraint).
    days = BoardDayFigures.objects.filter(
        organization_id=params["org"],
        day__gte=params["first_day"],
        day__lte=params["last_day"],
    ).values_list("contract_key", "board_name", "day", "views", "applications")
    traffic: dict[tuple[int | None, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for contract_key, board_name, day, views, applications in days:
        sums = traffic[(contract_key or None, board_name, day)]
        sums[0] += views
        sums[1] += applications
    return (summary, *_traffic_rows(traffic))


def _seconds_online(posting: Mapping[str, Any], params: Mapping[str, Any]) -> float:
    """The part of the period a published posting was online, never below 0."""
    end = min(posting["offline_at"] or params["now"], params["end"])
    begin = max(posting["published_at"] or posting["created_at"], params["start"])
    return max((end - begin) / timedelta(seconds=1), 0.0)


def _is_published(posting: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    return posting["published_at"] is not None or posting["status"] == params["online"]


def campaign_aggregates(params: Mapping[str, Any]) -> Rows:
    """One campaign's figures from its few postings, as ``_POSTINGS_SQL`` and
    ``_CAMPAIGN_DAYS_SQL`` define them."""
    postings = list(
        Posting.objects.filter(
            organization_id=params["org"], campaign_id=params["campaign"]
        ).values(
            "contract_id",
            "board_name",
            "utm_content",
            "status",
            "clicks",
            "created_at",
            "published_at",
            "offline_at",
        )
    )
    figures: dict[tuple[int | None, str], list] = {}
    for posting in postings:
        # The postings of the period: ordered before its end, not offline before its start.
        if posting["created_at"] >= params["end"] or (
            posting["offline_at"] is not None and posting["offline_at"] < params["start"]
        ):
            continue
        row = figures.setdefault((posting["contract_id"], posting["board_name"]), [0, 0, 0.0, 0])
        row[0] += 1
        if _is_published(posting, params):
            row[1] += 1
            row[2] += _seconds_online(posting, params)
            row[3] += posting["clicks"]
    summary = [(*key, *row) for key, row in figures.items()]

    # Views and applications through any of the campaign's postings, whatever became of it.
    board_of = {
        posting["utm_content"]: (posting["contract_id"], posting["board_name"])
        for posting in postings
    }
    campaign_utm = Posting.objects.filter(
        organization_id=params["org"], campaign_id=params["campaign"]
    ).values("utm_content")
    counters = (
        JobViewCounter.objects.filter(
            organization_id=params["org"],
            day__gte=params["first_day"],
            day__lte=params["last_day"],
            utm_content__in=campaign_utm,
        )
        .values("utm_content", "day")
        .annotate(views=Sum("count"))
        .order_by()
    )
    applied = Application.objects.filter(
        organization_id=params["org"],
        created_at__gte=params["start"],
        created_at__lt=params["end"],
        utm_content__in=campaign_utm,
    ).values_list("utm_content", "created_at")
    traffic: dict[tuple[int | None, str, date], list[int]] = defaultdict(lambda: [0, 0])
    for counter in counters:
        board = board_of.get(counter["utm_content"])
        if board is not None:
            traffic[(*board, counter["day"])][0] += counter["views"]
    # The day in the current time zone (the statement's ``tz``), in Python: not every
    # database converts time zones by name (MySQL needs its time zone tables loaded).
    for utm_content, created_at in applied:
        board = board_of.get(utm_content)
        if board is not None:
            traffic[(*board, timezone.localtime(created_at).date())][1] += 1
    return (summary, *_traffic_rows(traffic))
