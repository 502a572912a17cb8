"""The incremental poll of the provider's campaign list: the webhooks' backstop.

Two scopes, one reader (``_ListRead``):

- **the partner level** (``status_poll_partner``): the partner token without
  ``X-Customer-Id`` lists every customer's campaigns (the guides' "listing all campaigns
  across customers"), so one paged "modified since" list brings every organisation's changes
  and costs calls in proportion to the changes, not to the organisations. The provider's
  OpenAPI document gives that call customer-level security only, so the partner level is
  trusted only once its list has shown campaigns we know (``_verify_partner_list``), and any
  refusal (a 4xx, or a list without our campaigns) is recorded: the poll then goes
  organisation by organisation and asks the partner level again a day later.
- **one organisation** (``status_poll_counted``), with its own cursor.

How a list is read: sorted by ``modifiedOn`` oldest first, from the cursor, which is a
moment and the number of campaigns already read at exactly that moment (``tie_offset``).
Each page is asked for with ``modifiedOn >= moment``, then the cursor moves to the newest
``modifiedOn`` read and is saved, page by page: a campaign that changes while the list is
paged moves to the end without making another one skipped, and a read cut short (the
budget, a failure) keeps what it applied. The campaigns at the cursor's moment are read
again (``gte``: a boundary campaign changes nothing the second time, and one whose
take-down could not be sent gets it then), except when more of them share that moment than
a page holds: then the read skips those already read (``offset = tie_offset``), so any
number of campaigns sharing one instant is read through instead of the same page forever.
(Should one of those change between two reads, the next one may be skipped: the price of
paging by offset, paid only when a page's worth of campaigns shares one instant.)

The filter is sent in both documented spellings but trusted only as far as the
``modifiedOn`` values of the answer go: a service that ignored it answers from its oldest
campaign, and then the poll reads newest first instead and stops at the first campaign older
than the cursor.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from accounts.models import Organization
from campaigns.models import (
    Campaign,
    CampaignStatus,
    EventSource,
    PartnerPollCursor,
    StatusPollCursor,
    WebhookDelivery,
)
from campaigns.services.sync import campaign_apply_remote
from config.queue import enqueue
from distribution.client import Priority, ProviderClient, provider_client
from distribution.errors import (
    ProviderAuthenticationError,
    ProviderProtocolError,
    ProviderRejected,
)
from distribution.messages import ProviderCampaign

log = logging.getLogger(__name__)

LIVE = (CampaignStatus.SUBMITTED, CampaignStatus.IN_PROGRESS, CampaignStatus.ONLINE)
POLL_MAX_PAGES = 10
POLL_FIRST_LOOKBACK = timedelta(minutes=10)
# After the provider refused the partner-level list, how long before asking it again.
PARTNER_POLL_ASK_AGAIN = timedelta(days=1)
# A campaign the list shows but we do not know by its id, whose order we sent this recently
# and whose id our delivery has not recorded yet: fetched on its own a little later, once
# the id is ours (the refresh task waits for it), instead of holding every cursor back.
IN_FLIGHT_WINDOW = timedelta(minutes=10)
REFRESH_TASK = "campaigns.tasks.campaign_refresh_task"
# The partner-level list is trusted once its newest page shows our latest delivered campaigns
# (up to VERIFY_OURS of them, those delivered after its oldest campaign, give or take the two
# clocks' difference).
VERIFY_OURS, VERIFY_PAGE = 5, 100
VERIFY_CLOCK_MARGIN = timedelta(minutes=1)


# What makes the partner level a refusal, not a passing failure: a 4xx (429s are
# ProviderRateLimited, not these), an answer we cannot read, a token it does not accept.
# Outages and the call budget (ProviderUnavailable, ProviderRateLimited) pass.
REFUSALS = (ProviderRejected, ProviderProtocolError, ProviderAuthenticationError)


class PartnerListRefused(Exception):
    """The provider refuses the partner-level campaign list, or answers it with a list that
    does not show our campaigns; ``calls`` were spent finding out."""

    def __init__(self, reason: str, *, calls: int):
        super().__init__(reason)
        self.calls = calls


# The campaign list's largest page (the guides' and the sandbox's maximum): a larger size
# would be answered with fewer campaigns than asked, which a read takes for its last page.
MAX_PAGE_SIZE = 100


def poll_page_size() -> int:
    return max(1, min(int(getattr(settings, "CAMPAIGNS_POLL_PAGE_SIZE", 100)), MAX_PAGE_SIZE))


# --- one organisation ----------------------------------------------------------------------


def status_poll(*, org: Organization) -> int:
    """One incremental poll of one organisation; returns how many boards changed."""
    return status_poll_counted(org=org)[0]


def status_poll_counted(*, org: Organization) -> tuple[int, int]:
    """One incremental poll of one organisation: (boards changed, list calls made)."""
    cursor, _created = StatusPollCursor.objects.get_or_create(
        organization=org, defaults={"modified_since": _first_cursor(org)}
    )

    def save(since: datetime, tie: int) -> None:
        StatusPollCursor.objects.filter(pk=cursor.pk).update(modified_since=since, tie_offset=tie)

    read = _ListRead(
        org=org,
        since=cursor.modified_since,
        tie=cursor.tie_offset,
        save=save,
        client=provider_client(org=org, priority=Priority.BACKGROUND),
    )
    read.run()
    StatusPollCursor.objects.filter(pk=cursor.pk).update(polled_at=timezone.now())
    return read.changed, read.pages_read


def _first_cursor(org: Organization) -> datetime:
    """Where an organisation's first poll starts: its oldest live campaign's creation, with a
    margin (every change to a live campaign happened after it), unless the partner-level
    list has read every organisation's changes further than that."""
    oldest = (
        Campaign.objects.for_org(org)
        .filter(status__in=LIVE)
        .aggregate(oldest=Min("created_at"))["oldest"]
    )
    start = (oldest or timezone.now()) - POLL_FIRST_LOOKBACK
    partner = PartnerPollCursor.objects.values_list("modified_since", flat=True).first()
    return max(start, partner) if partner else start


