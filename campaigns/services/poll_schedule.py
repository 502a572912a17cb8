"""What the status poll reads each run, within its share of the call budget.

The provider grants one budget of calls for the whole installation (``PROVIDER_RATE_LIMIT``
per ``PROVIDER_RATE_WINDOW``). Webhooks are the primary path for statuses; the poll is the
backstop and spends at most ``CAMPAIGNS_POLL_BUDGET_SHARE`` of the limit (never more than a
third), so ordering, autocomplete and contract checks keep the rest. Interactive calls go
first anyway: background calls only take a slot while the limiter's reserve is free
(``distribution.ratelimit``).

First, the partner level: where the provider lists every customer's campaigns for the
partner token alone (the guides), one paged "modified since" list brings every organisation's
changes, so a run costs calls in proportion to the changes and no organisation waits for its
turn (``list_poll.status_poll_partner``). Where the provider refuses that (the OpenAPI
document's reading: a 403, customer id required; or any 4xx, or a list that does not show our
campaigns), the refusal is recorded and the poll goes organisation by organisation, asking the
partner level again a day later.

Organisation by organisation, each run spends its calls where a change is most likely, in this
order:

1. orders whose outcome is unknown (*Checking with the provider*): one look-up each;
2. organisations with a take-down requested and not yet confirmed;
3. organisations with postings due online (ordered in the last few minutes);
4. organisations whose expected webhook did not come (ordered a while ago, still not online);
5. organisations with postings due offline (published + posting duration, about now);
6. round-robin over every other organisation with live campaigns, the longest-unpolled first.

A priority organisation is polled at most once per ``PRIORITY_MIN_INTERVAL`` (by reason);
within a class, the longest-unpolled goes first. The round-robin always keeps
``ROUND_ROBIN_SHARE`` of the run's calls (and whatever the priorities leave), so no
organisation starves however many are due: each is polled at least every
``organisations ÷ (round-robin calls per minute)`` minutes.
"""

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from campaigns.locks import partner_poll_lock
from campaigns.models import (
    LIVE_POSTING_STATUSES,
    Campaign,
    CampaignStatus,
    EventSource,
    Posting,
    PostingStatus,
    StatusPollCursor,
)
from campaigns.services.cancellation import campaigns_with_cancellation_unsent
from campaigns.services.delivery import CheckOutcome, order_check, orders_being_checked
from campaigns.services.list_poll import (
    PartnerListRefused,
    partner_poll_allowed,
    partner_poll_refused,
    status_poll_counted,
    status_poll_partner,
)
from campaigns.services.sync import campaign_refresh
from distribution.errors import ProviderError

log = logging.getLogger(__name__)

MAX_SHARE = 1 / 3
ROUND_ROBIN_SHARE = 0.25
LIVE_CAMPAIGNS = (CampaignStatus.SUBMITTED, CampaignStatus.IN_PROGRESS, CampaignStatus.ONLINE)


class PollReason(StrEnum):
    TAKE_DOWN = "take_down"
    DUE_ONLINE = "due_online"
    WEBHOOK_MISSING = "webhook_missing"
    DUE_OFFLINE = "due_offline"
    ROUND_ROBIN = "round_robin"


PRIORITY_ORDER = (
    PollReason.TAKE_DOWN,
    PollReason.DUE_ONLINE,
    PollReason.WEBHOOK_MISSING,
    PollReason.DUE_OFFLINE,
)
PARTNER = "partner"  # the calls of the partner-level list, in ``PollRun.calls``
# A take-down's own request sends its cancellation; the poll sends it again only after this.
CANCELLATION_RETRY_AFTER = timedelta(minutes=1)
# ...and for this long: a cancellation still refused after a day needs a person, and the
# campaign's page shows the take-down still waiting.
CANCELLATION_RETRY_FOR = timedelta(days=1)
# How often an organisation is polled, at most, for each reason: the webhook usually brings
# the change first, so the poll only bounds how late a lost one is.
PRIORITY_MIN_INTERVAL = {
    PollReason.TAKE_DOWN: timedelta(minutes=2),
    PollReason.DUE_ONLINE: timedelta(minutes=4),
    PollReason.WEBHOOK_MISSING: timedelta(minutes=4),
    PollReason.DUE_OFFLINE: timedelta(minutes=4),
}


