"""What each job board (and each contract) brought in a period: postings, days online, clicks,
career page views, applications and, where a price is known, what it cost.

Everything is aggregated by the database, in a constant number of queries whatever the number
of postings (``board_performance``: two on PostgreSQL; one or two more on any other database,
the embedded SQLite default above all: ``board_figures_portable``). An organisation's figures
are read from two roll-ups kept by the write paths (``BoardPostingFigures``,
``BoardDayFigures``: a few rows per board and day), a campaign's from its few postings and
their counters. The aggregates are kept in the cache like the History's pages
(``page_cache``: until a posting changes, at most ``HISTORY_CACHE_SECONDS``, so new views and
applications show within a minute). Numbers that do not exist are ``None`` (shown "—"),
never 0: a board whose ads were never published has no views, clicks or days online to report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.utils import timezone

from accounts.models import Organization
from campaigns.history import board_figures_portable
from campaigns.history.page_cache import cached, history_version
from campaigns.history.performance import DailyPoint
from campaigns.models import (
    BoardDayFigures,
    BoardPostingFigures,
    Campaign,
    Posting,
    PostingStatus,
)
from campaigns.services.board_posting_figures import OPEN_DAY, milliseconds_since_epoch
from contracts.models import Contract
from jobs.models import Application, JobViewCounter

PERIOD_CHOICES = (7, 30, 60, 90)
DEFAULT_PERIOD = 30
SORT_KEYS = (
    "board",
    "postings",
    "days_online",
    "clicks",
    "views",
    "applications",
    "conversion",
    "cost_per_posting",
    "cost_per_application",
)
DEFAULT_SORT = "-applications"


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str


def contract_price(contract: Contract) -> Price | None:
    """The price paid per posting on ``contract``, or None when it is not known.

    The contract's purchase price (the provider's ``purchase_price``) is stored on
    ``contracts.Contract`` as ``purchase_price_amount`` / ``purchase_price_currency`` by the
    contracts work of issue 15; until those fields exist every price is unknown. This is the
    one place that reads them.
    """
    amount = getattr(contract, "purchase_price_amount", None)
    currency = getattr(contract, "purchase_price_currency", "") or ""
    if amount is None or not currency:
        return None
    return Price(Decimal(amount), currency.upper())


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date

    @classmethod
    def last_days(cls, days: int, *, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=offset) for offset in range(count)]


@dataclass
class Figures:
    """One row of the table: a board, or one contract of a board."""

    board_name: str
    contract_id: int | None = None
    contract_label: str = ""
    postings: int = 0
    published: int = 0  # postings whose numbers exist (published, or online)
    online_seconds: float = 0.0
    raw_clicks: int = 0
    raw_views: int = 0
    raw_applications: int = 0
    price: Price | None = None
    # The contracts' prices of a board row (several contracts may carry one board).
    costs: list[tuple[Price | None, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"c{self.contract_id}" if self.contract_id else f"b{self.board_name}"

    def _known(self, value: int) -> int | None:
        """Views and applications exist once an ad was published, or once it brought any
        (an ad taken offline before the period may still bring some: a row without posting)."""
        if value or self.published or self.raw_views or self.raw_applications:
            return value
        return None

    @property
    def days_online(self) -> float | None:
        return round(self.online_seconds / 86400, 1) if self.published else None

    @property
    def clicks(self) -> int | None:
        return self.raw_clicks if self.published else None

    @property
    def views(self) -> int | None:
        return self._known(self.raw_views)

    @property
    def applications(self) -> int | None:
        return self._known(self.raw_applications)

    @property
    def conversion(self) -> float | None:
        """Applications per career page view, as a percentage (None without a view)."""
        if not self.views or self.applications is None:
            return None
        return round(100 * self.applications / self.views, 1)

    @property
    def cost(self) -> Price | None:
        """What the postings of the row cost, if every one of them has a price in one currency."""
        if not self.costs or any(price is None for price, _count in self.costs):
            return None
        currencies = {price.currency for price, _count in self.costs}
        if len(currencies) != 1:
            return None
        total = sum((price.amount * count for price, count in self.costs), Decimal(0))
        return Price(total, currencies.pop())

    @property
    def cost_per_posting(self) -> Price | None:
        cost = self.cost
        if cost is None or not self.postings:
            return None
        return Price((cost.amount / self.postings).quantize(Decimal("0.01")), cost.currency)

    @property
    def cost_per_application(self) -> Price | None:
        cost = self.cost
        # Without a posting in the period nothing was paid for it: no cost to spread.
        if cost is None or not self.postings or not self.applications:
            return None
        return Price((cost.amount / self.applications).quantize(Decimal("0.01")), cost.currency)


@dataclass(frozen=True)
class BoardSeries:
    """A board's views and applications per day: ``points`` are built when asked for (the
    page charts the first boards only; the CSV none)."""

    board_name: str
    days: list[date]
    counts: dict[date, tuple[int, int]]

    @cached_property
    def points(self) -> list[DailyPoint]:
        return [DailyPoint(day, *self.counts.get(day, (0, 0))) for day in self.days]


@dataclass(frozen=True)
class BoardPerformance:
    period: Period
    boards: list[Figures]
    contracts: list[Figures]
    series: list[BoardSeries]

    @property
    def is_empty(self) -> bool:
        return not self.boards


# The postings of the period: ordered before its end, not offline before its start.
_POSTINGS_WHERE = """
    p.organization_id = %(org)s AND p.created_at < %(end)s
    AND (p.offline_at IS NULL OR p.offline_at >= %(start)s) {campaign_filter}