# --- the partner level ---------------------------------------------------------------------


@dataclass
class PartnerPoll:
    """What one partner-level poll did: boards changed, calls made, whether it read every
    change up to now, and the provider ids of the campaigns it read."""

    changed: int
    calls: int
    complete: bool
    seen: set[str] = field(default_factory=set)


def status_poll_partner(*, max_pages: int, source: str = EventSource.POLL) -> PartnerPoll:
    """One incremental poll of every organisation at once, within ``max_pages`` calls. Each
    campaign is applied to the organisation that ordered it, and only when the answer's
    ``customerId`` (when given) is that organisation's. Call it holding
    ``campaigns.locks.partner_poll_lock``: one reader per cursor.

    Raises ``PartnerListRefused`` (the caller records it with ``partner_poll_refused``) and
    the provider's other errors (the next poll tries again).
    """
    cursor = _partner_cursor()
    client = provider_client(priority=Priority.BACKGROUND)  # no org: no X-Customer-Id
    calls = 0  # the calls made before the list's pages (each counted as it is sent)
    read = None
    try:
        if cursor.verified_at is None:
            calls += 1
            if _verify_partner_list(client):
                PartnerPollCursor.objects.filter(pk=cursor.pk).update(verified_at=timezone.now())

        def save(since: datetime, tie: int) -> None:
            # Only forward: should two readers ever overlap (a lease that ran out), the later
            # save of the slower one must not move the cursor back.
            PartnerPollCursor.objects.filter(pk=cursor.pk).filter(
                Q(modified_since__lt=since) | Q(modified_since=since, tie_offset__lte=tie)
            ).update(modified_since=since, tie_offset=tie)

        read = _ListRead(
            org=None,
            since=cursor.modified_since,
            tie=cursor.tie_offset,
            save=save,
            client=client,
            max_pages=max(1, max_pages - calls),
            source=source,
        )
        complete = read.run()
    except REFUSALS as error:
        pages = read.pages_read if read is not None else 0
        raise PartnerListRefused(str(error), calls=calls + pages) from error
    PartnerPollCursor.objects.filter(pk=cursor.pk).update(polled_at=timezone.now(), refused_at=None)
    return PartnerPoll(
        changed=read.changed, calls=calls + read.pages_read, complete=complete, seen=read.seen
    )


def partner_poll_allowed(*, now: datetime | None = None) -> bool:
    """Whether to try the partner-level list: never refused, or refused over
    ``PARTNER_POLL_ASK_AGAIN`` ago (the provider may have enabled it since)."""
    now = now or timezone.now()
    refused_at = PartnerPollCursor.objects.values_list("refused_at", flat=True).first()
    return refused_at is None or refused_at <= now - PARTNER_POLL_ASK_AGAIN


