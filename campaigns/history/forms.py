"""The History filters. They validate the query string only; a wrong value is an error shown
at its field and is left out of the filtering, so the page always renders."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from campaigns.history.selectors import (
    DEFAULT_SORT,
    MAX_PAGE,
    SORT_KEYS,
    HistoryFilters,
    history_jobs,
)
from campaigns.models import PostingStatus

SORT_VALUES = frozenset({*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)})


def _id_choice(label, empty_label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None, choices=[("", empty_label)]
    )


class HistoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Campaign or job name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PostingStatus.choices],
    )
    board = _id_choice(_("Job board"), _("All job boards"))
    # The job filter is a type-ahead: ``job_title`` is what is typed, ``job`` the id of the
    # suggestion picked (an organisation has thousands of jobs: no <select> lists them all).
    job = forms.IntegerField(required=False, widget=forms.HiddenInput)
    job_title = forms.CharField(
        label=_("Job"),
        required=False,
        max_length=200,
        help_text=_("Type, then pick a job."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    recruiter = _id_choice(_("Recruiter"), _("All recruiters"))
    date_from = forms.DateField(
        label=_("Ordered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Ordered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(
        self,
        data,
        *,
        org: Organization,
        boards: list[tuple[int, str]],
        recruiters: list[tuple[int, str]],
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.org = org
        self.fields["board"].choices = [*self.fields["board"].choices, *boards]
        self.fields["recruiter"].choices = [*self.fields["recruiter"].choices, *recruiters]

    def clean_job(self):
        """The picked job (a Job), one of the organisation's jobs that have a campaign."""
        job_id = self.cleaned_data.get("job")
        if job_id is None:
            return None
        job = history_jobs(org=self.org).filter(pk=job_id).first()
        if job is None:
            raise forms.ValidationError(
                _("Select a valid choice. That choice is not one of the available ones."),
                code="invalid_choice",
            )
        return job

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or ""
        return sort if sort in SORT_VALUES else DEFAULT_SORT

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
            cleaned.pop("date_from", None)
        self._resolve_typed_job(cleaned)
        return cleaned

    def _resolve_typed_job(self, cleaned: dict) -> None:
        """A title typed without picking a suggestion (no JavaScript, or Enter pressed too
        early) still filters when exactly one job matches; otherwise the field says why."""
        title = (cleaned.get("job_title") or "").strip()
        if cleaned.get("job") is not None or not title or self.has_error("job"):
            return
        matches = list(history_jobs(org=self.org).filter(title__icontains=title)[:2])
        if len(matches) == 1:
            cleaned["job"] = matches[0]
        elif matches:
            self.add_error(
                "job_title",
                _("Several jobs match “%(title)s”: pick one from the suggestions.")
                % {"title": title},
            )
        else:
            self.add_error(
                "job_title",
                _("No job with a campaign matches “%(term)s”.") % {"term": title},
            )

    @property
    def selected_job(self):
        """The job filtered by (picked, or resolved from what was typed), or None."""
        return getattr(self, "cleaned_data", {}).get("job")

    def filters(self) -> HistoryFilters:
        """The valid part of the query string as filters (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        job = data.get("job")
        return HistoryFilters(
            status=data.get("status") or "",
            channel_id=data.get("board"),
            job_id=job.pk if job else None,
            recruiter_id=data.get("recruiter"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search=(data.get("q") or "").strip(),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def canonical_query(self) -> QueryDict:
        """The valid filters and sort as a query string: what the page's links carry (never
        a value the form refused, nor a parameter it does not know)."""
        filters = self.filters()
        query = QueryDict(mutable=True)
        for name, value in (
            ("q", filters.search),
            ("status", filters.status),
            ("board", filters.channel_id),
            ("job", filters.job_id),
            ("recruiter", filters.recruiter_id),
            ("date_from", filters.date_from),
            ("date_to", filters.date_to),
        ):
            if value:
                query[name] = str(value)  # dates in ISO format, ids as digits
        if filters.sort != DEFAULT_SORT:
            query["sort"] = filters.sort
        return query

    def page_number(self) -> int:
        data = getattr(self, "cleaned_data", {})
        return data.get("page") or 1