"""

# 'p' rows: the postings' own figures per contract and board, in one pass over the period's
# postings, no join.
_POSTINGS_SQL = """
SELECT 'p', p.contract_id, p.board_name, NULL::date, COUNT(*),
       COUNT(*) FILTER (WHERE p.published_at IS NOT NULL OR p.status = %(online)s),
       COALESCE(SUM(GREATEST(EXTRACT(EPOCH FROM
           LEAST(COALESCE(p.offline_at, %(now)s), %(end)s)
           - GREATEST(COALESCE(p.published_at, p.created_at), %(start)s)), 0))
           FILTER (WHERE p.published_at IS NOT NULL OR p.status = %(online)s), 0)::float8,
       COALESCE(SUM(p.clicks) FILTER (WHERE p.published_at IS NOT NULL
                                      OR p.status = %(online)s), 0)::bigint
FROM {posting} p
WHERE {postings_where}
GROUP BY p.contract_id, p.board_name
"""

# 'p' rows of a whole organisation, from the postings' roll-up (campaigns.models.
# BoardPostingFigures): the period's postings are those of the ends buckets from its first day
# on (OPEN_DAY: not offline); their time online is Σ end − Σ max(begin, start), with end =
# now for those not offline and max(begin, start) = begin for the starts buckets from the
# first day on, the period's start for the others. Milliseconds, summed exactly (numeric).
_ORGANISATION_POSTINGS_SQL = """
SELECT 'p', NULLIF(b.contract_key, 0), b.board_name, NULL::date,
       COALESCE(SUM(b.postings) FILTER (WHERE b.kind = %(ends)s), 0)::bigint,
       COALESCE(SUM(b.published) FILTER (WHERE b.kind = %(ends)s), 0)::bigint,
       (COALESCE(SUM(b.milliseconds) FILTER (WHERE b.kind = %(ends)s), 0)
        + COALESCE(SUM(b.timed) FILTER (WHERE b.kind = %(ends)s AND b.day = %(open_day)s), 0)
          * %(now_ms)s
        - COALESCE(SUM(b.milliseconds) FILTER (WHERE b.kind = %(starts)s), 0)
        - (COALESCE(SUM(b.timed) FILTER (WHERE b.kind = %(ends)s), 0)
           - COALESCE(SUM(b.timed) FILTER (WHERE b.kind = %(starts)s), 0)) * %(start_ms)s
       )::float8 / 1000,
       COALESCE(SUM(b.clicks) FILTER (WHERE b.kind = %(ends)s), 0)::bigint
FROM {posting_figures} b
WHERE b.organization_id = %(org)s AND b.kind IN (%(ends)s, %(starts)s)
  AND b.day >= %(first_day)s
GROUP BY b.contract_key, b.board_name
"""

# Views and applications of a whole organisation, from the roll-up (campaigns.models.
# BoardDayFigures: contracts × days rows, whatever the number of postings, views and
# applications), through its (organization, day, ...) index, summed twice in one pass: 't'
# rows per contract and board (the table), 's' rows per board and day (the charts). Views and
# applications count on the day they happen, whatever became of the posting since (see
# BoardDayFigures): the postings of the period do not filter them.
_ORGANISATION_DAYS_SQL = """
SELECT CASE WHEN GROUPING(f.day) = 1 THEN 't' ELSE 's' END, NULLIF(f.contract_key, 0),
       f.board_name, f.day, SUM(f.views)::bigint, SUM(f.applications)::bigint, NULL, NULL
FROM {figures} f
WHERE f.organization_id = %(org)s AND f.day >= %(first_day)s AND f.day <= %(last_day)s
GROUP BY GROUPING SETS ((f.contract_key, f.board_name), (f.board_name, f.day))
"""

# The same rows for one campaign (a few postings, not in the roll-up, which has no campaign):
# the counters and applications of its postings' utm_content, each found through its
# (organization, utm_content) index. The same rule: whatever became of the posting since.
_CAMPAIGN_DAYS_SQL = """
SELECT CASE WHEN GROUPING(x.day) = 1 THEN 't' ELSE 's' END, p.contract_id, p.board_name,
       x.day, SUM(x.views)::bigint, SUM(x.applications)::bigint, NULL, NULL
