"""Jobs: everything a provider order needs (postingDetails and targetGroup)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.tenancy import TenantModel
from distribution.models import TaxonomyKind
from jobs.storage import private_storage
from jobs.validation import validate_cv


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")
    FIXED_TERM = "fixed_term", _("Fixed term")
    FIXED_TERM_WITH_OPTION_FOR_PERMANENT = (
        "fixed_term_with_option_for_permanent",
        _("Fixed term with option for permanent"),
    )
    FREELANCE = "freelance", _("Freelance")
    TRAINEESHIP = "traineeship", _("Traineeship")
    INTERNSHIP = "internship", _("Internship")


class SalaryPeriod(models.TextChoices):
    HOURLY = "hourly", _("per hour")
    MONTHLY = "monthly", _("per month")
    YEARLY = "yearly", _("per year")


class JobStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("job status", "Open")
    CLOSED = "closed", pgettext_lazy("job status", "Closed")


def _taxonomy(kind: str, label):
    return models.ForeignKey(
        "distribution.TaxonomyTerm",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": kind},
    )


class Job(TenantModel):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="jobs"
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Formatted text; unsafe markup is removed.")
    )
    address_line1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Two-letter country code, e.g. FR.")
    )
    allows_remote_work = models.BooleanField(_("remote work allowed"), default=False)
    employment_type = models.CharField(
        _("employment type"), max_length=40, blank=True, choices=EmploymentType.choices
    )
    weekly_hours_from = models.PositiveSmallIntegerField(
        _("weekly hours from"), null=True, blank=True
    )
    weekly_hours_to = models.PositiveSmallIntegerField(_("weekly hours to"), null=True, blank=True)
    salary_from = models.DecimalField(
        _("salary from"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_to = models.DecimalField(
        _("salary to"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    salary_currency = models.CharField(_("currency"), max_length=3, blank=True)
    salary_period = models.CharField(
        _("salary period"), max_length=10, blank=True, choices=SalaryPeriod.choices
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), null=True, blank=True
    )
    education_level = _taxonomy(TaxonomyKind.EDUCATION_LEVEL, _("education level"))
    seniority = _taxonomy(TaxonomyKind.SENIORITY, _("seniority"))
    industry = _taxonomy(TaxonomyKind.INDUSTRY, _("industry"))
    job_function = _taxonomy(TaxonomyKind.JOB_FUNCTION, _("job function"))
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.OPEN
    )
    show_on_career_page = models.BooleanField(_("show on career page"), default=True)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruiter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_from__isnull=True)
                | models.Q(salary_to__isnull=True)
                | models.Q(salary_to__gte=models.F("salary_from")),
                name="job_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(salary_from__isnull=True) | models.Q(salary_from__gte=0),
                name="job_salary_from_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hours_from__isnull=True)
                | models.Q(weekly_hours_to__isnull=True)
                | models.Q(weekly_hours_to__gte=models.F("weekly_hours_from")),
                name="job_weekly_hours_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == JobStatus.OPEN

    @property
    def reference(self) -> str:
        """A stable public reference (feeds, JSON-LD identifier)."""
        return f"JC-{self.pk}"


class CareerPage(TenantModel):
    """The organisation's public career page settings. Whether it is live is
    ``Organization.career_page_enabled`` (the flag My Own Contracts also checks)."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="career_page"
    )
    slug = models.SlugField(
        _("public address"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; used in /careers/<address>/."),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("career page")
        verbose_name_plural = _("career pages")

    def __str__(self):
        return self.slug


def _cv_upload_to(instance, filename):
    # The stored name never contains anything the candidate chose.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"cvs/{instance.organization_id}/{uuid.uuid4().hex}.{extension}"


class Application(TenantModel):
    """A candidate's application to a job through the career page, with the UTM source it
    arrived with."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="applications"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True, max_length=5000)
    cv = models.FileField(
        _("CV"), upload_to=_cv_upload_to, storage=private_storage, validators=[validate_cv]
    )
    cv_filename = models.CharField(max_length=200)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["job", "-created_at"]),
            models.Index(fields=["organization", "utm_content"]),
        ]

    def __str__(self):
        return f"{self.name} → {self.job_id}"


class JobViewCounter(TenantModel):
    """Career job page views, aggregated per job, day and UTM tuple (one row per combination,
    incremented in place) so that traffic never writes one row per page view."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="view_counters")
    day = models.DateField()
    utm_source = models.CharField(max_length=100, blank=True, default="")
    utm_medium = models.CharField(max_length=100, blank=True, default="")
    utm_campaign = models.CharField(max_length=100, blank=True, default="")
    utm_content = models.CharField(max_length=100, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "job",
                    "day",
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                    "utm_content",
                ],
                name="uniq_job_view_counter",
            ),
        ]
        indexes = [models.Index(fields=["organization", "utm_content"])]

    def __str__(self):
        return f"{self.job_id} {self.day} {self.utm_source}: {self.count}"
