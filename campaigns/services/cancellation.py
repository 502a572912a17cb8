"""Sending the cancellations that take-down requests are waiting for.

The provider takes an ad down only while it is online: a cancellation of a campaign that is
not online yet is accepted and silently ignored (``08-campaigns/cancellation.md``), and one
board can be cancelled only once it is online. So a take-down is recorded on the postings
(``campaigns.services.take_down``) and its cancellation is sent here, asking for an
explicit answer, for the postings the provider reports online, wherever statuses are applied
(a webhook's refresh, the poll, a delivery's look-up, the take-down itself). A cancellation
the provider could not be reached for is sent again by the status poll
(``campaigns_with_cancellation_unsent``). A posting shows Offline only once the provider says
so.
"""

import logging
from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import Campaign, Posting, PostingStatus
from distribution.client import ProviderClient
from distribution.errors import ProviderError, ProviderNotFound, ProviderRejected
from distribution.messages import ProductStatus, ProviderCampaign

log = logging.getLogger(__name__)


def postings_due_for_cancellation(
    *, campaign: Campaign, remote: ProviderCampaign | None = None
) -> list[Posting]:
    """Postings with a take-down whose cancellation is still to send and that are online:
    by ``remote`` (the provider's word) when given, else by our own record."""
    postings = [p for p in campaign.postings.all() if p.take_down_due]
    if remote is None:
        return [p for p in postings if p.status == PostingStatus.ONLINE]
    # One board per product in a campaign (one contract per board in its one group).
    online = {p.product_id for p in remote.products if p.status == ProductStatus.ONLINE}
    return [posting for posting in postings if posting.product_id in online]


def campaigns_with_cancellation_unsent(
    *, requested_before: datetime, requested_after: datetime, limit: int
) -> list[str]:
    """Provider ids of campaigns with a board online whose take-down, asked for between
    ``requested_after`` and ``requested_before``, has no cancellation accepted yet (the
    provider could not be reached when it was due): reading them again sends it. The oldest
    requests first; past ``requested_after`` one stays on the page for a person to see."""
    unsent = Q(take_down_sent_at=None) | Q(take_down_sent_at__lt=F("take_down_requested_at"))
    provider_ids = (
        Posting.objects.filter(unsent)
        .filter(
            take_down_requested_at__lte=requested_before,
            take_down_requested_at__gte=requested_after,
            status=PostingStatus.ONLINE,
        )
        .exclude(campaign__provider_campaign_id="")
        .order_by("take_down_requested_at")
        .values_list("campaign__provider_campaign_id", flat=True)
    )
    return list(dict.fromkeys(provider_ids[: limit * 4]))[:limit]


def cancellation_send(
    *, client: ProviderClient, campaign: Campaign, postings: list[Posting]
) -> list[Posting]:
    """Send the cancellation for ``postings`` (online, with a take-down requested): the whole
    campaign when every live board of it is being taken down, else board by board. Returns
    the postings whose cancellation the provider accepted. ``ProviderNotFound`` propagates:
    the provider no longer knows the campaign."""
    if not postings or not campaign.provider_campaign_id:
        return []
    live = [p for p in campaign.postings.all() if p.is_live]
    accepted: list[Posting] = []
    try:
        if all(p.take_down_pending for p in live):
            client.cancel_campaign(campaign.provider_campaign_id)
            accepted = list(postings)
        else:
            for posting in postings:
                client.cancel_product(campaign.provider_campaign_id, posting.product_id)
                accepted.append(posting)
    except ProviderNotFound:
        raise
    except ProviderRejected as error:
        # Asked for an explicit answer: "not online" after all (it went offline, or our
        # record was ahead). The request stays; it is sent when it is next seen online.
        log.info("campaign %s: cancellation refused for now: %s", campaign.pk, error)
    except ProviderError as error:
        log.warning("campaign %s: cancellation not sent, will retry: %s", campaign.pk, error)
    if accepted:
        now = timezone.now()
        Posting.objects.filter(pk__in=[p.pk for p in accepted]).update(take_down_sent_at=now)
        for posting in accepted:
            posting.take_down_sent_at = now
    return accepted