@dataclass
class PollPlan:
    """Organisation ids to poll, in order, with why; ``budget`` is the run's call budget."""

    budget: int
    orgs: list[tuple[int, PollReason]] = field(default_factory=list)

    def org_ids(self) -> list[int]:
        return [org_id for org_id, _reason in self.orgs]


def poll_budget(*, every_seconds: float) -> int:
    """Calls one poll run may spend: its share of the limit over the time between runs."""
    share = min(max(settings.CAMPAIGNS_POLL_BUDGET_SHARE, 0.0), MAX_SHARE)
    per_second = settings.PROVIDER_RATE_LIMIT / settings.PROVIDER_RATE_WINDOW
    return max(1, math.floor(per_second * share * every_seconds))


def _polled_orgs() -> Q:
    """Organisations with delivered campaigns still live: the only ones whose statuses move."""
    return Q(status__in=LIVE_CAMPAIGNS) & ~Q(provider_campaign_id="")


def _live_org_ids() -> set[int]:
    return set(
        Campaign.objects.filter(_polled_orgs()).values_list("organization_id", flat=True).distinct()
    )


def _priority_org_ids(reason: PollReason, now: datetime) -> set[int]:
    due = timedelta(minutes=settings.CAMPAIGNS_POLL_DUE_WINDOW_MINUTES)
    expected = timedelta(minutes=settings.CAMPAIGNS_POLL_WEBHOOK_EXPECTED_MINUTES)
    delivered = Posting.objects.exclude(campaign__provider_campaign_id="")
    if reason == PollReason.TAKE_DOWN:
        postings = delivered.filter(
            take_down_requested_at__isnull=False, status__in=LIVE_POSTING_STATUSES
        )
    elif reason == PollReason.DUE_ONLINE:
        postings = delivered.filter(
            status__in=(PostingStatus.SUBMITTED, PostingStatus.IN_PROGRESS),
            campaign__delivered_at__gte=now - expected,
        )
    elif reason == PollReason.WEBHOOK_MISSING:
        # Boards go online within minutes: still not online after that, its webhook was
        # probably lost (looked for over a bounded past, so old stuck orders do not pile up).
        postings = delivered.filter(
            status__in=(PostingStatus.SUBMITTED, PostingStatus.IN_PROGRESS),
            campaign__delivered_at__lt=now - expected,
            campaign__delivered_at__gte=now - expected - due * 24,
        )
    else:
        postings = delivered.filter(
            status=PostingStatus.ONLINE,
            due_offline_at__gte=now - due,
            due_offline_at__lte=now + expected,
        )
    return set(postings.values_list("organization_id", flat=True).distinct())


def _polled_at(org_ids: set[int]) -> dict[int, datetime | None]:
    # Every cursor (one row per organisation ever polled), not "IN (every live org)": at
    # thousands of organisations, sending and planning that parameter list cost more than
    # reading the few rows of organisations with nothing live.
    found = dict(StatusPollCursor.objects.values_list("organization_id", "polled_at"))
    return {org_id: found.get(org_id) for org_id in org_ids}


def _oldest_first(polled_at: dict[int, datetime | None], org_ids: set[int]) -> list[int]:
    epoch = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(org_ids, key=lambda org_id: (polled_at.get(org_id) or epoch, org_id))


def poll_plan(*, budget: int, now: datetime | None = None) -> PollPlan:
    """The organisations to poll with ``budget`` calls (one each, at least): priorities
    first, then the round-robin, which always keeps its share."""
    now = now or timezone.now()
    live = _live_org_ids()
    polled_at = _polled_at(live)
    plan = PollPlan(budget=budget)
    if not live or budget <= 0:
        return plan
    round_robin_calls = max(1, math.ceil(budget * ROUND_ROBIN_SHARE))
    priority_calls = budget - round_robin_calls
    chosen: set[int] = set()
    for reason in PRIORITY_ORDER:
        if len(chosen) >= priority_calls:
            break
        recent = now - PRIORITY_MIN_INTERVAL[reason]
        wanted = {
            org_id
            for org_id in _priority_org_ids(reason, now) & live
            if org_id not in chosen and (polled_at[org_id] is None or polled_at[org_id] <= recent)
        }
        for org_id in _oldest_first(polled_at, wanted)[: priority_calls - len(chosen)]:
            chosen.add(org_id)
            plan.orgs.append((org_id, reason))
    rest = _oldest_first(polled_at, live - chosen)
    for org_id in rest[: budget - len(chosen)]:
        chosen.add(org_id)
        plan.orgs.append((org_id, PollReason.ROUND_ROBIN))
    return plan


