"""The Sourcing tab's Job boards: the organisation's contracts by group, the campaign being
put together, and the campaigns ordered for this job."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import OrganizationMixin
from campaigns import selectors
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import drafts_add_contracts
from campaigns.services.take_down import job_campaigns_take_down
from campaigns.views.live import live_refresh
from campaigns.wizard.forms import ContractChoiceForm
from distribution.health import provider_outage
from jobs.selectors import job_source_stats

CAMPAIGNS_PER_PAGE = 10


class JobMixin:
    """Resolves ``job_id`` to the organisation's job before any method runs (404 for
    another organisation's job, whatever the method). Put after OrganizationMixin."""

    def dispatch(self, request, *args, **kwargs):
        self.job = selectors.job_get(org=request.organization, job_id=kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)


class JobBoardsView(OrganizationMixin, JobMixin, View):
    template_name = "campaigns/sourcing.html"

    def get(self, request, job_id):
        org, job = request.organization, self.job
        campaigns = Paginator(
            selectors.campaigns_for_job(org=org, job=job), CAMPAIGNS_PER_PAGE
        ).get_page(request.GET.get("page"))
        shown = list(campaigns.object_list)
        postings = [p for c in shown for p in c.postings.all()]
        version = selectors.campaigns_live_version(campaigns=shown, postings=postings)
        refresh = live_refresh(request, target="sourcing-campaigns")
        if refresh and request.GET.get("version") == version:
            return HttpResponse(status=204)  # unchanged: htmx keeps the page as it is
        context = {
            "job": job,
            "tab": "sourcing",
            "source_stats": job_source_stats(org=org, job=job),
            "blockers": selectors.sourcing_blockers(org=org, job=job),
            "provider_outage": provider_outage(),
            "groups": selectors.sourcing_contract_groups(org=org),
            "live_channel_ids": selectors.live_channel_ids_for_job(org=org, job=job),
            "drafts": list(selectors.drafts_for_job(org=org, job=job, user=request.user)),
            "campaigns": campaigns,
            "attribution": selectors.posting_attribution(org=org, postings=postings),
            "in_flight": selectors.campaigns_in_flight(campaigns=shown, postings=postings),
            "live_version": version,
            "live_refresh_seconds": settings.CAMPAIGN_LIVE_REFRESH_SECONDS,
            "announce": refresh,
            "postings": postings,
            "live_campaign_count": selectors.live_campaigns_for_job(org=org, job=job).count()
            if not job.is_open
            else 0,
        }
        if refresh:
            return render(request, "campaigns/includes/sourcing_campaigns_live.html", context)
        return render(request, self.template_name, context)


class DraftAddContractsView(OrganizationMixin, View):
    """Add to campaign: the contracts ticked, in one group or several, join the user's
    campaign drafts (one per group: the provider does not mix groups)."""

    def post(self, request, job_id):
        self.job = selectors.job_get(org=request.organization, job_id=job_id)
        ids = [c.pk for g in selectors.sourcing_contract_groups(org=request.organization)
               for c in g.sourcing_contracts]  # fmt: skip
        form = ContractChoiceForm(request.POST, contract_ids=ids)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors.get("contracts", [])))
            return redirect("job_sourcing_boards", job_id=self.job.pk)
        try:
            drafts_add_contracts(
                org=request.organization,
                by=request.user,
                job_id=self.job.pk,
                contract_ids=form.cleaned_data["contracts"],
            )
        except OrderRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("job_sourcing_boards", job_id=self.job.pk)


class JobCampaignsTakeDownView(OrganizationMixin, View):
    """Offered once a job is closed: take all its live campaigns down."""

    def post(self, request, job_id):
        self.job = selectors.job_get(org=request.organization, job_id=job_id)
        try:
            problems = job_campaigns_take_down(
                org=request.organization, job_id=self.job.pk, by=request.user
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("job_sourcing_boards", job_id=self.job.pk)
        for problem in problems:
            messages.error(request, problem)
        if not problems:
            messages.success(request, _("The job's campaigns were taken down."))
        return redirect("job_sourcing_boards", job_id=self.job.pk)