FROM (
    SELECT utm_content, day, count AS views, 0 AS applications FROM {counter}
    WHERE organization_id = %(org)s AND day >= %(first_day)s AND day <= %(last_day)s
      AND utm_content IN (SELECT utm_content FROM {posting} WHERE campaign_id = %(campaign)s)
    UNION ALL
    SELECT utm_content, (created_at AT TIME ZONE %(tz)s)::date, 0, 1 FROM {application}
    WHERE organization_id = %(org)s AND created_at >= %(start)s AND created_at < %(end)s
      AND utm_content IN (SELECT utm_content FROM {posting} WHERE campaign_id = %(campaign)s)
) x
JOIN {posting} p ON p.utm_content = x.utm_content
WHERE p.organization_id = %(org)s AND p.campaign_id = %(campaign)s
GROUP BY GROUPING SETS ((p.contract_id, p.board_name), (p.board_name, x.day))
"""


def _sql(*, campaign: Campaign | None) -> str:
    tables = {
        "posting": Posting._meta.db_table,
        "counter": JobViewCounter._meta.db_table,
        "application": Application._meta.db_table,
        "figures": BoardDayFigures._meta.db_table,
        "posting_figures": BoardPostingFigures._meta.db_table,
    }
    postings_where = _POSTINGS_WHERE.format(
        campaign_filter="AND p.campaign_id = %(campaign)s" if campaign else ""
    )
    if campaign:
        parts = (_POSTINGS_SQL, _CAMPAIGN_DAYS_SQL)
    else:
        parts = (_ORGANISATION_POSTINGS_SQL, _ORGANISATION_DAYS_SQL)
    template = "UNION ALL".join(parts)
    return template.format(postings_where=postings_where, **tables)


def aggregate_params(*, org: Organization, period: Period, campaign: Campaign | None) -> dict:
    now = timezone.now()
    return {
        "org": org.pk,
        "campaign": campaign.pk if campaign else None,
        "start": period.start,
        "end": period.end,
        "first_day": period.first_day,
        "last_day": period.last_day,
        "now": now,
        "now_ms": milliseconds_since_epoch(now),
        "start_ms": milliseconds_since_epoch(period.start),
        "open_day": OPEN_DAY,
        "ends": BoardPostingFigures.ENDS,
        "starts": BoardPostingFigures.STARTS,
        "online": PostingStatus.ONLINE,
        "tz": timezone.get_current_timezone_name(),
    }


def cache_key(*, org: Organization, period: Period, campaign: Campaign | None, series: bool):
    return ":".join(
        (
            "performance:v4",
            str(org.pk),
            history_version(org),
            timezone.get_current_timezone_name(),
            period.first_day.isoformat(),
            period.last_day.isoformat(),
            str(campaign.pk if campaign else ""),
            "series" if series else "",
        )
    )


def statement_aggregates(params: dict, *, campaign: Campaign | None) -> tuple[list, list, list]:
    """The aggregates from PostgreSQL's statement (``_sql``) with ``aggregate_params``."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(campaign=campaign), params)
        rows = cursor.fetchall()
    summary = [row[1:3] + row[4:] for row in rows if row[0] == "p"]
    totals = [row[1:3] + row[4:6] for row in rows if row[0] == "t"]
    daily = [row[2:6] for row in rows if row[0] == "s"]
    return summary, totals, daily


def _aggregates(
    *, org: Organization, period: Period, campaign: Campaign | None, with_series: bool
) -> tuple[list, list, list]:
    """The summary rows (contract, board, postings, published, seconds online, clicks), the
    traffic per contract and board (contract, board, views, applications) and per board and
    day (board, day, views, applications), computed by PostgreSQL in one statement (the
    days come with the totals, so ``with_series`` only names the cache entry). Over a whole
    organisation it reads a few rows per board and day: no longer worth a JIT compilation
    (the scan of the postings it replaced was, hence the former ``SET jit`` here). Other
    databases: the same rows from the ORM, in two or three queries."""
    if campaign is None and period.last_day < timezone.localdate():
        # The postings' roll-up knows only "not offline yet", not what was online then.
        raise ValueError("An organisation's figures are for a period that ends today.")
    params = aggregate_params(org=org, period=period, campaign=campaign)
    # Two paths: the statement is PostgreSQL's own (GROUPING SETS, FILTER, casts, AT TIME
    # ZONE), tuned for ``python -m bench performance``; every other database (the embedded
    # SQLite default of ``make run``) gets the same rows from the ORM, with the time
    # arithmetic in Python (board_figures_portable).
    if connection.vendor == "postgresql":
        return statement_aggregates(params, campaign=campaign)
    if campaign is None:
        return board_figures_portable.organisation_aggregates(params)
    return board_figures_portable.campaign_aggregates(params)


