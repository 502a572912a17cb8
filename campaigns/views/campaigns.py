"""A campaign's page (statuses, timeline, take-down) and the take-down actions."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from accounts.mixins import OrganizationMixin
from campaigns import selectors
from campaigns.services.batches import batch_placed
from campaigns.services.order_document import OrderRefused
from campaigns.services.ordering import draft_order_again
from campaigns.services.take_down import TakeDownRefused, campaign_take_down, posting_take_down
from campaigns.views.live import live_refresh
from distribution.health import provider_outage


class CampaignMixin:
    """Resolves ``campaign_id`` before the method check: another organisation's campaign is
    a 404 whatever the method. Put after OrganizationMixin."""

    def dispatch(self, request, *args, **kwargs):
        self.campaign = selectors.campaign_get(
            org=request.organization, campaign_id=kwargs["campaign_id"]
        )
        return super().dispatch(request, *args, **kwargs)


class CampaignDetailView(OrganizationMixin, CampaignMixin, View):
    template_name = "campaigns/campaign_detail.html"

    def get(self, request, campaign_id):
        org = request.organization
        campaign = self.campaign
        postings = selectors.campaign_postings(org=org, campaign=campaign)
        outage = provider_outage()
        version = selectors.campaigns_live_version(
            campaigns=[campaign], postings=postings, provider_outage=outage
        )
        refresh = live_refresh(request, target="campaign-live")
        if refresh and request.GET.get("version") == version:
            return HttpResponse(status=204)  # unchanged: htmx keeps the page as it is
        return render(
            request,
            "campaigns/_campaign_live.html" if refresh else self.template_name,
            {
                "campaign": campaign,
                "job": campaign.job,
                "postings": postings,
                "attribution": selectors.posting_attribution(org=org, postings=postings),
                "may_take_down": selectors.user_may_take_down(user=request.user, campaign=campaign),
                "order_errors": campaign.order_errors or {},
                "in_flight": selectors.campaigns_in_flight(campaigns=[campaign], postings=postings),
                "provider_outage": outage,
                "order_pending": not campaign.provider_campaign_id and campaign.is_live,
                "live_version": version,
                "live_refresh_seconds": settings.CAMPAIGN_LIVE_REFRESH_SECONDS,
                "announce": refresh,
            },
        )


class OrderPlacedView(OrganizationMixin, CampaignMixin, View):
    """The confirmation of one Order for boards in several groups: every campaign it placed
    (one per contract group), each linked to its page."""

    template_name = "campaigns/order_placed.html"

    def get(self, request, campaign_id):
        campaign = self.campaign
        placed = (
            batch_placed(org=request.organization, batch_key=campaign.batch_key)
            if campaign.batch_key is not None
            else [campaign]
        )
        return render(request, self.template_name, {"job": campaign.job, "campaigns": placed})


def _take_down_answer(request, take_down, *, done_message: str, campaign_id: int):
    """Runs a take-down and says how it went, then goes back where the person pressed the
    button (History's campaign details post their own address as ``next``), else to the
    campaign's page."""
    try:
        outcome = take_down()
    except (TakeDownRefused, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        if outcome.waiting:
            messages.info(request, outcome.waiting_message)
        else:
            messages.success(request, done_message)
    # Only a path on this site (never a view name for redirect() to resolve, nor another host).
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(back)
    return redirect("campaign_detail", campaign_id=campaign_id)


class CampaignTakeDownView(OrganizationMixin, View):
    def post(self, request, campaign_id):
        return _take_down_answer(
            request,
            lambda: campaign_take_down(
                org=request.organization, campaign_id=campaign_id, by=request.user
            ),
            done_message=_("The campaign was taken down from every job board."),
            campaign_id=campaign_id,
        )


class PostingTakeDownView(OrganizationMixin, View):
    def post(self, request, posting_id):
        posting = selectors.posting_get(org=request.organization, posting_id=posting_id)
        return _take_down_answer(
            request,
            lambda: posting_take_down(
                org=request.organization, posting_id=posting.pk, by=request.user
            ),
            done_message=_("The ad was taken down from %(board)s.") % {"board": posting.board_name},
            campaign_id=posting.campaign_id,
        )


class OrderAgainView(OrganizationMixin, View):
    """Order again: the campaign's boards into the wizard, pre-filled."""

    def post(self, request, campaign_id):
        org = request.organization
        campaign = selectors.campaign_get(org=org, campaign_id=campaign_id)
        postings = selectors.campaign_postings(org=org, campaign=campaign)
        return _order_again_answer(request, campaign, postings)


class PostingRepostView(OrganizationMixin, View):
    """Repost: one board of a campaign (an Offline or Failed one) into the wizard, pre-filled."""

    def post(self, request, posting_id):
        posting = selectors.posting_get(org=request.organization, posting_id=posting_id)
        return _order_again_answer(request, posting.campaign, [posting])


def _order_again_answer(request, campaign, postings):
    try:
        draft = draft_order_again(
            org=request.organization, by=request.user, campaign=campaign, postings=postings
        )
    except OrderRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("campaign_detail", campaign_id=campaign.pk)
    return redirect("campaign_draft_target_group", draft_id=draft.pk)
