"""Reads shared by views, the campaign wizard and tasks. Every read takes the organisation
(public career reads take the career page, which belongs to one)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organization
from jobs.fields import ORDER_REQUIRED_FIELDS, TAXONOMY_FIELDS
from jobs.models import Application, CareerPage, Job, JobStatus, JobViewCounter

# --- jobs -------------------------------------------------------------------------------

JOB_SORTS = {
    "title": "title",
    "-title": "-title",
    "city": "city",
    "-city": "-city",
    "status": "status",
    "-status": "-status",
    "created": "created_at",
    "-created": "-created_at",
    "applications": "applications_count",
    "-applications": "-applications_count",
}
DEFAULT_JOB_SORT = "-created"


def job_get(*, org: Organization, job_id) -> Job:
    """The organisation's job or Http404 (missing and foreign look the same)."""
    return Job.objects.select_related(
        "organization", "recruiter", "education_level", "seniority", "industry", "job_function"
    ).get_for_org_or_404(org, pk=job_id)


def job_list(
    *,
    org: Organization,
    search: str = "",
    status: str = "",
    recruiter_id: int | None = None,
    sort: str = DEFAULT_JOB_SORT,
) -> QuerySet[Job]:
    jobs = (
        Job.objects.for_org(org)
        .select_related("recruiter")
        .annotate(applications_count=Count("applications"))
    )
    if search:
        jobs = jobs.filter(Q(title__icontains=search) | Q(city__icontains=search))
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    if recruiter_id:
        jobs = jobs.filter(recruiter_id=recruiter_id)
    return jobs.order_by(JOB_SORTS.get(sort, JOB_SORTS[DEFAULT_JOB_SORT]), "-id")


