"""The wizard's forms: choosing contracts and the Target group step. They validate only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.services.draft_values import values_to_json
from distribution.models import TaxonomyTerm
from jobs.fields import JOB_AD_FIELDS, JOB_DETAIL_FIELDS, ORDER_REQUIRED_FIELDS, TAXONOMY_FIELDS
from jobs.models import EmploymentType, SalaryPeriod
from jobs.validation import sanitize_rich_text
from jobs.widgets import RichTextEditor

SECTIONS = [
    ("campaign", _("Campaign name"), ["campaign_name"]),
    ("recruiter", _("Recruiter information"), ["recruiter_name", "recruiter_email"]),
    (
        "contact",
        _("Contact information (optional)"),
        ["contact_name", "contact_email", "contact_phone"],
    ),
    ("job", _("Job details"), list(JOB_DETAIL_FIELDS)),
    ("audience", _("Target audience"), list(TAXONOMY_FIELDS)),
]


class ContractChoiceForm(forms.Form):
    contracts = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Select at least one contract.")},
    )

    def __init__(self, *args, contract_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contracts"].choices = [(pk, pk) for pk in contract_ids]


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TargetGroupForm(forms.Form):
    campaign_name = forms.CharField(label=_("Campaign name"), max_length=255)
    recruiter_name = forms.CharField(label=_("Full name"), max_length=150)
    recruiter_email = forms.EmailField(label=_("Email"))
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    title = forms.CharField(label=_("Job title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=RichTextEditor(attrs={"rows": 6}),
        help_text=_("Formatted text; unsafe markup is removed."),
    )
    address_line1 = forms.CharField(label=_("Address line 1"), max_length=200)
    address_line2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("City"), max_length=100)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        help_text=_("Two-letter country code, e.g. FR."),
        error_messages={"invalid": _("Enter a two-letter country code, e.g. FR.")},
    )
    allows_remote_work = forms.BooleanField(label=_("Remote work allowed"), required=False)
    employment_type = forms.ChoiceField(
        label=_("Employment type"), choices=[("", "—"), *EmploymentType.choices]
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=100
    )
    weekly_hours_from = forms.IntegerField(
        label=_("Weekly hours from"), min_value=0, max_value=168, required=False
    )
    weekly_hours_to = forms.IntegerField(label=_("Weekly hours to"), min_value=1, max_value=168)
    salary_from = forms.DecimalField(
        label=_("Salary from"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    salary_to = forms.DecimalField(
        label=_("Salary to"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    salary_currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        required=False,
        help_text=_("Three-letter code, e.g. EUR."),
        error_messages={"invalid": _("Enter a three-letter currency code, e.g. EUR.")},
    )
    salary_period = forms.ChoiceField(
        label=_("Salary period"), choices=[("", "—"), *SalaryPeriod.choices], required=False
    )
    education_level = TermChoiceField(label=_("Education level"), queryset=TaxonomyTerm.objects)
    industry = TermChoiceField(label=_("Industry"), queryset=TaxonomyTerm.objects)
    seniority = TermChoiceField(label=_("Seniority"), queryset=TaxonomyTerm.objects)
    job_function = TermChoiceField(label=_("Job function"), queryset=TaxonomyTerm.objects)
    save_to_job = forms.BooleanField(
        label=_("Also save these job details to the job"), required=False
    )

    def __init__(self, *args, missing_on_job: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        # Fields the job itself leaves empty: the page flags them ("Missing on the job").
        self.missing_on_job = missing_on_job
        for name in JOB_AD_FIELDS:
            # Required here exactly when the job's "Missing for job boards" panel asks for it.
            self.fields[name].required = name in ORDER_REQUIRED_FIELDS
        for name, kind in TAXONOMY_FIELDS.items():
            # Only active terms can be chosen: the provider rejects retired ids.
            self.fields[name].queryset = TaxonomyTerm.objects.active().of_kind(kind)

    def clean_description(self):
        description = sanitize_rich_text(self.cleaned_data["description"]).strip()
        if not description:
            raise forms.ValidationError(_("Write a description."))
        return description

    def clean(self):
        cleaned = super().clean()
        salary_from, salary_to = cleaned.get("salary_from"), cleaned.get("salary_to")
        if salary_from is not None and salary_to is None:
            self.add_error("salary_to", _("Give the upper end of the salary range too."))
        if salary_to is not None:
            if not cleaned.get("salary_period"):
                self.add_error("salary_period", _("Choose the salary period."))
            if not cleaned.get("salary_currency"):
                self.add_error("salary_currency", _("Give the salary currency."))
            if salary_from is not None and salary_from > salary_to:
                self.add_error("salary_from", _("The lower end must not exceed the upper end."))
        hours_from, hours_to = cleaned.get("weekly_hours_from"), cleaned.get("weekly_hours_to")
        if hours_from is not None and hours_to is not None and hours_from > hours_to:
            self.add_error("weekly_hours_from", _("Must not exceed the weekly hours to."))
        return cleaned

    def json_values(self) -> dict:
        """The cleaned values, JSON-ready, as the draft keeps them."""
        return values_to_json(self.cleaned_data)

    def sections(self):
        for key, title, names in SECTIONS:
            yield key, title, [self[name] for name in names]


def storable(value):
    """``value`` without NUL characters, which PostgreSQL cannot keep in text or JSON (the
    draft keeps unvalidated input) and which nobody types on purpose."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


def raw_values(data) -> dict:
    """What the user typed, kept in the draft even when it does not validate yet."""
    return {
        name: storable(data.get(name, "")) for name in TargetGroupForm.base_fields if name in data
    }
