"""A small line chart of views and applications per day, drawn on the server as SVG geometry.

The template turns it into ``<svg>`` with presentation attributes only (the CSP forbids inline
styles), no JavaScript and nothing from a CDN. Each chart also carries its numbers as a table
for screen readers.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.formats import date_format, localize

from campaigns.history.performance import DailyPoint

WIDTH = 560
HEIGHT = 160
LEFT = 36  # room for the y-axis labels
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the x-axis labels
MAX_MARKERS = 31


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DayLabel:
    day: object
    x: float


@dataclass(frozen=True)
class Marker:
    x: float
    views_y: float
    applications_y: float


@dataclass(frozen=True)
class Chart:
    points: list[DailyPoint]
    markers: list[Marker]
    views_line: str
    applications_line: str
    ticks: list[Tick]
    labels: list[DayLabel]
    # The table beside the chart, as shown (localised): (day, views, applications) per day.
    rows: list[tuple[str, str, str]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM

    @property
    def total_views(self) -> int:
        return sum(p.views for p in self.points)

    @property
    def total_applications(self) -> int:
        return sum(p.applications for p in self.points)


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n that is ≥ value (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def day_labels(days: list[date]) -> dict[date, str]:
    """Each day as the charts' tables show it (the language's short date format), formatted
    once for all the charts of a page."""
    return {day: date_format(day, "SHORT_DATE_FORMAT") for day in days}


def daily_chart(
    points: list[DailyPoint], *, top_value: int = 0, labels: dict[date, str] | None = None
) -> Chart | None:
    """The chart of ``points`` (one per day, in order), or None when there is no day; its
    scale reaches at least ``top_value`` (charts drawn side by side share one scale).
    ``labels``: the days as shown (``day_labels``), when several charts share them."""
    if not points:
        return None
    labels = labels or day_labels([point.day for point in points])
    # Without thousand separators a count is its digits in every language: localising each
    # of the table's numbers (Django's number_format) would cost more than the whole chart.
    number = localize if settings.USE_THOUSAND_SEPARATOR else str

    top_value = _nice_max(max(top_value, *(max(p.views, p.applications) for p in points)))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    span = max(len(points) - 1, 1)

    def x(index: int) -> float:
        if len(points) == 1:
            return LEFT + plot_width / 2
        return round(LEFT + plot_width * index / span, 1)

    def y(value: int) -> float:
        return round(TOP + plot_height * (1 - value / top_value), 1)

    def line(attribute: str) -> str:
        return " ".join(f"{x(i)},{y(getattr(p, attribute))}" for i, p in enumerate(points))

    label_indexes = sorted({0, len(points) // 2, len(points) - 1})
    return Chart(
        points=points,
        # A dot per day while the days are few enough to tell apart; the lines alone beyond.
        markers=[Marker(x(i), y(p.views), y(p.applications)) for i, p in enumerate(points)]
        if len(points) <= MAX_MARKERS
        else [],
        views_line=line("views"),
        applications_line=line("applications"),
        ticks=[Tick(value, y(value)) for value in (0, top_value // 2, top_value)]
        if top_value > 1
        else [Tick(0, y(0)), Tick(1, y(1))],
        labels=[DayLabel(points[i].day, x(i)) for i in label_indexes],
        rows=[(labels[p.day], number(p.views), number(p.applications)) for p in points],
    )
