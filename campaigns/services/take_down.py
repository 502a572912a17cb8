"""Taking a whole campaign, or one board of it, off the job boards.

Allowed to the organisation's admins and to the recruiter who ordered the campaign. A
take-down is first recorded on the postings (they show *Take-down requested*); the boards
the provider reports online get their cancellation at once, the others when they go online
(``campaigns.services.cancellation``, called wherever statuses are applied). A board shows
Offline only once the provider says it is.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from campaigns.history.page_cache import history_changed
from campaigns.models import Campaign, EventSource, Posting, PostingEvent, PostingStatus
from campaigns.selectors import user_may_take_down
from campaigns.services.cancellation import cancellation_send, postings_due_for_cancellation
from campaigns.services.order_document import OrderRefused
from campaigns.services.status import posting_apply_status
from campaigns.services.sync import campaign_refresh
from distribution.client import Priority, provider_client
from distribution.errors import ProviderError, ProviderNotFound


class TakeDownRefused(OrderRefused):
    """A take-down that cannot happen, with the reason."""


@dataclass(frozen=True)
class TakeDownOutcome:
    """What a take-down did: boards now offline, and boards whose take-down waits for the
    provider (not online yet, or the provider could not be reached)."""

    offline: int
    waiting: int

    @property
    def waiting_message(self) -> str:
        return _(
            "Take-down requested: the job distribution provider takes an ad down once it is "
            "online, so it is carried out then. A board shows Offline once the provider "
            "confirms it."
        )


def _check_allowed(*, by: User, campaign: Campaign) -> None:
    if not user_may_take_down(user=by, campaign=campaign):
        raise PermissionDenied(
            _("Only admins and the recruiter who ordered this campaign may take it down.")
        )


def campaign_take_down(*, org: Organization, campaign_id: int, by: User) -> TakeDownOutcome:
    campaign = Campaign.objects.select_related("organization").get_for_org_or_404(
        org, pk=campaign_id
    )
    _check_allowed(by=by, campaign=campaign)
    live = [p for p in campaign.postings.all() if p.is_live]
    if not live:
        raise TakeDownRefused(_("This campaign is not live on any job board."))
    return _take_down(campaign=campaign, postings=live, by=by)


def posting_take_down(*, org: Organization, posting_id: int, by: User) -> TakeDownOutcome:
    posting = Posting.objects.select_related("campaign__organization").get_for_org_or_404(
        org, pk=posting_id
    )
    campaign = posting.campaign
    _check_allowed(by=by, campaign=campaign)
    if not posting.is_live:
        raise TakeDownRefused(_("This job board is already offline."))
    return _take_down(campaign=campaign, postings=[posting], by=by)


def job_campaigns_take_down(*, org: Organization, job_id: int, by: User) -> list[str]:
    """Take down every live campaign of a job (offered when the job is closed); return
    the problems, one per campaign that could not be taken down."""
    problems = []
    for campaign in Campaign.objects.for_org(org).filter(job_id=job_id):
        if not campaign.is_live:
            continue
        try:
            campaign_take_down(org=org, campaign_id=campaign.pk, by=by)
        except (TakeDownRefused, PermissionDenied) as error:
            problems.append(f"{campaign.name}: {getattr(error, 'message', error)}")
    return problems


def _take_down(*, campaign: Campaign, postings: list[Posting], by: User) -> TakeDownOutcome:
    _record_requests(postings=postings, by=by)
    if campaign.provider_campaign_id:
        try:
            _carry_out(campaign=campaign)
        except ProviderNotFound:
            # The provider no longer has this campaign: nothing of it can be online.
            for posting in postings:
                posting_apply_status(
                    posting=posting,
                    status=PostingStatus.OFFLINE,
                    source=EventSource.TAKE_DOWN,
                    description=_("The job distribution provider no longer knows this campaign."),
                    by=by,
                )
        except ProviderError:
            pass  # recorded: sent by the next status update (webhook or poll)
    fresh = {p.pk: p for p in Posting.objects.filter(pk__in=[p.pk for p in postings])}
    waiting = sum(1 for posting in fresh.values() if posting.take_down_pending)
    return TakeDownOutcome(offline=len(fresh) - waiting, waiting=waiting)


@transaction.atomic
def _record_requests(*, postings: list[Posting], by: User) -> None:
    now = timezone.now()
    for posting in postings:
        if posting.take_down_pending:
            continue  # already requested: a second click changes nothing
        Posting.objects.filter(pk=posting.pk).update(
            take_down_requested_at=now, take_down_requested_by=by, modified_at=now
        )
        posting.take_down_requested_at, posting.take_down_requested_by = now, by
        PostingEvent.objects.create(
            organization_id=posting.organization_id,
            posting=posting,
            from_status=posting.status,
            to_status=posting.status,
            source=EventSource.TAKE_DOWN,
            description=_("Take-down requested."),
            observed_at=now,
            by=by,
        )
    if postings:
        history_changed(org_id=postings[0].organization_id)


def _carry_out(*, campaign: Campaign) -> None:
    """Cancel the boards online by our record now, then read the campaign back: that
    applies what the provider says (and cancels boards it reports online meanwhile)."""
    due = postings_due_for_cancellation(campaign=campaign)
    if due:
        client = provider_client(org=campaign.organization)
        cancellation_send(client=client, campaign=campaign, postings=due)
    campaign_refresh(
        provider_campaign_id=campaign.provider_campaign_id,
        source=EventSource.TAKE_DOWN,
        priority=Priority.INTERACTIVE,
    )