def partner_poll_refused() -> None:
    """Record that the partner-level list is refused (it is verified again next time), and
    bring each organisation's own cursor up to where the partner level had read every
    organisation's changes, so that polling them one by one does not read those again."""
    cursor = _partner_cursor()
    PartnerPollCursor.objects.filter(pk=cursor.pk).update(
        refused_at=timezone.now(), verified_at=None
    )
    StatusPollCursor.objects.filter(modified_since__lt=cursor.modified_since).update(
        modified_since=cursor.modified_since, tie_offset=0
    )


def _partner_cursor() -> PartnerPollCursor:
    """The installation's cursor. The first one starts where the organisations' own polls
    stand, and after a refusal it moves up to them, since they read on meanwhile."""
    cursor, created = PartnerPollCursor.objects.get_or_create(
        id=PartnerPollCursor.SINGLETON, defaults={"modified_since": _organisations_cursor()}
    )
    if not created and cursor.refused_at is not None:
        start = _organisations_cursor()
        if start > cursor.modified_since:
            PartnerPollCursor.objects.filter(pk=cursor.pk).update(
                modified_since=start, tie_offset=0
            )
            cursor.modified_since, cursor.tie_offset = start, 0
    return cursor


def _organisations_cursor() -> datetime:
    """The oldest point every organisation with live campaigns has read from: its own
    cursor, or, for one never polled, its oldest live campaign (with a margin). Not the
    oldest live campaign of all, which may be weeks back."""
    live = Campaign.objects.filter(status__in=LIVE).exclude(provider_campaign_id="")
    live_orgs = live.values("organization_id")
    polled = StatusPollCursor.objects.filter(organization_id__in=live_orgs)
    found = [polled.aggregate(oldest=Min("modified_since"))["oldest"]]
    never = live.exclude(organization_id__in=polled.values("organization_id")).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    if never is not None:
        found.append(never - POLL_FIRST_LOOKBACK)
    found = [moment for moment in found if moment is not None]
    return min(found) if found else timezone.now() - POLL_FIRST_LOOKBACK


def _verify_partner_list(client: ProviderClient) -> bool:
    """Whether the partner-level list shows every campaign we delivered since the oldest one
    on its newest page (a 200 with an empty or partial list would otherwise stop statuses
    silently). False when there is nothing of ours to compare yet (checked again next time);
    raises ``PartnerListRefused`` when one of ours is missing."""
    listed = client.list_newest_campaigns(limit=VERIFY_PAGE)
    created = [remote.created_on for remote in listed if remote.created_on]
    ours = Campaign.objects.exclude(provider_campaign_id="").exclude(delivered_at=None)
    if len(listed) >= VERIFY_PAGE and created:
        # A full page: only ours delivered after its oldest campaign must be on it (with a
        # margin for the two clocks).
        ours = ours.filter(delivered_at__gte=min(created) + VERIFY_CLOCK_MARGIN)
    expected = set(
        ours.order_by("-delivered_at").values_list("provider_campaign_id", flat=True)[:VERIFY_OURS]
    )
    if not expected:
        return False
    missing = expected - {remote.campaign_id for remote in listed}
    if missing:
        raise PartnerListRefused(
            f"the partner-level campaign list leaves out {len(missing)} of our latest "
            f"{len(expected)} campaigns",
            calls=1,
        )
    return True


# --- the reader ----------------------------------------------------------------------------


