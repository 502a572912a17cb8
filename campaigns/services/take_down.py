"""Taking a whole campaign, or one board of it, off the job boards.

Allowed to the organisation's admins and to the recruiter who ordered the campaign. The
provider is asked first; the boards go Offline only once it has accepted.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from campaigns.models import Campaign, EventSource, Posting, PostingStatus
from campaigns.selectors import user_may_take_down
from campaigns.services.order_document import OrderRefused
from campaigns.services.status import posting_apply_status
from contracts.refusals import provider_refusal_message
from distribution.client import provider_client
from distribution.errors import ProviderError, ProviderNotFound


class TakeDownRefused(OrderRefused):
    """A take-down that cannot happen now, with the reason."""


def _check_allowed(*, by: User, campaign: Campaign) -> None:
    if not user_may_take_down(user=by, campaign=campaign):
        raise PermissionDenied(
            _("Only admins and the recruiter who ordered this campaign may take it down.")
        )


def _provider_refusal(error: ProviderError) -> TakeDownRefused:
    return TakeDownRefused(provider_refusal_message(error))


def _require_delivered(campaign: Campaign) -> None:
    if not campaign.provider_campaign_id:
        raise TakeDownRefused(
            _(
                "This campaign is still being delivered to the job boards. "
                "Try again in a minute, once it is In progress."
            )
        )


def campaign_take_down(*, org: Organization, campaign_id: int, by: User) -> Campaign:
    campaign = Campaign.objects.select_related("organization").get_for_org_or_404(
        org, pk=campaign_id
    )
    _check_allowed(by=by, campaign=campaign)
    live = [p for p in campaign.postings.all() if p.is_live]
    if not live:
        raise TakeDownRefused(_("This campaign is not live on any job board."))
    _require_delivered(campaign)
    try:
        provider_client(org=org).cancel_campaign(campaign.provider_campaign_id)
    except ProviderNotFound:
        pass  # the provider no longer has it: it is offline either way
    except ProviderError as error:
        raise _provider_refusal(error) from error
    for posting in live:
        posting_apply_status(
            posting=posting, status=PostingStatus.OFFLINE, source=EventSource.TAKE_DOWN, by=by
        )
    campaign.refresh_from_db()
    return campaign


def posting_take_down(*, org: Organization, posting_id: int, by: User) -> Posting:
    posting = Posting.objects.select_related("campaign").get_for_org_or_404(org, pk=posting_id)
    campaign = posting.campaign
    _check_allowed(by=by, campaign=campaign)
    if not posting.is_live:
        raise TakeDownRefused(_("This job board is already offline."))
    _require_delivered(campaign)
    others_live = [p for p in campaign.postings.all() if p.is_live and p.pk != posting.pk]
    if posting.status != PostingStatus.ONLINE and others_live:
        raise TakeDownRefused(
            _(
                "A job board can be taken down on its own once it is Online. "
                "Wait until it is online, or take down the whole campaign."
            )
        )
    client = provider_client(org=org)
    try:
        if others_live:
            client.cancel_product(campaign.provider_campaign_id, posting.product_id)
        else:
            client.cancel_campaign(campaign.provider_campaign_id)
    except ProviderNotFound:
        pass
    except ProviderError as error:
        raise _provider_refusal(error) from error
    posting_apply_status(
        posting=posting, status=PostingStatus.OFFLINE, source=EventSource.TAKE_DOWN, by=by
    )
    return posting


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
