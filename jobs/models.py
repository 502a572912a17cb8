"""Jobs: everything a provider order needs (postingDetails and targetGroup)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantModel
from distribution.models import TaxonomyKind


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
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


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
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == JobStatus.OPEN
