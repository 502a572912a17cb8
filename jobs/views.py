"""Organisation pages for jobs, applications and the career page settings. Thin: parse,
call a service or selector, render."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.mixins import AdminRequiredMixin, OrganizationMixin
from config.forms import form_add_service_errors
from jobs import selectors, services
from jobs.forms import CareerPageForm, JobFilterForm, JobForm

PAGE_SIZE = 25


class JobObjectMixin:
    """Resolves ``job_id`` to the organisation's job before any method runs, so another
    organisation's job is a 404 for every HTTP method. Put after OrganizationMixin."""

    def dispatch(self, request, *args, **kwargs):
        self.job = selectors.job_get(org=request.organization, job_id=kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)

    def job_context(self, tab: str, **extra) -> dict:
        return {"job": self.job, "tab": tab, **extra}


SORT_COLUMNS = [
    ("title", gettext_lazy("Title")),
    ("city", gettext_lazy("City")),
    ("status", gettext_lazy("Status")),
    ("applications", gettext_lazy("Applications")),
    ("created", gettext_lazy("Created")),
]


def _sort_headers(current: str) -> list[dict]:
    headers = []
    for key, label in SORT_COLUMNS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        headers.append(
            {
                "label": label,
                "sort": f"-{key}" if active and not descending else key,
                "aria_sort": ("descending" if descending else "ascending") if active else "none",
            }
        )
    return headers


class JobListView(OrganizationMixin, View):
    def get(self, request):
        org = request.organization
        form = JobFilterForm(request.GET or None, org=org)
        filters = form.cleaned_data if form.is_valid() else {}
        sort = filters.get("sort") or selectors.DEFAULT_JOB_SORT
        jobs = selectors.job_list(
            org=org,
            search=filters.get("q", "").strip(),
            status=filters.get("status", ""),
            recruiter_id=filters.get("recruiter") or None,
            sort=sort,
        )
        page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "jobs/job_list.html",
            {
                "filter_form": form,
                "page_obj": page,
                "jobs": page.object_list,
                "headers": _sort_headers(sort),
                "filtered": any(filters.get(k) for k in ("q", "status", "recruiter")),
            },
        )


