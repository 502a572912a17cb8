"""Administration → Job boards → My Own Contracts → History: the list of every posting, its
CSV export and a campaign's details. Admins only. Thin: parse → selector → render."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts.mixins import AdminRequiredMixin
from campaigns.history import charts, selectors
from campaigns.history.board_performance import board_performance, campaign_period
from campaigns.history.csv_export import history_csv_rows
from campaigns.history.forms import HistoryFilterForm
from campaigns.history.page_cache import (
    cached,
    cached_content,
    cached_html,
    cached_htmls,
    choices_key,
    filters_key,
    results_key,
    row_key,
)
from campaigns.history.performance import attach_metrics, posting_daily_performance
from campaigns.history.performance_views import figure_headers
from campaigns.history.rows import HistoryRow
from campaigns.history.sent_order import sent_order
from campaigns.models import Posting
from campaigns.selectors import campaign_postings

SORT_COLUMNS = [
    ("campaign", _("Campaign")),
    ("board", _("Job board")),
    ("status", _("Status")),
    ("ordered", _("Ordered")),
    ("published", _("Published")),
    ("offline", _("Offline")),
    ("views", _("Views")),
    ("clicks", _("Clicks")),
    ("applications", _("Applications")),
]
NUMERIC_COLUMNS = frozenset({"views", "clicks", "applications"})


@dataclass(frozen=True)
class SortHeader:
    key: str
    label: str
    sort: str  # what a click sorts by: this column, the other way round if it is the current
    aria_sort: str
    numeric: bool


def sort_headers(current: str) -> list[SortHeader]:
    descending = current.startswith("-")
    headers = []
    for key, label in SORT_COLUMNS:
        active = current.lstrip("-") == key
        headers.append(
            SortHeader(
                key=key,
                label=label,
                sort=f"-{key}" if active and not descending else key,
                aria_sort=("descending" if descending else "ascending") if active else "none",
                numeric=key in NUMERIC_COLUMNS,
            )
        )
    return headers


def filter_form(request) -> HistoryFilterForm:
    org = request.organization
    boards, recruiters = cached(
        lambda: choices_key(org=org),
        lambda: (
            selectors.history_board_choices(org=org),
            selectors.history_recruiter_choices(org=org),
        ),
    )
    form = HistoryFilterForm(request.GET, org=org, boards=boards, recruiters=recruiters)
    form.is_valid()
    return form


def rows_html(request, rows: list[HistoryRow]) -> list:
    """Each row rendered by _row.html, or as it was rendered last (page_cache.row_key)."""
    return cached_htmls(
        rows,
        key_of=lambda row: row_key(org=request.organization, row=row),
        render=lambda row: render_to_string("campaigns/history/_row.html", {"row": row}),
    )


def filters_html(request, form: HistoryFilterForm) -> str:
    """The filter form, or as it was rendered for the same filters and choices."""
    context = {"form": form, "filtered": form.filters().is_filtered}
    job = form.selected_job
    shown = {name: request.GET.getlist(name) for name in form.fields}
    shown |= {
        "choices": (form.fields["board"].choices, form.fields["recruiter"].choices),
        "job": (job.pk, job.title) if job else None,
        "errors": form.errors.get_json_data(),
    }
    return cached_html(
        lambda: filters_key(org=request.organization, shown=shown),
        lambda: render_to_string("campaigns/history/_filters.html", context, request),
    )


def filtered_postings(request) -> tuple[HistoryFilterForm, QuerySet[Posting]]:
    """The filter form of the query string, and the organisation's postings it selects."""
    form = filter_form(request)
    return form, selectors.posting_history(org=request.organization, filters=form.filters())


