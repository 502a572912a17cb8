"""Every write on jobs, career pages, applications and view counters."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from accounts.uploads import validate_logo
from distribution.models import TaxonomyTerm
from jobs.fields import JOB_FIELDS, TAXONOMY_FIELDS
from jobs.models import Application, CareerPage, Job, JobStatus, JobViewCounter
from jobs.utm import Utm
from jobs.validation import sanitize_rich_text, validate_cv, validate_no_markup

PLAIN_TEXT_FIELDS = ("title", "address_line1", "address_line2", "postcode", "city")
# Taxonomy terms may be given as instances or as ids ("industry_id").
ACCEPTED_FIELDS = frozenset(JOB_FIELDS) | {f"{name}_id" for name in TAXONOMY_FIELDS}


def _check_job(job: Job, org: Organization, previous_terms: dict) -> None:
    """Rules beyond the model's own (which full_clean checks): tenancy of the recruiter,
    taxonomy kinds, plain-text fields without markup."""
    errors: dict[str, list[str]] = {}
    for name in PLAIN_TEXT_FIELDS:
        try:
            validate_no_markup(getattr(job, name))
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    if not Membership.objects.for_org(org).filter(user_id=job.recruiter_id).exists():
        errors.setdefault("recruiter", []).append(_("Choose a member of your organisation."))
    for name in TAXONOMY_FIELDS:
        term_id = getattr(job, f"{name}_id")
        if term_id is None or term_id == previous_terms.get(name):
            continue  # unchanged retired terms may stay; new choices must be active
        kind = TAXONOMY_FIELDS[name]
        if not TaxonomyTerm.objects.filter(pk=term_id, kind=kind, is_active=True).exists():
            errors.setdefault(name, []).append(_("Choose a value from the list."))
    if errors:
        raise ValidationError(errors)


def _apply_fields(job: Job, fields: dict) -> None:
    unknown = set(fields) - ACCEPTED_FIELDS
    if unknown:
        raise TypeError(f"Unknown job fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(job, name, value)
    job.title = (job.title or "").strip()
    job.country = (job.country or "").strip().upper()
    job.salary_currency = (job.salary_currency or "").strip().upper()
    job.description = sanitize_rich_text(job.description)


def _validate_and_save(job: Job, org: Organization, previous_terms: dict) -> Job:
    job.full_clean(exclude=["organization"])
    _check_job(job, org, previous_terms)
    job.save()
    return job


@transaction.atomic
def job_create(*, org: Organization, by: User, **fields) -> Job:
    """A new open job. ``fields`` are Job fields (see JOB_FIELDS); the recruiter defaults to
    ``by``. The description is sanitised to the limited HTML job boards accept."""
    job = Job(organization=org, recruiter=by, status=JobStatus.OPEN)
    _apply_fields(job, fields)
    return _validate_and_save(job, org, previous_terms={})


@transaction.atomic
def job_update(*, org: Organization, job_id: int, by: User, **fields) -> Job:
    job = Job.objects.select_for_update().get_for_org_or_404(org, pk=job_id)
    previous_terms = {name: getattr(job, f"{name}_id") for name in TAXONOMY_FIELDS}
    _apply_fields(job, fields)
    return _validate_and_save(job, org, previous_terms)


@transaction.atomic
def job_close(*, org: Organization, job_id: int, by: User) -> Job:
    """Close a job: it leaves the career page (its page answers 410) and the feed. Its live
    ads stay on the job boards until someone takes them down: the job's Sourcing tab, where
    closing leads, offers that. Closing twice is a no-op."""
    job = Job.objects.select_for_update().get_for_org_or_404(org, pk=job_id)
    if job.status == JobStatus.CLOSED:
        return job
    job.status = JobStatus.CLOSED
    job.closed_at = timezone.now()
    job.save(update_fields=["status", "closed_at", "updated_at"])
    return job


@transaction.atomic
def job_reopen(*, org: Organization, job_id: int, by: User) -> Job:
    job = Job.objects.select_for_update().get_for_org_or_404(org, pk=job_id)
    if job.status == JobStatus.OPEN:
        return job
    job.status = JobStatus.OPEN
    job.closed_at = None
    job.save(update_fields=["status", "closed_at", "updated_at"])
    return job


# --- career page ---------------------------------------------------------------------------


@transaction.atomic
def career_page_update(
    *,
    org: Organization,
    by: User,
    enabled: bool,
    slug: str,
    intro: str = "",
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> CareerPage:
    """Save the career page settings and switch it on or off (Organization's flag)."""
    slug = (slug or "").strip().lower()
    page = CareerPage.objects.select_for_update().for_org(org).first() or CareerPage(
        organization=org
    )
    page.slug, page.intro = slug, (intro or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        page.full_clean(exclude=["organization", "slug"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not slug:
        errors["slug"] = [_("Choose the public address of your career page.")]
    else:
        try:
            page.clean_fields(exclude=[f.name for f in CareerPage._meta.fields if f.name != "slug"])
        except ValidationError as error:
            errors.update(error.message_dict)
        if "slug" not in errors:
            taken = CareerPage.objects.filter(slug=slug).exclude(organization=org).exists()
            if taken:
                errors["slug"] = [
                    _("This address is already used by another organisation. Choose another.")
                ]
    if logo is not None:
        try:
            kind = validate_logo(logo)
        except ValidationError as error:
            errors["logo"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            page.save()
    except IntegrityError as error:  # a concurrent save took the slug first
        raise ValidationError(
            {"slug": [_("This address is already used by another organisation. Choose another.")]}
        ) from error
    org_fields = []
    if org.career_page_enabled != enabled:
        org.career_page_enabled = enabled
        org_fields.append("career_page_enabled")
    old_logo = org.logo.name if org.logo else ""
    if logo is not None:
        org.logo.save(f"org-{org.pk}.{kind}", logo, save=False)
        org_fields.append("logo")
    elif remove_logo and old_logo:
        org.logo = ""
        org_fields.append("logo")
    if org_fields:
        org.save(update_fields=[*org_fields, "updated_at"])
    if "logo" in org_fields and old_logo and old_logo != org.logo.name:
        storage = org.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    return page


# --- applications and views ------------------------------------------------------------------

# What else counts a career page view or an application attributed to an ad (utm_content):
# each recorder is called with org_id, utm_content, day, views and applications, in the same
# transaction as the counter or the application. The campaigns app appends its roll-up per
# board and day (campaigns.services.board_day_figures) in AppConfig.ready(), so that this app
# never imports it.
ATTRIBUTION_RECORDERS: list[Callable[..., None]] = []


def _record_attribution(
    *, org_id: int, utm_content: str, day: datetime.date, views: int = 0, applications: int = 0
) -> None:
    if not utm_content:
        return
    for record in ATTRIBUTION_RECORDERS:
        record(
            org_id=org_id,
            utm_content=utm_content,
            day=day,
            views=views,
            applications=applications,
        )


def application_create(
    *,
    job: Job,
    name: str,
    email: str,
    cv: UploadedFile,
    phone: str = "",
    message: str = "",
    utm: Utm | None = None,
) -> Application:
    """Store a candidate's application to an open job, with the CV in private storage.

    All or nothing: when the row cannot be written, the stored CV file is removed again.
    """
    if not job.is_open:
        raise ValidationError(_("This job is no longer open for applications."))
    errors: dict[str, list[str]] = {}
    for field, value in (("name", name), ("phone", phone), ("message", message)):
        try:
            validate_no_markup(value)
        except ValidationError as error:
            errors[field] = error.messages
    try:
        kind = validate_cv(cv)
    except ValidationError as error:
        errors["cv"] = error.messages
    if errors:
        raise ValidationError(errors)
    original = (cv.name or "cv").rsplit("/", 1)[-1][:150]
    application = Application(
        organization_id=job.organization_id,
        job=job,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        message=message.strip(),
        cv_filename=original,
        **(utm or Utm()).as_fields(),
    )
    application.full_clean(exclude=["cv", "organization", "job"])
    cv.name = f"cv.{kind}"
    stored_name = None
    try:
        with transaction.atomic():
            application.cv.save(cv.name, cv, save=False)
            stored_name = application.cv.name
            application.save()
            _record_attribution(
                org_id=job.organization_id,
                utm_content=application.utm_content,
                day=timezone.localdate(application.created_at),
                applications=1,
            )
    except Exception:
        if stored_name:
            application.cv.storage.delete(stored_name)
        raise
    return application


def job_view_record(*, job: Job, utm: Utm, day: datetime.date | None = None) -> None:
    """Count one career page view: increment the (job, day, UTM) counter in place, and what
    the ad it came through adds up to (ATTRIBUTION_RECORDERS), in one transaction."""
    day = day or timezone.localdate()
    lookup = {"job_id": job.pk, "day": day, **utm.as_fields()}
    counters = JobViewCounter.objects.filter(**lookup)
    with transaction.atomic():
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    JobViewCounter.objects.create(
                        organization_id=job.organization_id, count=1, **lookup
                    )
            except IntegrityError:  # another request created it between our update and insert
                counters.update(count=F("count") + 1)
        _record_attribution(
            org_id=job.organization_id, utm_content=utm.utm_content, day=day, views=1
        )
