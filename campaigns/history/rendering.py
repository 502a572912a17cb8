"""The History table's rows as HTML, rendered in Python.

The rows are the one hot loop of the page: through Django's template engine 25 rows cost
about as much as all the rest of the request (some 25 variable lookups, filters and an
include per row), which kept the page far below its throughput budget (docs/benchmarks.md).
Here every value is escaped with the standard library's ``html.escape`` (what
``django.utils.html.escape`` calls, without its lazy-string wrapper, which cost more than the
escaping itself) and every label is translated with gettext, exactly as the template did.
"""

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from campaigns.history.selectors import HistoryRow
from campaigns.models import PostingStatus

STATUS_BADGE_CLASSES = {
    PostingStatus.SUBMITTED: "text-bg-secondary",
    PostingStatus.IN_PROGRESS: "text-bg-info",
    PostingStatus.ONLINE: "text-bg-success",
    PostingStatus.OFFLINE: "text-bg-dark",
    PostingStatus.FAILED: "text-bg-danger",
}
NOT_AVAILABLE = "—"


def status_badge_class(status: str) -> str:
    return STATUS_BADGE_CLASSES.get(status, "text-bg-secondary")


def render_rows(rows: list[HistoryRow]) -> SafeString:
    if not rows:
        return mark_safe("")  # noqa: S308
    tz = timezone.get_current_timezone()
    date_fmt = get_format("SHORT_DATE_FORMAT")
    labels = {value: escape(label) for value, label in PostingStatus.choices}
    open_ad = escape(_("Open ad"))
    marker = "2147483647"
    detail = reverse("campaign_history_detail", kwargs={"campaign_id": int(marker)})

    def when(value) -> str:
        return date_format(value.astimezone(tz), date_fmt) if value else NOT_AVAILABLE

    def count(value) -> str:
        return NOT_AVAILABLE if value is None else str(value)

    html = []
    for row in rows:
        if row.ad_url:
            new_tab = escape(_("on %(board)s (opens in a new tab)") % {"board": row.board_name})
            ad = (
                f'<a href="{escape(row.ad_url)}" target="_blank" rel="noopener noreferrer">'
                f'{open_ad}<span class="visually-hidden"> {new_tab}</span></a>'
            )
        else:
            ad = NOT_AVAILABLE
        html.append(
            f'<tr data-posting="{row.pk}" data-status="{escape(row.status)}">'
            f'<td><a href="{detail.replace(marker, str(row.campaign_id))}">'
            f"{escape(row.campaign_name)}</a>"
            f'<div class="small text-muted">{escape(row.job_title)} · '
            f"{escape(row.recruiter)}</div></td>"
            f"<td>{escape(row.board_name)}</td>"
            f'<td><span class="badge {status_badge_class(row.status)}" '
            f'data-testid="status-badge">{labels.get(row.status, escape(row.status))}</span></td>'
            f"<td>{ad}</td>"
            f"<td>{when(row.created_at)}</td>"
            f"<td>{when(row.published_at)}</td>"
            f"<td>{when(row.offline_at)}</td>"
            f'<td class="text-end">{count(row.views)}</td>'
            f'<td class="text-end">{count(row.clicks)}</td>'
            f'<td class="text-end">{count(row.applications)}</td>'
            "</tr>\n"
        )
    return mark_safe("".join(html))  # noqa: S308 -- every value above is escaped