@dataclass
class PollRun:
    """What one poll run did: calls spent by kind, boards changed, checks concluded."""

    budget: int
    calls: dict[str, int] = field(default_factory=dict)
    changed: int = 0
    checks: dict[str, int] = field(default_factory=dict)
    polled: list[int] = field(default_factory=list)
    # Whether every organisation's changes were read by the partner-level list this run.
    partner_level: bool = False

    @property
    def spent(self) -> int:
        return sum(self.calls.values())

    def count(self, kind: str, calls: int) -> None:
        self.calls[kind] = self.calls.get(kind, 0) + calls


def status_poll_run(*, budget: int, now: datetime | None = None) -> PollRun:
    """One run of the status poll: the look-ups of orders being checked, then the partner-level
    list where the provider allows it, else the planned organisations, until ``budget``
    calls are spent."""
    run = PollRun(budget=budget)
    for campaign_id in orders_being_checked(limit=max(1, budget // 2)):
        outcome = order_check(campaign_id=campaign_id)
        run.checks[outcome] = run.checks.get(outcome, 0) + 1
        if outcome != CheckOutcome.SKIPPED:
            run.count("check", 1)
    _send_unsent_cancellations(run, limit=max(1, budget // 4), now=now or timezone.now())
    if _partner_poll(run, budget=budget - run.spent, now=now):
        return run
    plan = poll_plan(budget=budget - run.spent, now=now)
    orgs = Organization.objects.in_bulk(plan.org_ids())
    for org_id, reason in plan.orgs:
        if run.spent >= budget:
            break
        org = orgs.get(org_id)
        if org is None:
            continue
        try:
            changed, calls = status_poll_counted(org=org)
        except ProviderError as error:
            log.warning("Status poll of organisation %s failed: %s", org_id, error)
            run.count(reason, 1)
            continue
        run.changed += changed
        run.count(reason, max(1, calls))
        run.polled.append(org_id)
    return run


def _send_unsent_cancellations(run: PollRun, *, limit: int, now: datetime) -> None:
    """Take-downs whose cancellation could not reach the provider: their campaigns are read
    again, which sends it (``sync.campaign_apply_remote``), whether or not they changed."""
    for provider_campaign_id in campaigns_with_cancellation_unsent(
        requested_before=now - CANCELLATION_RETRY_AFTER,
        requested_after=now - CANCELLATION_RETRY_FOR,
        limit=limit,
    ):
        try:
            campaign_refresh(provider_campaign_id=provider_campaign_id, source=EventSource.POLL)
        except ProviderError as error:
            log.warning("Take-down of campaign %s still not sent: %s", provider_campaign_id, error)
        run.count(PollReason.TAKE_DOWN, 1)


def _partner_poll(run: PollRun, *, budget: int, now: datetime | None) -> bool:
    """Poll every organisation at once through the partner-level list; True when that was
    done (or the provider could not be reached: polling customer by customer would fail
    too), False when the provider refuses the partner level and the plan must be used."""
    if budget <= 0 or not _any_live_campaign() or not partner_poll_allowed(now=now):
        return False
    with partner_poll_lock() as held:
        if not held:
            return True  # a webhook sweep is reading it right now
        try:
            poll = status_poll_partner(max_pages=budget)
        except PartnerListRefused as refusal:
            log.info(
                "The provider refuses the partner-level campaign list (%s): polling each "
                "organisation, and asking again in a day",
                refusal,
            )
            partner_poll_refused()  # under the lock: no sweep overwrites it meanwhile
            run.count(PARTNER, refusal.calls)
            return False
        except ProviderError as error:  # an outage or the call budget: the next run
            log.warning("Partner-level status poll failed: %s", error)
            run.count(PARTNER, 1)
            return True
    run.count(PARTNER, poll.calls)
    run.changed += poll.changed
    run.partner_level = True
    return True


def _any_live_campaign() -> bool:
    return Campaign.objects.filter(_polled_orgs()).exists()
