"""Statuses coming back from the provider: by webhook (one campaign, fetched) and by an
incremental poll (``modifiedOn.gte``, a page of many campaigns per call) as the backstop.

Both end in ``campaign_apply_remote``, which feeds every board's status through
``posting_apply_status``: applying the same state twice, or an older one, changes nothing.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import (
    Campaign,
    CampaignStatus,
    EventSource,
    PostingStatus,
    StatusPollCursor,
    WebhookDelivery,
)
from campaigns.services.status import posting_apply_status
from distribution.client import Priority, provider_client

log = logging.getLogger(__name__)

PRODUCT_STATUSES = {
    "in progress": PostingStatus.IN_PROGRESS,
    "online": PostingStatus.ONLINE,
    "offline": PostingStatus.OFFLINE,
    "not processed": PostingStatus.FAILED,
}
LIVE = (CampaignStatus.SUBMITTED, CampaignStatus.IN_PROGRESS, CampaignStatus.ONLINE)
POLL_PAGE_SIZE = 100
POLL_MAX_PAGES = 10
POLL_FIRST_LOOKBACK = timedelta(minutes=10)


def campaign_apply_remote(*, campaign: Campaign, remote, source: str) -> int:
    """Apply a ``ProviderCampaign`` to our campaign; return how many boards changed."""
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
        status = PRODUCT_STATUSES.get((product.status or "").strip().lower())
        if status is None:
            log.warning("Campaign %s: unknown product status %r", campaign.pk, product.status)
            continue
        solution = product.status_solution or product.status_raw_error
        if posting_apply_status(
            posting=posting,
            status=status,
            source=source,
            observed_at=remote.modified_on,
            description=product.status_description,
            solution=solution,
            job_board_link=product.job_board_link or "",
            delivered_on=product.delivered_on,
            clicks=product.clicks,
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


def campaign_refresh(*, provider_campaign_id: str, source: str = EventSource.WEBHOOK) -> bool:
    """Fetch one campaign from the provider and apply it. False when we do not know the
    campaign (yet: its delivery may still be recording the id)."""
    campaign = (
        Campaign.objects.select_related("organization")
        .filter(provider_campaign_id=provider_campaign_id)
        .first()
    )
    if campaign is None:
        return False
    client = provider_client(org=campaign.organization, priority=Priority.BACKGROUND)
    remote = client.get_campaign(provider_campaign_id)
    campaign_apply_remote(campaign=campaign, remote=remote, source=source)
    return True


# --- poll ----------------------------------------------------------------------------------


def organizations_to_poll() -> list[int]:
    """Organisations with delivered campaigns still live: the only ones whose statuses move."""
    return list(
        Campaign.objects.filter(status__in=LIVE)
        .exclude(provider_campaign_id="")
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )


def _first_cursor(org: Organization) -> datetime:
    oldest = (
        Campaign.objects.for_org(org)
        .filter(status__in=LIVE)
        .aggregate(oldest=Min("created_at"))["oldest"]
    )
    return (oldest or timezone.now()) - POLL_FIRST_LOOKBACK


def status_poll(*, org: Organization) -> int:
    """One incremental poll of one organisation; returns how many boards changed.

    The cursor is provider time (the largest ``modifiedOn`` seen), so clocks never drift
    apart; ``gte`` re-reads the boundary campaign, which changes nothing the second time.
    """
    cursor, _created = StatusPollCursor.objects.get_or_create(
        organization=org, defaults={"modified_since": _first_cursor(org)}
    )
    client = provider_client(org=org, priority=Priority.BACKGROUND)
    since = cursor.modified_since
    newest = since
    changed = 0
    for page_number in range(POLL_MAX_PAGES):
        page = client.list_campaigns_modified_since(
            since, limit=POLL_PAGE_SIZE, offset=page_number * POLL_PAGE_SIZE
        )
        ids = [remote.campaign_id for remote in page.campaigns]
        local = {
            c.provider_campaign_id: c
            for c in Campaign.objects.for_org(org).filter(provider_campaign_id__in=ids)
        }
        for remote in page.campaigns:
            campaign = local.get(remote.campaign_id)
            if campaign is not None:
                changed += campaign_apply_remote(
                    campaign=campaign, remote=remote, source=EventSource.POLL
                )
            if remote.modified_on and remote.modified_on > newest:
                newest = remote.modified_on
        if (page_number + 1) * POLL_PAGE_SIZE >= page.total or not page.campaigns:
            break
    StatusPollCursor.objects.filter(pk=cursor.pk).update(
        modified_since=newest, polled_at=timezone.now()
    )
    return changed
