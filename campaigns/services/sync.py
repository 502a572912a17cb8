"""Statuses coming back from the provider: by webhook and by an incremental poll (a page of
many campaigns per call) as the backstop.

A webhook is only a hint. Where the provider allows the partner-level campaign list, the
notifications that arrive within ``CAMPAIGNS_WEBHOOK_SWEEP_SECONDS`` are followed by one read
of that list (``webhook_sweep``): one call per page of changes instead of one per campaign,
which is what keeps the call budget for people at thousands of organisations. Elsewhere each
notified campaign is fetched (``campaign_refresh``).

Both end in ``campaign_apply_remote``, which feeds every board's status through
``posting_apply_status`` (applying the same state twice, or an older one, changes nothing)
and sends the cancellations that take-down requests wait for once their boards are online.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import (
    Campaign,
    CampaignStatus,
    EventSource,
    PartnerPollCursor,
    PostingStatus,
    StatusPollCursor,
    WebhookDelivery,
)
from campaigns.services.cancellation import cancellation_send, postings_due_for_cancellation
from campaigns.services.status import posting_apply_status
from config.queue import enqueue, enqueue_on_commit
from distribution.client import Priority, ProviderClient, provider_client
from distribution.errors import ProviderError, ProviderForbidden
from distribution.messages import ProductStatus, ProviderCampaign

log = logging.getLogger(__name__)

PRODUCT_STATUSES = {
    ProductStatus.IN_PROGRESS: PostingStatus.IN_PROGRESS,
    ProductStatus.ONLINE: PostingStatus.ONLINE,
    ProductStatus.OFFLINE: PostingStatus.OFFLINE,
    ProductStatus.NOT_PROCESSED: PostingStatus.FAILED,
}
LIVE = (CampaignStatus.SUBMITTED, CampaignStatus.IN_PROGRESS, CampaignStatus.ONLINE)
POLL_MAX_PAGES = 10
POLL_FIRST_LOOKBACK = timedelta(minutes=10)
# How long a delivery in flight (the provider's id not recorded yet) may hold a poll's cursor:
# past that, its order is being checked with the provider and is adopted by its reference.
POLL_HOLD_FOR_DELIVERY = timedelta(hours=1)
# After the provider refused the partner-level list, how long before asking it again.
PARTNER_POLL_ASK_AGAIN = timedelta(days=1)
REFRESH_TASK = "campaigns.tasks.campaign_refresh_task"
SWEEP_TASK = "campaigns.tasks.webhook_sweep_task"
SWEEP_MARK = "campaigns:webhook-sweep"


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


def webhook_follow_up(*, provider_campaign_id: str) -> None:
    """The work of a new notification, handed over once the current transaction commits:
    a sweep of the partner-level list shared with the other notifications of the next few
    seconds, or, where the provider refuses that list, a fetch of this campaign."""
    if partner_poll_allowed():
        transaction.on_commit(_schedule_sweep)
    else:
        enqueue_on_commit(REFRESH_TASK, provider_campaign_id)


def _schedule_sweep() -> None:
    delay = float(settings.CAMPAIGNS_WEBHOOK_SWEEP_SECONDS)
    if delay <= 0:
        enqueue(SWEEP_TASK)
        return
    # The mark lasts exactly as long as the countdown (the pattern of
    # ``contracts_refresh_after_order``): a notification that finds it is read by the
    # scheduled sweep, which runs after the mark is gone; the next one schedules another.
    if cache.add(SWEEP_MARK, 1, timeout=delay):
        enqueue(SWEEP_TASK, countdown=delay)


def webhook_sweep() -> int:
    """The changes of the last notifications, read in the partner-level list (at most
    ``POLL_MAX_PAGES`` calls; the next sweep or poll goes on from there). If the provider
    refuses that list, the refusal is recorded and the campaigns notified meanwhile are
    fetched one by one. Returns how many boards changed."""
    try:
        return status_poll_partner(max_pages=POLL_MAX_PAGES, source=EventSource.WEBHOOK).changed
    except ProviderForbidden:
        partner_poll_refused()
        since = timezone.now() - timedelta(
            seconds=2 * max(float(settings.CAMPAIGNS_WEBHOOK_SWEEP_SECONDS), 60)
        )
        notified = (
            WebhookDelivery.objects.filter(received_at__gte=since)
            .values_list("provider_campaign_id", flat=True)
            .distinct()
        )
        for provider_campaign_id in notified:
            enqueue(REFRESH_TASK, provider_campaign_id)
        return 0


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


# --- poll ----------------------------------------------------------------------------------


def _first_cursor(org: Organization | None) -> datetime:
    """The oldest live campaign's creation (of ``org``, or of every organisation), with a
    margin: every change to a live campaign happened after it."""
    campaigns = Campaign.objects.for_org(org) if org is not None else Campaign.objects.all()
    oldest = campaigns.filter(status__in=LIVE).aggregate(oldest=Min("created_at"))["oldest"]
    return (oldest or timezone.now()) - POLL_FIRST_LOOKBACK


def poll_page_size() -> int:
    return int(getattr(settings, "CAMPAIGNS_POLL_PAGE_SIZE", 100))


def status_poll(*, org: Organization) -> int:
    """One incremental poll of one organisation; returns how many boards changed."""
    return status_poll_counted(org=org)[0]


def status_poll_counted(*, org: Organization) -> tuple[int, int]:
    """One incremental poll of one organisation: (boards changed, list calls made).

    The cursor is provider time (the newest ``modifiedOn`` applied), so clocks never drift
    apart; ``gte`` re-reads the boundary campaign, which changes nothing the second time.
    The filter is sent in both documented spellings, sorted oldest first, but trusted only
    as far as the ``modifiedOn`` values of the answer go: a service that ignored it answers
    from its oldest campaign, and then the poll reads newest first instead and stops at the
    first campaign older than the cursor, so each poll still costs calls in proportion to
    the campaigns that changed.
    """
    cursor, _created = StatusPollCursor.objects.get_or_create(
        organization=org, defaults={"modified_since": _first_cursor(org)}
    )
    poll = _Poll(org=org, since=cursor.modified_since)
    complete = poll.run()
    if complete:
        StatusPollCursor.objects.filter(pk=cursor.pk).update(
            modified_since=poll.resume_from, polled_at=timezone.now()
        )
    else:
        StatusPollCursor.objects.filter(pk=cursor.pk).update(polled_at=timezone.now())
    return poll.changed, poll.pages_read


@dataclass
class PartnerPoll:
    """What one partner-level poll did: boards changed, list calls made, and whether it read
    every change up to now (False: the next poll goes on from where this one stopped)."""

    changed: int
    calls: int
    complete: bool


def status_poll_partner(*, max_pages: int, source: str = EventSource.POLL) -> PartnerPoll:
    """One incremental poll of every organisation at once: the partner-level campaign list
    (no ``X-Customer-Id``), read as ``status_poll_counted`` reads one organisation's, within
    ``max_pages`` calls. Each campaign is applied to the organisation that ordered it, and
    only when the answer's ``customerId`` (when given) is that organisation's.

    Raises ``ProviderForbidden`` when the provider refuses the partner level for this call
    (the OpenAPI document's reading): the caller records it and polls customer by customer.
    """
    cursor, _created = PartnerPollCursor.objects.get_or_create(
        id=PartnerPollCursor.SINGLETON, defaults={"modified_since": _first_cursor(None)}
    )
    poll = _Poll(org=None, since=cursor.modified_since, max_pages=max(1, max_pages), source=source)
    complete = poll.run()
    PartnerPollCursor.objects.filter(pk=cursor.pk).update(polled_at=timezone.now(), refused_at=None)
    if complete or poll.newest_first_read is False:
        # Read oldest first, what was applied is a prefix of the changes: go on from there.
        # Only forward: a sweep and the periodic poll may read at the same time.
        PartnerPollCursor.objects.filter(pk=cursor.pk, modified_since__lt=poll.resume_from).update(
            modified_since=poll.resume_from
        )
    return PartnerPoll(changed=poll.changed, calls=poll.pages_read, complete=complete)


def partner_poll_refused(*, at: datetime | None = None) -> None:
    """Remember that the provider refused the partner-level campaign list (a 403)."""
    at = at or timezone.now()
    updated = PartnerPollCursor.objects.filter(pk=PartnerPollCursor.SINGLETON).update(refused_at=at)
    if not updated:
        PartnerPollCursor.objects.get_or_create(
            id=PartnerPollCursor.SINGLETON,
            defaults={"modified_since": _first_cursor(None), "refused_at": at},
        )


def partner_poll_allowed(*, now: datetime | None = None) -> bool:
    """Whether to try the partner-level list: never refused, or refused over
    ``PARTNER_POLL_ASK_AGAIN`` ago (the provider may have enabled it since)."""
    now = now or timezone.now()
    refused_at = (
        PartnerPollCursor.objects.filter(pk=PartnerPollCursor.SINGLETON)
        .values_list("refused_at", flat=True)
        .first()
    )
    return refused_at is None or refused_at <= now - PARTNER_POLL_ASK_AGAIN


class _Poll:
    """One poll's reading of the campaign list, page by page, within its call budget: one
    organisation's list, or (``org`` None) the partner level's list of every organisation's."""

    def __init__(
        self,
        *,
        org: Organization | None,
        since: datetime,
        max_pages: int = 0,
        source: str = EventSource.POLL,
    ):
        self.org = org
        self.source = source
        self.since = since
        self.newest = since
        self.changed = 0
        self.size = poll_page_size()
        self.max_pages = max_pages or POLL_MAX_PAGES
        # None: the partner level (no X-Customer-Id); each campaign is then applied with a
        # client of its own organisation.
        self.client = provider_client(org=org, priority=Priority.BACKGROUND)
        self.pages_read = 0
        self.newest_first_read: bool | None = None
        self.held_at: datetime | None = None

    def run(self) -> bool:
        """Read and apply every campaign changed since the cursor; False when the budget
        ran out first."""
        first = self.read(offset=0, newest_first=False)
        self.newest_first_read = not all(self.is_new(remote) for remote in first.campaigns)
        if self.newest_first_read:
            return self.newest_first(first)
        return self.oldest_first(first)

    def is_new(self, remote: ProviderCampaign) -> bool:
        return remote.modified_on is None or remote.modified_on >= self.since

    def read(self, *, offset: int, newest_first: bool):
        self.pages_read += 1
        return self.client.list_campaigns_modified_since(
            self.since, limit=self.size, offset=offset, newest_first=newest_first
        )

    def oldest_first(self, page) -> bool:
        """The filter was honoured: apply page after page. Stopped by the budget, the next
        poll goes on from the newest campaign applied (the order is by modifiedOn)."""
        offset = 0
        while True:
            self.apply(page.campaigns)
            offset += len(page.campaigns)
            if len(page.campaigns) < self.size or offset >= page.total:
                return True
            if self.pages_read >= self.max_pages:
                return self.org is not None  # one organisation's poll goes on next time
            page = self.read(offset=offset, newest_first=False)

    def newest_first(self, page) -> bool:
        """The filter was ignored (the answer starts older than the cursor): read newest
        first and stop at the first campaign older than the cursor. False when the budget
        ran out before reaching it: the cursor must then stay where it is."""
        self.apply([remote for remote in page.campaigns if self.is_new(remote)])
        if len(page.campaigns) >= page.total:
            return True  # that first page held every campaign
        offset = 0
        while self.pages_read < self.max_pages:
            page = self.read(offset=offset, newest_first=True)
            fresh = [remote for remote in page.campaigns if self.is_new(remote)]
            self.apply(fresh)
            offset += len(page.campaigns)
            if len(fresh) < len(page.campaigns) or len(page.campaigns) < self.size:
                return True
            if offset >= page.total:
                return True
        log.warning(
            "status poll of %s: more campaigns changed than %s pages hold; "
            "the next poll reads them again",
            f"organisation {self.org.pk}" if self.org is not None else "the partner level",
            self.max_pages,
        )
        return False

    def apply(self, remotes: list[ProviderCampaign]) -> None:
        ids = [remote.campaign_id for remote in remotes]
        campaigns = (
            Campaign.objects.for_org(self.org)
            if self.org is not None
            else Campaign.objects.select_related("organization")
        )
        local = {c.provider_campaign_id: c for c in campaigns.filter(provider_campaign_id__in=ids)}
        self._hold_for_deliveries_in_flight([r for r in remotes if r.campaign_id not in local])
        for remote in remotes:
            campaign = local.get(remote.campaign_id)
            if campaign is not None and self._ordered_by(campaign, remote):
                self.changed += campaign_apply_remote(
                    campaign=campaign,
                    remote=remote,
                    source=self.source,
                    client=self.client if self.org is not None else None,
                )
            if remote.modified_on and remote.modified_on > self.newest:
                self.newest = remote.modified_on

    def _hold_for_deliveries_in_flight(self, unknown: list[ProviderCampaign]) -> None:
        """A campaign we do not know by its id may be ours, its delivery not having recorded
        the provider's id yet (the provider answered, our commit is a moment away, or the
        outcome is being checked). Recognised by its orderReference, it holds the cursor at
        its ``modifiedOn``, so that the next poll reads it again once the id is ours;
        otherwise a change it had already gone through would never be read."""
        references = {r.order_reference: r for r in unknown if r.order_reference}
        if not references:
            return
        campaigns = Campaign.objects.for_org(self.org) if self.org is not None else Campaign.objects
        in_flight = campaigns.filter(
            order_reference__in=references,
            provider_campaign_id="",
            created_at__gte=timezone.now() - POLL_HOLD_FOR_DELIVERY,
        ).values_list("order_reference", flat=True)
        for reference in in_flight:
            modified_on = references[reference].modified_on
            if modified_on and (self.held_at is None or modified_on < self.held_at):
                self.held_at = modified_on

    @property
    def resume_from(self) -> datetime:
        """Where the next poll starts: after the newest campaign applied, unless a delivery
        in flight holds it earlier."""
        return min(self.newest, self.held_at) if self.held_at else self.newest

    def _ordered_by(self, campaign: Campaign, remote: ProviderCampaign) -> bool:
        """At the partner level, a campaign is applied only to the organisation whose
        customer id ordered it (when the answer says which): an id mix-up, here or at the
        provider, must never move another organisation's postings."""
        if self.org is not None or not remote.customer_id:
            return True
        if remote.customer_id == str(campaign.organization.provider_customer_id):
            return True
        log.warning(
            "partner-level poll: campaign %s belongs to another customer at the provider; "
            "not applied",
            campaign.pk,
        )
        return False