class _ListRead:
    """One read of the campaign list (an organisation's, or with ``org`` None the partner
    level's), page by page within ``max_pages``, from the cursor (``since``, ``tie``),
    saving the cursor through ``save`` after each page applied in order."""

    def __init__(
        self,
        *,
        org: Organization | None,
        since: datetime,
        tie: int,
        save: Callable[[datetime, int], None],
        client: ProviderClient,
        max_pages: int = POLL_MAX_PAGES,
        source: str = EventSource.POLL,
    ):
        self.org = org
        self.since = since
        self.tie = tie
        self.save = save
        self.client = client
        self.max_pages = max_pages
        self.source = source
        self.size = poll_page_size()
        self.started = timezone.now()
        self.changed = 0
        self.pages_read = 0
        self.seen: set[str] = set()

    def run(self) -> bool:
        """Read and apply every campaign changed since the cursor; False when the budget
        ran out first."""
        offset = self.skip()
        page = self.read(offset=offset, newest_first=False)
        if not all(self.is_new(remote) for remote in page.campaigns):
            return self.newest_first(page)
        while True:
            self.apply(page.campaigns)
            self.advance(page.campaigns, offset)
            self.save(self.since, self.tie)
            if len(page.campaigns) < self.size or not page.campaigns:
                return True
            if self.pages_read >= self.max_pages:
                return False
            offset = self.skip()
            page = self.read(offset=offset, newest_first=False)

    def skip(self) -> int:
        """The campaigns at the cursor's moment are read again, unless they fill a page."""
        return self.tie if self.tie >= self.size else 0

    def is_new(self, remote: ProviderCampaign) -> bool:
        return remote.modified_on is None or remote.modified_on >= self.since

    def read(self, *, offset: int, newest_first: bool):
        self.pages_read += 1
        return self.client.list_campaigns_modified_since(
            self.since, limit=self.size, offset=offset, newest_first=newest_first
        )

    def advance(self, remotes: list[ProviderCampaign], offset: int) -> None:
        """Move the cursor past a page read oldest first from ``offset``: to its newest
        ``modifiedOn``, with the number of campaigns read at exactly that moment."""
        moments = [remote.modified_on or self.since for remote in remotes]
        newest = max(moments, default=self.since)
        if newest == self.since:
            self.tie = offset + len(remotes)
        else:
            self.since, self.tie = newest, moments.count(newest)

    def newest_first(self, page) -> bool:
        """The filter was ignored (the answer starts older than the cursor): read newest
        first and stop at the first campaign older than the cursor, then move the cursor to
        the newest read. False when the budget ran out before reaching the cursor: it must
        then stay where it is."""
        newest = self.since
        fresh = [remote for remote in page.campaigns if self.is_new(remote)]
        self.apply(fresh)
        newest = max([newest, *(r.modified_on for r in fresh if r.modified_on)])
        if len(page.campaigns) < page.total:
            offset, complete = 0, False
            while self.pages_read < self.max_pages:
                page = self.read(offset=offset, newest_first=True)
                fresh = [remote for remote in page.campaigns if self.is_new(remote)]
                self.apply(fresh)
                newest = max([newest, *(r.modified_on for r in fresh if r.modified_on)])
                offset += len(page.campaigns)
                if len(fresh) < len(page.campaigns) or len(page.campaigns) < self.size:
                    complete = True
                    break
                if offset >= page.total:
                    complete = True
                    break
            if not complete:
                log.warning(
                    "status poll of %s: more campaigns changed than %s pages hold; "
                    "the next poll reads them again",
                    self._scope(),
                    self.max_pages,
                )
                return False
        self.save(newest, 0)
        return True

    def apply(self, remotes: list[ProviderCampaign]) -> None:
        ids = [remote.campaign_id for remote in remotes]
        campaigns = (
            Campaign.objects.for_org(self.org)
            if self.org is not None
            else Campaign.objects.select_related("organization")
        )
        local = {c.provider_campaign_id: c for c in campaigns.filter(provider_campaign_id__in=ids)}
        for remote in remotes:
            campaign = local.get(remote.campaign_id)
            if campaign is not None and self._ordered_by(campaign, remote):
                self.changed += campaign_apply_remote(
                    campaign=campaign,
                    remote=remote,
                    source=self.source,
                    client=self.client if self.org is not None else None,
                )
        self._refresh_deliveries_in_flight([r for r in remotes if r.campaign_id not in local])
        self.seen.update(ids)
        if self.org is None and ids:
            # The notifications of these campaigns received before this read are answered.
            WebhookDelivery.objects.filter(
                followed_at=None, received_at__lte=self.started, provider_campaign_id__in=ids
            ).update(followed_at=timezone.now())

    def _refresh_deliveries_in_flight(self, unknown: list[ProviderCampaign]) -> None:
        """A campaign we do not know by its id may be ours, its delivery not having recorded
        the provider's id yet (the provider answered, our commit is a moment away). Its
        change must not be lost as the cursor moves on: recognised by its orderReference, it
        is fetched on its own a few seconds later (the task waits for the id)."""
        references = {r.order_reference: r for r in unknown if r.order_reference}
        if not references:
            return
        campaigns = Campaign.objects.for_org(self.org) if self.org is not None else Campaign.objects
        in_flight = (
            campaigns.filter(
                order_reference__in=references,
                provider_campaign_id="",
                attempts__started_at__gte=timezone.now() - IN_FLIGHT_WINDOW,
            )
            .values_list("order_reference", flat=True)
            .distinct()
        )
        for reference in in_flight:
            enqueue(
                REFRESH_TASK,
                references[reference].campaign_id,
                countdown=settings.CAMPAIGNS_IN_FLIGHT_REFRESH_SECONDS,
            )

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

    def _scope(self) -> str:
        return f"organisation {self.org.pk}" if self.org is not None else "the partner level"