class HistoryListView(AdminRequiredMixin, View):
    """The list, or with HX-Request its table body alone (the live-update poll). Both are
    cached until a campaign or posting of the organisation changes (page_cache)."""

    template_name = "campaigns/history/list.html"
    content_template_name = "campaigns/history/_content.html"
    results_template_name = "campaigns/history/_results.html"
    rows_template_name = "campaigns/history/_rows.html"

    def get(self, request):
        fragment = bool(request.htmx)
        render_content = self.render_live_rows if fragment else self.render_page_content
        content = cached_content(
            org=request.organization,
            query=request.GET,
            fragment=fragment,
            render=lambda: render_content(request),
        )
        if fragment:
            response = HttpResponse(content)
        else:
            response = render(request, self.template_name, {"content": content})
        response["Vary"] = "HX-Request"
        return response

    def render_live_rows(self, request) -> str:
        """The table body of the asked page, without any count (the live-update poll)."""
        form, postings = filtered_postings(request)
        number = form.page_number()
        rows = selectors.history_rows(org=request.organization, postings=postings, number=number)
        context = {
            "rows_html": rows_html(request, rows),
            "live": any(row.is_live for row in rows),
            "canonical": form.canonical_query(),
            "page_number": number,
        }
        return render_to_string(self.rows_template_name, context, request)

    def render_page_content(self, request) -> str:
        """Everything below the side menu: filters, count, table and pages."""
        form, postings = filtered_postings(request)
        org = request.organization
        canonical = form.canonical_query()
        number = form.page_number()
        results = cached(
            lambda: results_key(org=org, canonical_query=canonical.urlencode(), number=number),
            lambda: self.render_results(request, form, postings, canonical),
        )
        context = {
            "form": form,
            "canonical": canonical,
            "filters": filters_html(request, form),
            "results": mark_safe(results["html"]),  # noqa: S308 -- rendered by _results.html
            "has_history": results["has_rows"] or selectors.history_exists(org=org),
        }
        return render_to_string(self.content_template_name, context, request)

    def render_results(self, request, form, postings, canonical) -> dict:
        """The count, the table and the pages, and whether there was any row."""
        number = form.page_number()
        page = selectors.history_page(org=request.organization, postings=postings, number=number)
        context = {
            "page": page,
            "rows": page.rows,
            "rows_html": rows_html(request, page.rows),
            "live": page.is_live,
            "headers": sort_headers(form.filters().sort),
            "canonical": canonical,
            "page_number": page.number,
        }
        html = render_to_string(self.results_template_name, context, request)
        return {"html": html, "has_rows": bool(page.rows)}


class HistoryJobSearchView(AdminRequiredMixin, View):
    """The job filter's suggestions as the admin types (htmx): jobs of the organisation that
    have a campaign, whose title contains the typed text."""

    template_name = "campaigns/history/_job_options.html"

    def get(self, request):
        term = (request.GET.get("job_title") or "").strip()[:200]
        jobs = selectors.history_job_search(org=request.organization, term=term) if term else []
        return render(request, self.template_name, {"jobs": jobs, "term": term})


class HistoryCsvView(AdminRequiredMixin, View):
    def get(self, request):
        form = filter_form(request)
        postings = selectors.posting_history(
            org=request.organization, filters=form.filters(), with_metrics=True
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            history_csv_rows(postings), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="campaign-history-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class CampaignHistoryDetailView(AdminRequiredMixin, View):
    template_name = "campaigns/history/detail.html"

    def get(self, request, campaign_id):
        org = request.organization
        campaign = selectors.campaign_history_get(org=org, campaign_id=campaign_id)
        postings = campaign_postings(org=org, campaign=campaign)
        attach_metrics(org=org, postings=postings)
        daily = posting_daily_performance(org=org, postings=postings)
        sent = sent_order(campaign.payload, postings=postings)
        for posting in postings:
            posting.chart = charts.daily_chart(daily.get(posting.pk, []))
            posting.sent = sent.boards.get(posting.pk)
        figures = board_performance(
            org=org, period=campaign_period(campaign), campaign=campaign, with_series=False
        )
        context = {
            "campaign": campaign,
            "postings": postings,
            "sent": sent,
            "figures": figures,
            "figure_headers": figure_headers(),
        }
        return render(request, self.template_name, context)

    def http_method_not_allowed(self, request, *args, **kwargs):
        # Another organisation's campaign is a 404 whatever the method.
        selectors.campaign_history_get(org=request.organization, campaign_id=kwargs["campaign_id"])
        return super().http_method_not_allowed(request, *args, **kwargs)