def job_recruiter_choices(*, org: Organization) -> list[tuple[int, str]]:
    """Active members who may own a job, as (user id, label)."""
    members = (
        Membership.objects.for_org(org)
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return [(m.user_id, m.user.get_full_name()) for m in members]


@dataclass(frozen=True)
class MissingField:
    name: str  # the Job field (or "organization_logo") the provider order needs
    label: str


ORDER_FIELD_LABELS = {
    "title": _("Job title"),
    "description": _("Description"),
    "address_line1": _("Address line 1"),
    "postcode": _("Postcode"),
    "city": _("City"),
    "country": _("Country"),
    "employment_type": _("Employment type"),
    "years_of_experience": _("Years of experience"),
    "weekly_hours_to": _("Weekly hours to"),
    "education_level": _("Education level"),
    "seniority": _("Seniority"),
    "industry": _("Industry"),
    "job_function": _("Job function"),
}


def _blank(value) -> bool:
    return value is None or value == ""


def job_missing_fields(job: Job) -> list[MissingField]:
    """What a provider order (postingDetails + targetGroup) needs that this job lacks.

    The job page's "missing for job boards" panel and the campaign wizard both use this, so
    they always agree. Retired taxonomy terms count as missing: the provider rejects them.
    """
    missing: list[MissingField] = []

    def need(name, label, value):
        if _blank(value):
            missing.append(MissingField(name, str(label)))

    for name in ORDER_REQUIRED_FIELDS:
        value = getattr(job, name)
        if name in TAXONOMY_FIELDS:
            value = value if value is not None and value.is_active else None
        elif isinstance(value, str):
            value = value.strip()
        need(name, ORDER_FIELD_LABELS[name], value)
    need("organization_logo", _("Organisation logo"), job.organization.logo.name or None)
    return missing


# --- applications and attribution ---------------------------------------------------------


def job_applications(*, org: Organization, job: Job) -> QuerySet[Application]:
    return Application.objects.for_org(org).filter(job=job).order_by("-created_at", "-id")


def application_get(*, org: Organization, application_id) -> Application:
    return Application.objects.select_related("job").get_for_org_or_404(org, pk=application_id)


def _views_and_applications(
    *, org: Organization, by: str, **filters
) -> tuple[dict[str, int], dict[str, int]]:
    """Career page views and applications of the organisation, grouped by the UTM field
    ``by`` (two queries)."""

    def totals(rows, total) -> dict[str, int]:
        grouped = rows.for_org(org).filter(**filters).values(by).annotate(total=total)
        return dict(grouped.values_list(by, "total"))

    return totals(JobViewCounter.objects, Sum("count")), totals(Application.objects, Count("id"))


@dataclass(frozen=True)
class ApplicationSource:
    """Where an application came from, as people read it: the campaign whose job board ad
    brought the candidate (``origin`` is the board, ``url`` the campaign's page), the source
    named by any other tagged link (``origin`` only), or a direct visit (all empty)."""

    campaign: str = ""
    origin: str = ""
    url: str = ""


# Apps whose links bring candidates to the career page say which of their ads a posting's
# utm_content belongs to: each resolver takes the organisation and utm_content values and
# returns {utm_content: ApplicationSource} for the ones it knows, in one query. The campaigns
# app appends its resolver in AppConfig.ready(), so that this app never imports it.
APPLICATION_SOURCE_RESOLVERS: list[
    Callable[[Organization, list[str]], dict[str, ApplicationSource]]
] = []


def application_sources(
    *, org: Organization, applications: list[Application]
) -> dict[int, ApplicationSource]:
    """Each application's source by application id, in one query per resolver."""
    contents = sorted({a.utm_content for a in applications if a.utm_content})
    known: dict[str, ApplicationSource] = {}
    for resolve in APPLICATION_SOURCE_RESOLVERS:
        if contents:
            known.update(resolve(org, contents))
    return {a.pk: known.get(a.utm_content) or _tagged_source(a) for a in applications}


def _tagged_source(application: Application) -> ApplicationSource:
    parts = [application.utm_source, application.utm_medium]
    return ApplicationSource(origin=" / ".join(part for part in parts if part))


def attribution_by_utm_content(
    *, org: Organization, utm_contents: list[str]
) -> dict[str, tuple[int, int]]:
    """(career page views, applications) per utm_content, in two queries whatever the count.

    Every requested value is in the result, (0, 0) when nothing arrived with it.
    """
    wanted = [value for value in dict.fromkeys(utm_contents) if value]
    result = dict.fromkeys(wanted, (0, 0))
    if not wanted:
        return result
    views, applications = _views_and_applications(org=org, by="utm_content", utm_content__in=wanted)
    for value in wanted:
        result[value] = (views.get(value, 0) or 0, applications.get(value, 0))
    return result


@dataclass(frozen=True)
class SourceStats:
    source: str  # utm_source, "" for direct visits
    views: int
    applications: int


def job_source_stats(*, org: Organization, job: Job) -> list[SourceStats]:
    """Views and applications of one job per utm_source, most views first (two queries)."""
    views, applications = _views_and_applications(org=org, by="utm_source", job=job)
    rows = [
        SourceStats(source, views.get(source, 0) or 0, applications.get(source, 0))
        for source in set(views) | set(applications)
    ]
    return sorted(rows, key=lambda row: (-row.views, -row.applications, row.source))


# --- career page ----------------------------------------------------------------------------


def career_page_get(*, org: Organization) -> CareerPage | None:
    return CareerPage.objects.for_org(org).first()


def career_page_get_public(*, slug: str) -> CareerPage:
    """The live career page for ``slug``; Http404 when unknown or disabled."""
    page = (
        CareerPage.objects.select_related("organization")
        .filter(slug=slug, organization__career_page_enabled=True)
        .first()
    )
    if page is None:
        raise Http404("No such career page.")
    return page


def career_jobs(*, career_page: CareerPage) -> QuerySet[Job]:
    """Open jobs shown on the career page, newest first."""
    return (
        Job.objects.for_org(career_page.organization)
        .filter(status=JobStatus.OPEN, show_on_career_page=True)
        .order_by("-created_at", "-id")
    )


def career_job_get(*, career_page: CareerPage, job_id) -> Job:
    """A job shown on this career page, open or closed (the view answers 410 for closed)."""
    return Job.objects.select_related("organization").get_for_org_or_404(
        career_page.organization, pk=job_id, show_on_career_page=True
    )


def job_public_url(*, job: Job, base_url: str | None = None) -> str | None:
    """Absolute URL of the job's career page (the provider's ``jobPageUrl``), or None when
    the organisation has no career page. Append the posting's UTM query when linking."""
    page = CareerPage.objects.for_org(job.organization_id).first()
    if page is None:
        return None
    path = reverse("careers:job", kwargs={"slug": page.slug, "job_id": job.pk})
    return (base_url or settings.SITE_URL).rstrip("/") + path


def job_application_url(*, job: Job, base_url: str | None = None) -> str | None:
    """Where candidates apply (the provider's ``applicationUrl``): the apply form."""
    url = job_public_url(job=job, base_url=base_url)
    return f"{url}#apply" if url else None
