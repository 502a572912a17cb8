"""Administration → Job boards → Performance: what each board and contract brought in a
period, as a sortable table, a chart per board and a CSV. Admins only. Thin: parse →
selector → render."""

import csv
from dataclasses import dataclass

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import AdminRequiredMixin
from campaigns.history import charts
from campaigns.history.board_performance import (
    DEFAULT_PERIOD,
    DEFAULT_SORT,
    PERIOD_CHOICES,
    SORT_KEYS,
    Figures,
    Period,
    Price,
    board_performance,
    cache_key,
)
from campaigns.history.csv_export import _cell
from campaigns.history.page_cache import cached_html

COLUMNS = {
    "board": gettext_lazy("Job board"),
    "postings": gettext_lazy("Postings"),
    "days_online": gettext_lazy("Days online"),
    "clicks": gettext_lazy("Clicks"),
    "views": gettext_lazy("Career page views"),
    "applications": gettext_lazy("Applications"),
    "conversion": gettext_lazy("Views → applications"),
    "cost_per_posting": gettext_lazy("Cost per posting"),
    "cost_per_application": gettext_lazy("Cost per application"),
}
GROUPINGS = ("board", "contract")
CHARTED_BOARDS = 12


@dataclass(frozen=True)
class Choice:
    period: int
    sort: str
    by: str

    @classmethod
    def from_query(cls, query: QueryDict) -> "Choice":
        """The period, sort and grouping asked for; anything else falls back to the default."""
        try:
            period = int(query.get("period", DEFAULT_PERIOD))
        except (TypeError, ValueError):
            period = DEFAULT_PERIOD
        if period not in PERIOD_CHOICES:
            period = DEFAULT_PERIOD
        sort = query.get("sort", DEFAULT_SORT)
        if sort.lstrip("-") not in SORT_KEYS:
            sort = DEFAULT_SORT
        by = query.get("by", "board")
        return cls(period, sort, by if by in GROUPINGS else "board")

    def query(self, **changes) -> str:
        values = {"period": self.period, "sort": self.sort, "by": self.by} | changes
        query = QueryDict(mutable=True)
        query.update({name: str(value) for name, value in values.items()})
        return "?" + query.urlencode()


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    url: str
    aria_sort: str
    numeric: bool


def headers(choice: Choice) -> list[Header]:
    descending = choice.sort.startswith("-")
    result = []
    for key, label in COLUMNS.items():
        active = choice.sort.lstrip("-") == key
        # A number is most useful largest first; a name A to Z.
        first = key if key == "board" else f"-{key}"
        if active:
            sort = key if descending else f"-{key}"
        else:
            sort = first
        result.append(
            Header(
                key=key,
                label=str(label),
                url=choice.query(sort=sort),
                aria_sort=("descending" if descending else "ascending") if active else "none",
                numeric=key != "board",
            )
        )
    return result


def figure_headers() -> list[Header]:
    """The columns without sort links (a campaign's details)."""
    return [Header(key, str(label), "", "none", key != "board") for key, label in COLUMNS.items()]


def board_charts(performance) -> list:
    """A chart for each of the first ``CHARTED_BOARDS`` boards in the table's order, all on
    the same scale so that they compare at a glance."""
    shown = performance.series[:CHARTED_BOARDS]
    top = max((max(p.views, p.applications) for s in shown for p in s.points), default=0)
    labels = charts.day_labels(performance.period.days)
    return [
        (s.board_name, charts.daily_chart(s.points, top_value=top, labels=labels)) for s in shown
    ]


def charts_html(request, choice: Choice, performance) -> str:
    """The charts, rendered once per aggregates, order and language (see page_cache)."""
    return cached_html(
        lambda: ":".join(
            (
                cache_key(
                    org=request.organization,
                    period=performance.period,
                    campaign=None,
                    series=True,
                ),
                "charts",
                choice.sort,
                get_language() or "",
            )
        ),
        lambda: render_to_string(
            "campaigns/history/_board_charts.html",
            {"charts": board_charts(performance), "more": len(performance.series) > CHARTED_BOARDS},
            request,
        ),
    )


class PerformanceView(AdminRequiredMixin, View):
    template_name = "campaigns/history/performance.html"

    def get(self, request):
        choice = Choice.from_query(request.GET)
        performance = board_performance(
            org=request.organization, period=Period.last_days(choice.period), sort=choice.sort
        )
        context = {
            "choice": choice,
            "periods": PERIOD_CHOICES,
            "performance": performance,
            "rows": performance.contracts if choice.by == "contract" else performance.boards,
            "headers": headers(choice),
            "charts_html": charts_html(request, choice, performance),
        }
        return render(request, self.template_name, context)


def _price(price: Price | None) -> str:
    return f"{price.amount} {price.currency}" if price else ""


def _csv_line(row: Figures) -> list:
    return [
        _cell(row.board_name),
        _cell(row.contract_label),
        row.postings,
        "" if row.days_online is None else row.days_online,
        "" if row.clicks is None else row.clicks,
        "" if row.views is None else row.views,
        "" if row.applications is None else row.applications,
        "" if row.conversion is None else row.conversion,
        _price(row.cost_per_posting),
        _price(row.cost_per_application),
    ]


class PerformanceCsvView(AdminRequiredMixin, View):
    """The table of the chosen period, one line per contract (the board's name on each):
    unknown numbers are empty cells, never 0."""

    def get(self, request):
        choice = Choice.from_query(request.GET)
        performance = board_performance(
            org=request.organization, period=Period.last_days(choice.period), sort=choice.sort
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="job-board-performance-{choice.period}d-{stamp}.csv"'
        )
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Job board"),
                _("Contract"),
                _("Postings"),
                _("Days online"),
                _("Clicks"),
                _("Career page views"),
                _("Applications"),
                _("Views → applications (%)"),
                _("Cost per posting"),
                _("Cost per application"),
            ]
        )
        for row in performance.contracts:
            writer.writerow(_csv_line(row))
        return response
