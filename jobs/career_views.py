"""The public career pages (namespace "careers"): no login, one organisation per slug.

A disabled or unknown career page is a 404; a closed job is a 410."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.client_ip import client_ip
from accounts.request_limits import oversized_body_response
from accounts.uploads import LOGO_TYPES, logo_kind
from config.forms import form_add_service_errors
from jobs import selectors, services
from jobs.forms import ApplyForm
from jobs.structured_data import job_posting
from jobs.utm import Utm


def _logo_url(request, page) -> str | None:
    if not page.organization.logo:
        return None
    return request.build_absolute_uri(reverse("careers:logo", kwargs={"slug": page.slug}))


@require_GET
def career_list(request, slug):
    page = selectors.career_page_get_public(slug=slug)
    utm = Utm.from_mapping(request.GET)
    return render(
        request,
        "jobs/careers/list.html",
        {
            "career_page": page,
            "organization": page.organization,
            "jobs": list(selectors.career_jobs(career_page=page)),
            "utm_query": utm.as_query(),
        },
    )


def _apply_rate_limited(request) -> bool:
    """Count this apply attempt for the client's IP in the shared cache; True when over."""
    limit, window = settings.JOBS_APPLY_RATE_LIMIT
    bucket = int(timezone.now().timestamp() // window)
    key = f"jobs:apply:{client_ip(request)}:{bucket}"
    cache.add(key, 0, timeout=window)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        attempts = 1
    return attempts > limit


def _render_job(request, page, job, form, status=200, refusal=""):
    job_url = request.build_absolute_uri(
        reverse("careers:job", kwargs={"slug": page.slug, "job_id": job.pk})
    )
    career_url = request.build_absolute_uri(reverse("careers:list", kwargs={"slug": page.slug}))
    return render(
        request,
        "jobs/careers/job.html",
        {
            "career_page": page,
            "organization": page.organization,
            "job": job,
            "form": form,
            "refusal": refusal,
            "json_ld": job_posting(
                job=job, job_url=job_url, career_url=career_url, logo_url=_logo_url(request, page)
            ),
        },
        status=status,
    )


def career_job_body_too_large(request, slug, job_id):
    """The apply form again, saying why nothing was read: the body was over the limit."""
    page = selectors.career_page_get_public(slug=slug)
    job = selectors.career_job_get(career_page=page, job_id=job_id)
    refusal = _(
        "Your application was not sent: the files together were larger than %(limit)s. "
        "Attach a CV of at most %(cv_limit)s and send it again."
    ) % {
        "limit": filesizeformat(settings.REQUEST_BODY_MAX_BYTES),
        "cv_limit": filesizeformat(settings.JOBS_CV_MAX_BYTES),
    }
    return _render_job(request, page, job, ApplyForm(), status=413, refusal=refusal)


@oversized_body_response(career_job_body_too_large)
@require_http_methods(["GET", "HEAD", "POST"])
def career_job(request, slug, job_id):
    page = selectors.career_page_get_public(slug=slug)
    job = selectors.career_job_get(career_page=page, job_id=job_id)
    if not job.is_open:
        return render(
            request,
            "jobs/careers/job_closed.html",
            {"career_page": page, "organization": page.organization, "job": job},
            status=410,
        )
    if request.method != "POST":
        utm = Utm.from_mapping(request.GET)
        if request.method == "GET":
            services.job_view_record(job=job, utm=utm)
        return _render_job(request, page, job, ApplyForm(initial=utm.as_fields()))

    form = ApplyForm(request.POST, request.FILES)
    if _apply_rate_limited(request):
        form.is_valid()  # bind and check, so the typed values stay on the page
        form.add_error(
            None,
            _("Too many applications were sent from your network. Please try again later."),
        )
        return _render_job(request, page, job, form, status=429)
    if form.is_valid():
        if form.is_bot:
            # Pretend success so bots learn nothing; nothing is stored.
            return redirect("careers:applied", slug=slug, job_id=job.pk)
        data = form.cleaned_data
        try:
            services.application_create(
                job=job,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                message=data["message"],
                cv=data["cv"],
                utm=Utm.from_mapping(data),
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            return redirect("careers:applied", slug=slug, job_id=job.pk)
    return _render_job(request, page, job, form, status=400)


@require_GET
def career_applied(request, slug, job_id):
    page = selectors.career_page_get_public(slug=slug)
    job = selectors.career_job_get(career_page=page, job_id=job_id)
    return render(
        request,
        "jobs/careers/applied.html",
        {"career_page": page, "organization": page.organization, "job": job},
    )


@require_GET
def career_feed(request, slug):
    page = selectors.career_page_get_public(slug=slug)
    jobs = list(selectors.career_jobs(career_page=page))
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "jobs/careers/feed.xml",
        {
            "career_page": page,
            "organization": page.organization,
            "jobs": jobs,
            "base_url": base,
            "career_url": base + reverse("careers:list", kwargs={"slug": page.slug}),
            "built_at": timezone.now(),
        },
        content_type="application/xml; charset=utf-8",
    )


@require_GET
def career_logo(request, slug):
    page = selectors.career_page_get_public(slug=slug)
    logo = page.organization.logo
    if not logo:
        raise Http404("No logo.")
    try:
        handle = logo.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("No logo.") from error
    kind = logo_kind(handle.read(12))
    handle.seek(0)
    if kind is None:
        handle.close()
        raise Http404("No logo.")
    response = FileResponse(handle, content_type=LOGO_TYPES[kind])
    response["Cache-Control"] = "public, max-age=3600"
    return response
