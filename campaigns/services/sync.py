"""Statuses coming back from the provider, applied: what every path ends in.

Statuses come by webhook (``campaigns.services.webhook_follow_up``: a read of the
partner-level list shared by the notifications of a few seconds, or a fetch of the notified
campaign, ``campaign_refresh``) and by the incremental poll of the campaign list
(``campaigns.services.list_poll``), the backstop. All end in ``campaign_apply_remote``,
which feeds every board's status through ``posting_apply_status`` (applying the same state
twice, or an older one, changes nothing) and sends the cancellations that take-down requests
wait for once their boards are online.
"""

import logging

from django.db import IntegrityError, transaction

from campaigns.models import (
    Campaign,
    EventSource,
    PostingStatus,
    WebhookDelivery,
)
from campaigns.services.cancellation import cancellation_send, postings_due_for_cancellation
from campaigns.services.status import posting_apply_status
from distribution.client import Priority, ProviderClient, provider_client
from distribution.errors import ProviderError
from distribution.messages import ProductStatus, ProviderCampaign

log = logging.getLogger(__name__)

PRODUCT_STATUSES = {
    ProductStatus.IN_PROGRESS: PostingStatus.IN_PROGRESS,
    ProductStatus.ONLINE: PostingStatus.ONLINE,
    ProductStatus.OFFLINE: PostingStatus.OFFLINE,
    ProductStatus.NOT_PROCESSED: PostingStatus.FAILED,
}


def campaign_apply_remote(
    *,
    campaign: Campaign,
    remote: ProviderCampaign,
    source: str,
    client: ProviderClient | None = None,
) -> int:
    """Apply a ``ProviderCampaign`` to our campaign; return how many boards changed. Boards
    the provider now reports online and whose take-down was requested get their cancellation
    (then the campaign is read again, so that they show Offline once the provider says so)."""
    client = client or provider_client(org=campaign.organization, priority=Priority.BACKGROUND)
    french = _french_texts(campaign=campaign, remote=remote, client=client)
    changed = _apply_products(campaign=campaign, remote=remote, source=source, french=french)
    due = postings_due_for_cancellation(campaign=campaign, remote=remote)
    if due:
        try:
            if cancellation_send(client=client, campaign=campaign, postings=due):
                fresh = client.get_campaign(campaign.provider_campaign_id)
                changed += _apply_products(
                    campaign=campaign, remote=fresh, source=source, french=french
                )
        except ProviderError as error:
            # The request stays recorded: the next webhook or poll sends it again.
            log.warning("campaign %s: take-down not carried out yet: %s", campaign.pk, error)
    return changed


def _french_texts(
    *, campaign: Campaign, remote: ProviderCampaign, client: ProviderClient
) -> dict[tuple[str, str], dict]:
    """The provider's reasons in French, by (product, contract), for boards it reports failed
    that we do not hold in French yet: the campaign read once more, with Accept-Language: fr
    (the provider words them per language, as it does its labels). A failure is rare and
    final, so this costs one call per failed campaign."""
    wanting = {
        (posting.product_id, posting.provider_contract_id)
        for posting in campaign.postings.all()
        if not posting.status_texts_fr
    }
    if not any(
        p.status == ProductStatus.NOT_PROCESSED and (p.product_id, p.contract_id or "") in wanting
        for p in remote.products
    ):
        return {}
    french_client = provider_client(
        org=campaign.organization, language="fr", priority=client.transport.priority
    )
    try:
        remote_fr = french_client.get_campaign(campaign.provider_campaign_id)
    except ProviderError as error:
        # The English words stand; the next read asks again.
        log.warning("campaign %s: no French status texts: %s", campaign.pk, error)
        return {}
    return {
        (p.product_id, p.contract_id or ""): {
            "description": p.status_description,
            "solution": p.status_solution or p.status_raw_error,
        }
        for p in remote_fr.products
        if p.status == ProductStatus.NOT_PROCESSED
    }


def _apply_products(
    *, campaign: Campaign, remote: ProviderCampaign, source: str, french: dict | None = None
) -> int:
    postings = list(campaign.postings.all())
    by_spec = {(p.product_id, p.provider_contract_id): p for p in postings}
    by_product: dict[str, list] = {}
    for posting in postings:
        by_product.setdefault(posting.product_id, []).append(posting)
    changed = 0
    for product in remote.products:
        posting = by_spec.get((product.product_id, product.contract_id or ""))
        if posting is None:
            candidates = by_product.get(product.product_id, [])
            posting = candidates[0] if len(candidates) == 1 else None
        if posting is None:
            log.warning(
                "Campaign %s: the provider reports an unknown product %s",
                campaign.pk,
                product.product_id,
            )
            continue
        if posting_apply_status(
            posting=posting,
            status=PRODUCT_STATUSES[product.status],
            source=source,
            observed_at=remote.modified_on,
            description=product.status_description,
            solution=product.status_solution or product.status_raw_error,
            job_board_link=product.job_board_link,
            delivered_on=product.delivered_on,
            clicks=product.clicks,
            texts_fr=(french or {}).get((product.product_id, product.contract_id or "")),
        ):
            changed += 1
    if remote.modified_on and (
        campaign.provider_modified_on is None or remote.modified_on > campaign.provider_modified_on
    ):
        Campaign.objects.filter(pk=campaign.pk).update(provider_modified_on=remote.modified_on)
    return changed


# --- webhook -------------------------------------------------------------------------------


def webhook_record(*, request_id: str, provider_campaign_id: str, modified_on: str) -> bool:
    """Remember a notification; False when this ``request_id`` was seen before."""
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                request_id=request_id[:100],
                provider_campaign_id=provider_campaign_id[:64],
                modified_on=modified_on[:64],
            )
    except IntegrityError:
        return False
    return True


def campaign_refresh(
    *,
    provider_campaign_id: str,
    source: str = EventSource.WEBHOOK,
    priority: Priority = Priority.BACKGROUND,
) -> bool:
    """Fetch one campaign from the provider and apply it. A notification is only a hint:
    whatever it said, the campaign is read again. False when we do not know the campaign
    (yet: its delivery may still be recording the id)."""
    campaign = (
        Campaign.objects.select_related("organization")
        .filter(provider_campaign_id=provider_campaign_id)
        .first()
    )
    if campaign is None:
        return False
    client = provider_client(org=campaign.organization, priority=priority)
    remote = client.get_campaign(provider_campaign_id)
    campaign_apply_remote(campaign=campaign, remote=remote, source=source, client=client)
    return True
