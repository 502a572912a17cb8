"""The History filters. They validate the query string only; a wrong value is an error shown
at its field and is left out of the filtering, so the page always renders."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.history.selectors import DEFAULT_SORT, MAX_PAGE, SORT_KEYS, HistoryFilters
from campaigns.history.widgets import IdChoiceField
from campaigns.models import PostingStatus

SORT_VALUES = frozenset({*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)})


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
    board = IdChoiceField(label=_("Job board"), empty_label=_("All job boards"))
    job = IdChoiceField(label=_("Job"), empty_label=_("All jobs"))
    recruiter = IdChoiceField(label=_("Recruiter"), empty_label=_("All recruiters"))
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

    def __init__(self, data, *, boards, jobs, recruiters, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["board"].set_options(boards)
        self.fields["job"].set_options(jobs)
        self.fields["recruiter"].set_options(recruiters)

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or ""
        return sort if sort in SORT_VALUES else DEFAULT_SORT

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must be on or after the start date."))
            cleaned.pop("date_from", None)
        return cleaned

    def filters(self) -> HistoryFilters:
        """The valid part of the query string as filters (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        return HistoryFilters(
            status=data.get("status") or "",
            channel_id=data.get("board") or None,
            job_id=data.get("job") or None,
            recruiter_id=data.get("recruiter") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search=(data.get("q") or "").strip(),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def page_number(self) -> int:
        data = getattr(self, "cleaned_data", {})
        return data.get("page") or 1
