"""Forms validate input only; services decide and write."""

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from accounts.uploads import validate_logo
from distribution.models import TaxonomyTerm
from jobs.fields import JOB_CONTRACT_FIELDS, JOB_LOCATION_FIELDS, TAXONOMY_FIELDS
from jobs.models import Job, JobStatus
from jobs.selectors import JOB_SORTS, job_recruiter_choices
from jobs.services import PLAIN_TEXT_FIELDS
from jobs.utm import UTM_FIELDS
from jobs.validation import validate_cv, validate_no_markup
from jobs.widgets import RichTextEditor


def limit_file_size(field: forms.FileField, *, limit: int, message: str) -> None:
    """Tell the browser the largest file we accept (static/js/upload-limits.js refuses a
    larger one before the form is sent, so nothing typed is lost)."""
    field.widget.attrs.update({"data-max-bytes": str(limit), "data-too-large-message": message})


class TaxonomyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


JOB_FIELDSETS = [
    (_("Job details"), ["title", "description", "recruiter", "show_on_career_page"]),
    (_("Location"), list(JOB_LOCATION_FIELDS)),
    (_("Contract & pay"), list(JOB_CONTRACT_FIELDS)),
    (_("Target audience"), list(TAXONOMY_FIELDS)),
]


class JobForm(forms.ModelForm):
    """The job, grouped like the campaign wizard (Job details, Location, Contract & pay,
    Target audience)."""

    FIELDSETS = JOB_FIELDSETS

    recruiter = forms.TypedChoiceField(label=_("Recruiter"), coerce=int)
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter country code, e.g. FR."),
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code."))],
    )
    salary_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("Three-letter code, e.g. EUR."),
        validators=[RegexValidator(r"^[A-Za-z]{3}$", _("Enter a three-letter currency code."))],
    )
    salary_from = forms.DecimalField(
        label=_("Salary from"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    salary_to = forms.DecimalField(
        label=_("Salary to"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    weekly_hours_from = forms.IntegerField(
        label=_("Weekly hours from"), required=False, min_value=1, max_value=168
    )
    weekly_hours_to = forms.IntegerField(
        label=_("Weekly hours to"), required=False, min_value=1, max_value=168
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience"), required=False, min_value=0, max_value=60
    )

    class Meta:
        model = Job
        fields = [name for _legend, names in JOB_FIELDSETS for name in names if name != "recruiter"]
        widgets = {"description": RichTextEditor()}
        help_texts = {
            "description": _(
                "You may use simple formatting: paragraphs, lists, bold, italics and links. "
                "Anything else is removed."
            )
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].choices = job_recruiter_choices(org=org)
        if self.instance.pk:
            self.initial["recruiter"] = self.instance.recruiter_id
        for name, kind in TAXONOMY_FIELDS.items():
            current = getattr(self.instance, f"{name}_id", None)
            terms = TaxonomyTerm.objects.filter(kind=kind)
            queryset = terms.filter(is_active=True) | terms.filter(pk=current or 0)
            old = self.fields[name]
            self.fields[name] = TaxonomyChoiceField(
                queryset=queryset.order_by("name_en"),
                required=False,
                label=old.label,
                empty_label=_("— not set —"),
            )
        for name in PLAIN_TEXT_FIELDS:
            self.fields[name].validators.append(validate_no_markup)
        self.fields["title"].widget.attrs["autofocus"] = True

    @property
    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("salary_from"), cleaned.get("salary_to")
        if low is not None and high is not None and high < low:
            self.add_error("salary_to", _("The upper salary must not be below the lower one."))
        if (low is not None or high is not None) and not cleaned.get("salary_currency"):
            self.add_error("salary_currency", _("Give the currency of the salary."))
        if (low is not None or high is not None) and not cleaned.get("salary_period"):
            self.add_error("salary_period", _("Say whether the salary is per hour, month or year."))
        hours_from, hours_to = cleaned.get("weekly_hours_from"), cleaned.get("weekly_hours_to")
        if hours_from is not None and hours_to is not None and hours_to < hours_from:
            self.add_error("weekly_hours_to", _("The upper hours must not be below the lower."))
        return cleaned

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["recruiter_id"] = self.cleaned_data["recruiter"]
        return data


class JobFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *JobStatus.choices]
    )
    recruiter = forms.TypedChoiceField(label=_("Recruiter"), required=False, coerce=int)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in JOB_SORTS])

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recruiter"].choices = [("", _("All recruiters"))] + job_recruiter_choices(
            org=org
        )


class CareerPageForm(forms.Form):
    enabled = forms.BooleanField(label=_("Career page is public"), required=False)
    slug = forms.SlugField(
        label=_("Public address"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens; your page is /careers/<address>/."),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text shown above your jobs."),
        validators=[validate_no_markup],
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 2 MB. Also sent to job boards."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.JOBS_LOGO_MAX_BYTES
        limit_file_size(
            self.fields["logo"],
            limit=limit,
            message=_("The logo may be at most %(limit)s.") % {"limit": filesizeformat(limit)},
        )

    def clean_slug(self):
        return self.cleaned_data["slug"].lower()

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            validate_logo(logo)
        return logo


class ApplyForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        validators=[validate_no_markup],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=40,
        validators=[
            validate_no_markup,
            RegexValidator(r"^[0-9+()./ -]*$", _("Use digits, spaces and + ( ) - . / only.")),
        ],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    cv = forms.FileField(
        label=_("CV"),
        help_text=_("PDF, DOC or DOCX, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.doc,.docx,application/pdf,application/msword,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=5000,
        validators=[validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    utm_source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    utm_medium = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    utm_campaign = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    utm_content = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.JOBS_CV_MAX_BYTES
        limit_file_size(
            self.fields["cv"],
            limit=limit,
            message=_("This file is too large: the largest CV we accept is %(limit)s.")
            % {"limit": filesizeformat(limit)},
        )

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            validate_cv(cv)
        return cv

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    @property
    def visible_candidate_fields(self):
        return [self[name] for name in ("name", "email", "phone", "cv", "message")]

    @property
    def utm_fields(self):
        return [self[name] for name in UTM_FIELDS]
