"""The History as CSV, streamed: one query (a server-side cursor on PostgreSQL, read in chunks)
whatever the number of rows, with views and applications annotated in that same query."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.history.selectors import shown_metric
from campaigns.models import Posting

CHUNK_SIZE = 2000
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def header() -> list[str]:
    return [
        _("Campaign"),
        _("Job"),
        _("Recruiter"),
        _("Job board"),
        _("Status"),
        _("Job ad URL"),
        _("Ordered"),
        _("Published"),
        _("Offline"),
        _("Views"),
        _("Clicks"),
        _("Applications"),
    ]


def row(posting: Posting) -> list[str]:
    campaign = posting.campaign
    return [
        _cell(campaign.name),
        _cell(campaign.job.title),
        _cell(campaign.ordered_by.get_full_name()),
        _cell(posting.board_name),
        _cell(posting.get_status_display()),
        _cell(posting.job_board_link),
        _when(posting.created_at),
        _when(posting.published_at),
        _when(posting.offline_at),
        _cell(shown_metric(posting, posting.views_total)),
        _cell(shown_metric(posting, posting.clicks)),
        _cell(shown_metric(posting, posting.applications_total)),
    ]


def history_csv_rows(postings: QuerySet[Posting]) -> Iterator[str]:
    """CSV lines for ``postings`` (annotated with ``views_total`` and
    ``applications_total``), header first; metrics that do not exist yet are empty."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header())  # BOM: spreadsheet programs read UTF-8
    rows: Iterable[Posting] = postings.iterator(chunk_size=CHUNK_SIZE)
    for posting in rows:
        yield writer.writerow(row(posting))