class JobCreateView(OrganizationMixin, View):
    template_name = "jobs/job_form.html"

    def get(self, request, form=None, status=200):
        form = form or JobForm(org=request.organization, initial={"recruiter": request.user.pk})
        return render(request, self.template_name, {"form": form}, status=status)

    def post(self, request):
        form = JobForm(request.POST, org=request.organization)
        if form.is_valid():
            try:
                job = services.job_create(
                    org=request.organization, by=request.user, **form.service_fields()
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Job created."))
                return redirect("job_detail", job_id=job.pk)
        return self.get(request, form=form, status=400)


class JobEditView(OrganizationMixin, JobObjectMixin, View):
    template_name = "jobs/job_form.html"

    def get(self, request, job_id, form=None, status=200):
        form = form or JobForm(instance=self.job, org=request.organization)
        return render(request, self.template_name, {"form": form, "job": self.job}, status=status)

    def post(self, request, job_id):
        form = JobForm(request.POST, instance=self.job, org=request.organization)
        if form.is_valid():
            try:
                services.job_update(
                    org=request.organization,
                    job_id=job_id,
                    by=request.user,
                    **form.service_fields(),
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Job saved."))
                return redirect("job_detail", job_id=job_id)
        # The form's model validation changed self.job in memory; show the stored title.
        self.job = selectors.job_get(org=request.organization, job_id=job_id)
        return self.get(request, job_id, form=form, status=400)


class JobDetailView(OrganizationMixin, JobObjectMixin, View):
    """The Summary tab."""

    def get(self, request, job_id):
        org = request.organization
        page = selectors.career_page_get(org=org)
        public_url = None
        if page and org.career_page_enabled and self.job.show_on_career_page:
            public_url = reverse("careers:job", kwargs={"slug": page.slug, "job_id": job_id})
        return render(
            request,
            "jobs/job_detail.html",
            self.job_context(
                "summary",
                missing_fields=selectors.job_missing_fields(self.job),
                public_url=public_url,
            ),
        )


def sourcing_tab_url(job_id: int) -> str:
    """The Sourcing tab's address. The campaigns app (which jobs must not import) serves the
    full tab, job boards included, under the URL name ``job_sourcing_boards``; without it the
    tab is this app's own page."""
    try:
        return reverse("job_sourcing_boards", kwargs={"job_id": job_id})
    except NoReverseMatch:
        return reverse("job_sourcing", kwargs={"job_id": job_id})


class JobSourcingView(OrganizationMixin, JobObjectMixin, View):
    """The Sourcing tab. The campaigns app fills ``{% block job_boards %}`` of
    jobs/job_sourcing.html from its own view; traffic sources come from the career page
    attribution."""

    template_name = "jobs/job_sourcing.html"

    def get_context_data(self, **extra) -> dict:
        return self.job_context(
            "sourcing",
            source_stats=selectors.job_source_stats(org=self.request.organization, job=self.job),
            **extra,
        )

    def get(self, request, job_id):
        tab_url = sourcing_tab_url(job_id)
        if tab_url != request.path:
            return redirect(tab_url)
        return render(request, self.template_name, self.get_context_data())


class JobApplicationsView(OrganizationMixin, JobObjectMixin, View):
    def get(self, request, job_id):
        applications = selectors.job_applications(org=request.organization, job=self.job)
        page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
        sources = selectors.application_sources(
            org=request.organization, applications=page.object_list
        )
        return render(
            request,
            "jobs/job_applications.html",
            self.job_context(
                "applications",
                page_obj=page,
                applications=[(a, sources[a.pk]) for a in page.object_list],
            ),
        )


class ApplicationObjectMixin:
    """Resolves ``application_id`` to the organisation's application before any method
    runs (404 for another organisation's, whatever the method). Put after
    OrganizationMixin."""

    def dispatch(self, request, *args, **kwargs):
        self.application = selectors.application_get(
            org=request.organization, application_id=kwargs["application_id"]
        )
        return super().dispatch(request, *args, **kwargs)


class ApplicationDetailView(OrganizationMixin, ApplicationObjectMixin, View):
    """One application: the candidate, their message, CV and where they came from."""

    def get(self, request, application_id):
        application = self.application
        source = selectors.application_sources(
            org=request.organization, applications=[application]
        )[application.pk]
        return render(
            request,
            "jobs/application_detail.html",
            {"job": application.job, "application": application, "source": source},
        )


class JobCloseView(OrganizationMixin, View):
    def post(self, request, job_id):
        services.job_close(org=request.organization, job_id=job_id, by=request.user)
        messages.success(
            request,
            _(
                "Job closed. It no longer appears on your career page. Ads still live on job "
                "boards are listed below, where you can take them down."
            ),
        )
        # The Sourcing tab offers to take the job's live campaigns down.
        return redirect(sourcing_tab_url(job_id))


class JobReopenView(OrganizationMixin, View):
    def post(self, request, job_id):
        services.job_reopen(org=request.organization, job_id=job_id, by=request.user)
        messages.success(request, _("Job reopened."))
        return redirect("job_detail", job_id=job_id)


class ApplicationCvView(OrganizationMixin, View):
    """Download a CV: only for the application's organisation, never by a public URL."""

    def get(self, request, application_id):
        application = selectors.application_get(
            org=request.organization, application_id=application_id
        )
        try:
            handle = application.cv.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404(_("This CV file is no longer available.")) from error
        content_type = mimetypes.guess_type(application.cv.name)[0] or "application/octet-stream"
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=application.cv_filename or application.cv.name.rsplit("/", 1)[-1],
            content_type=content_type,
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def post(self, request, application_id):
        selectors.application_get(org=request.organization, application_id=application_id)
        return self.http_method_not_allowed(request)


class CareerPageSettingsView(AdminRequiredMixin, View):
    template_name = "jobs/career_page_settings.html"

    def _initial(self, org):
        page = selectors.career_page_get(org=org)
        return page, {
            "enabled": org.career_page_enabled,
            "slug": page.slug if page else org.slug,
            "intro": page.intro if page else "",
        }

    def get(self, request, form=None, status=200):
        org = request.organization
        page, initial = self._initial(org)
        form = form or CareerPageForm(initial=initial)
        public_url = reverse("careers:list", kwargs={"slug": page.slug}) if page else None
        return render(
            request,
            self.template_name,
            {"form": form, "career_page": page, "public_url": public_url},
            status=status,
        )

    def post(self, request):
        form = CareerPageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.career_page_update(
                    org=request.organization,
                    by=request.user,
                    enabled=data["enabled"],
                    slug=data["slug"],
                    intro=data["intro"],
                    logo=data["logo"] or None,
                    remove_logo=data["remove_logo"],
                )
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, _("Career page settings saved."))
                return redirect("career_page_settings")
        return self.get(request, form=form, status=400)