def _sort_value(row: Figures, key: str):
    if key == "board":
        return (row.board_name.casefold(), row.contract_label.casefold())
    value = getattr(row, key)
    if isinstance(value, Price):
        return (value.currency, value.amount)
    return value


def sort_rows(rows: list[Figures], sort: str) -> list[Figures]:
    """Rows sorted by ``sort`` (a key of ``SORT_KEYS``, "-" first for descending); unknown
    values ("—") always come last, ties by board name."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        key, sort = DEFAULT_SORT.lstrip("-"), DEFAULT_SORT
    descending = sort.startswith("-")
    by_name = sorted(rows, key=lambda row: _sort_value(row, "board"))
    known = [row for row in by_name if _sort_value(row, key) is not None]
    unknown = [row for row in by_name if _sort_value(row, key) is None]
    known.sort(key=lambda row: _sort_value(row, key), reverse=descending)
    return known + unknown


def board_performance(
    *,
    org: Organization,
    period: Period,
    sort: str = DEFAULT_SORT,
    campaign: Campaign | None = None,
    with_series: bool = True,
) -> BoardPerformance:
    """Figures per board and per contract of ``org`` (or of one campaign) for ``period``,
    sorted by ``sort``, with views and applications per day per board (unless
    ``with_series`` is False). A constant number of queries, whatever the period and the
    number of boards, postings, views and applications: the aggregates' statement (cached)
    and the contracts' prices."""
    summary, totals, daily = cached(
        lambda: cache_key(org=org, period=period, campaign=campaign, series=with_series),
        lambda: _aggregates(org=org, period=period, campaign=campaign, with_series=with_series),
    )
    contract_ids = {row[0] for row in summary if row[0]} | {row[0] for row in totals if row[0]}
    contracts = {
        contract.pk: contract
        for contract in Contract.objects.for_org(org)
        .filter(pk__in=contract_ids)
        .select_related("channel")
    }

    def row_for(contract_id: int | None, board_name: str) -> Figures:
        """The row of a contract and board; the daily rows may name a contract deleted since
        (the postings' own figures then say no contract): both are the row without one."""
        if contract_id not in contracts:
            contract_id = None
        row = by_contract.get((contract_id, board_name))
        if row is None:
            contract = contracts.get(contract_id)
            price = contract_price(contract) if contract else None
            row = by_contract[(contract_id, board_name)] = Figures(
                board_name=board_name,
                contract_id=contract_id,
                contract_label=str(contract) if contract else "",
                price=price,
            )
        return row

    by_contract: dict[tuple, Figures] = {}
    for contract_id, board_name, postings, published, seconds, clicks in summary:
        row = row_for(contract_id, board_name)
        row.postings += int(postings)
        row.published += int(published)
        row.online_seconds += float(seconds or 0)
        row.raw_clicks += int(clicks or 0)
    for contract_id, board_name, views, applications in totals:
        row = row_for(contract_id, board_name)
        row.raw_views += views
        row.raw_applications += applications
    per_day: dict[str, dict[date, tuple[int, int]]] = defaultdict(dict)
    for board_name, day, views, applications in daily:
        per_day[board_name][day] = (views, applications)
    # Buckets of postings that all left the period (or moved to a deleted contract's row)
    # add up to no posting: a row only for what has postings or traffic in the period.
    for key, row in list(by_contract.items()):
        if not (row.postings or row.raw_views or row.raw_applications):
            del by_contract[key]
    boards: dict[str, Figures] = {}
    for row in by_contract.values():
        row.costs = [(row.price, row.postings)]
        board = boards.setdefault(row.board_name, Figures(board_name=row.board_name))
        board.postings += row.postings
        board.published += row.published
        board.online_seconds += row.online_seconds
        board.raw_clicks += row.raw_clicks
        board.raw_views += row.raw_views
        board.raw_applications += row.raw_applications
        board.costs.extend(row.costs)
    board_rows = sort_rows(list(boards.values()), sort)
    days = period.days
    series = (
        []
        if not with_series
        else [
            BoardSeries(board.board_name, days, per_day[board.board_name]) for board in board_rows
        ]
    )
    return BoardPerformance(
        period=period,
        boards=board_rows,
        contracts=sort_rows(list(by_contract.values()), sort),
        series=series,
    )


def campaign_period(campaign: Campaign, *, today: date | None = None) -> Period:
    """From the day a campaign was ordered to today."""
    today = today or timezone.localdate()
    first = min(timezone.localtime(campaign.created_at).date(), today)
    return Period(first, today)
