"""Delivering an order to the provider exactly once (architecture.md, "The ordering pipeline").

One attempt, under the campaign's submit lock:

1. a short transaction reads the outbox row; if it is done there is nothing to do. It
   records the attempt and sets ``outcome_unknown`` *before* anything is sent, and commits;
2. if the previous attempt's outcome was unknown (a timeout, a 5xx, a crash after sending),
   the order is first looked up at the provider by its reference label and adopted if found
   — but only once that attempt's request cannot still be in flight (``settle_seconds``);
3. otherwise the order is sent with the same stable ``orderReference``;
4. a second transaction records the provider's campaign id and marks the outbox done, or
   records why not. Retryable failures (5xx, timeouts, dropped connections, malformed
   answers, 429) come back to the task with a delay; 4xx answers are final.

Fair slots (``order_deliver_next``): the ``campaign_submit_task`` of an order is a delivery
slot, not a promise to deliver that very order. When it runs it takes the due order whose
organisation was served least recently (round-robin across organisations, first in first out
within one), so one organisation placing 400 orders delays each other organisation's order
by at most one turn per organisation, instead of 400 calls behind it. Each order enqueues one
slot and a retry re-enqueues one, so there are as many slots as orders waiting; the relay
re-enqueues slots a lost message or a dead worker took with it.

Unknown outcomes are never called failures: when the retries run out while the last
attempt's outcome is unknown, the order goes to *Checking with the provider* and the status
poll looks it up by its reference label (``order_check``): found, it is adopted; confirmed
absent, it is Failed; still unanswerable after ``CAMPAIGNS_CHECKING_DEADLINE_HOURS``, it is
Failed with a message saying what to check before ordering again.
"""

import logging
import random
import zlib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.locks import campaign_submit_lock
from campaigns.models import (
    AttemptOutcome,
    Campaign,
    EventSource,
    OrderOutbox,
    OutboxState,
    PostingStatus,
    SubmitAttempt,
)
from campaigns.services.order_document import ORDER_LABEL_KEY, order_request
from campaigns.services.provider_errors import wizard_field_errors
from campaigns.services.status import posting_apply_status
from campaigns.services.sync import campaign_apply_remote
from config.queue import enqueue
from contracts.services.refresh import contracts_refresh_after_order
from distribution.client import Priority, provider_client
from distribution.errors import (
    ProviderAuthenticationError,
    ProviderError,
    ProviderForbidden,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
)
from distribution.health import provider_failing_since
from distribution.messages import facets_from_list

log = logging.getLogger(__name__)


class NoAttempt(StrEnum):
    """Why a delivery run made no attempt at the provider."""

    BUSY = "busy"  # another worker holds the campaign's submit lock and decides
    NOTHING_TO_DO = "nothing_to_do"  # the order was delivered, or failed, already
    SETTLING = "settling"  # the last attempt's request may still be in flight: wait


@dataclass(frozen=True)
class SubmitResult:
    """What a delivery run did, and what the task does next: nothing (``retry_in`` None) or
    try again after a delay."""

    outcome: AttemptOutcome | NoAttempt
    retry_in: float | None = None


def retry_delay(attempt: int, *, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, honouring Retry-After, and never longer than
    the broker's visibility timeout (a longer countdown would be redelivered early)."""
    base = settings.CAMPAIGNS_SUBMIT_BACKOFF_BASE
    cap = settings.CAMPAIGNS_SUBMIT_BACKOFF_CAP
    ceiling = settings.CELERY_BROKER_VISIBILITY_TIMEOUT * 0.8
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    delay = random.uniform(delay / 2, delay)
    if retry_after is not None:
        delay = max(delay, retry_after + random.uniform(0, base / 2))
    return min(delay, ceiling)


def settle_seconds() -> float:
    """How long a request the provider received may still be processed after we stopped
    waiting for it (our connect and read timeouts, plus a margin). A look-up earlier than
    that could miss an order that is still being created, and we would order it twice."""
    return settings.PROVIDER_CONNECT_TIMEOUT + settings.PROVIDER_READ_TIMEOUT + 5


def _settling_time_left(campaign_id: int) -> float:
    last = (
        SubmitAttempt.objects.filter(campaign_id=campaign_id)
        .order_by("-number")
        .values_list("started_at", flat=True)
        .first()
    )
    if last is None:
        return 0.0
    return (last + timedelta(seconds=settle_seconds()) - timezone.now()).total_seconds()


def campaign_submit(*, campaign_id: int) -> SubmitResult:
    """Deliver the campaign's order if it has not been delivered yet. Safe to run any number
    of times, concurrently too: the lock and the outbox row make it exactly once."""
    with campaign_submit_lock(campaign_id) as acquired:
        if not acquired:
            # Another worker is delivering it right now; its outcome decides.
            return SubmitResult(NoAttempt.BUSY)
        return _attempt(campaign_id)


def _attempt(campaign_id: int) -> SubmitResult:
    with transaction.atomic():
        outbox = (
            OrderOutbox.objects.select_for_update()
            .select_related("campaign__organization")
            .filter(campaign_id=campaign_id)
            .first()
        )
        if outbox is None or outbox.state != OutboxState.PENDING:
            return SubmitResult(NoAttempt.NOTHING_TO_DO)
        look_up_first = outbox.outcome_unknown
        if look_up_first:
            wait = _settling_time_left(campaign_id)
            if wait > 0:
                outbox.next_attempt_at = timezone.now() + timedelta(seconds=wait)
                outbox.save(update_fields=["next_attempt_at", "updated_at"])
                return SubmitResult(NoAttempt.SETTLING, retry_in=wait)
        outbox.attempts += 1
        attempt = SubmitAttempt.objects.create(
            organization_id=outbox.organization_id,
            campaign_id=campaign_id,
            number=outbox.attempts,
            looked_up=look_up_first,
        )
        outbox.outcome_unknown = True
        outbox.save(update_fields=["attempts", "outcome_unknown", "updated_at"])
    campaign = outbox.campaign
    client = provider_client(org=campaign.organization, priority=Priority.BACKGROUND)
    sent = False
    try:
        if look_up_first:
            found = client.find_campaigns_by_label(ORDER_LABEL_KEY, campaign.order_reference)
            found = [c for c in found if c.order_reference in ("", campaign.order_reference)]
            if found:
                if len(found) > 1:
                    log.error("Order %s found %d times at the provider", campaign.pk, len(found))
                remote = min(found, key=lambda c: (c.created_on is None, c.created_on))
                _record_delivered(
                    attempt=attempt,
                    provider_campaign_id=remote.campaign_id,
                    outcome=AttemptOutcome.ADOPTED,
                )
                campaign.refresh_from_db()
                campaign_apply_remote(campaign=campaign, remote=remote, source=EventSource.SUBMIT)
                return SubmitResult(AttemptOutcome.ADOPTED)
        request = order_request(campaign.payload)
        sent = True
        provider_campaign_id = client.order_campaign(request)
    except ProviderRateLimited as error:
        # A 429 (or our own limiter) means the order was not taken; a failed look-up
        # leaves the outcome as unknown as it was.
        return _record_retry(
            attempt=attempt,
            error=error,
            outcome_unknown=look_up_first and not sent,
            retry_after=error.retry_after,
            rate_limited=True,
        )
    except ProviderForbidden as error:
        return _record_rejected(attempt=attempt, error=error)
    except ProviderRejected as error:
        if not sent:
            # The look-up itself was refused: nothing was sent, the outcome stays unknown.
            return _record_retry(attempt=attempt, error=error, outcome_unknown=True)
        return _record_rejected(attempt=attempt, error=error)
    except ProviderAuthenticationError as error:
        # Our partner token is wrong: an operator must fix the configuration. Nothing was
        # ordered; keep trying slowly so the order goes out once it is fixed.
        return _record_retry(attempt=attempt, error=error, outcome_unknown=look_up_first)
    except ProviderUnavailable as error:
        if error.never_sent:
            # The provider is unreachable (no connection was made): nothing was sent, and an
            # outage is no reason to give up. The order waits and goes out once it is back.
            return _record_retry(
                attempt=attempt, error=error, outcome_unknown=look_up_first, unreachable=True
            )
        # 5xx, timeout, dropped connection: the order may exist.
        return _record_retry(attempt=attempt, error=error, outcome_unknown=True)
    except ProviderError as error:
        # A malformed answer: the order may exist.
        return _record_retry(attempt=attempt, error=error, outcome_unknown=True)
    _record_delivered(
        attempt=attempt,
        provider_campaign_id=provider_campaign_id,
        outcome=AttemptOutcome.ORDERED,
    )
    return SubmitResult(AttemptOutcome.ORDERED)


# Serialises the choice of the next order across processes (a transaction-scoped advisory
# lock on PostgreSQL; SQLite serialises writers by itself), so two slots taken at the same
# moment see each other's turn and go to two different organisations.
_CLAIM_LOCK = (zlib.crc32(b"campaigns.delivery-turn") & 0x7FFFFFFF, 0)


def claim_lease_seconds() -> float:
    """How long a claimed order is left to its slot before another slot may take it: the
    longest wait for the call budget plus the longest call (a slot whose worker died gives
    the order back after this)."""
    return settings.PROVIDER_RATE_WAIT_BACKGROUND + settle_seconds()


def order_claim_next() -> int | None:
    """Claim the next order a delivery slot goes to; None when no order is due.

    Round-robin across organisations: among the due pending orders, the one of the
    organisation whose latest claim is the oldest (never claimed first), its oldest order
    first. The claim records the organisation's turn (``claimed_at``) and hides the order
    from the other slots until its attempt sets when it is due again (a retry: later than
    the claim), finishes it, or ``claim_lease_seconds`` pass (its worker died). The relay
    still sees a claimed order (it reads ``next_attempt_at`` only), so an order whose
    worker died is handed over again after the relay's grace, as before."""
    now = timezone.now()
    unclaimed = (
        Q(claimed_at__isnull=True)
        | Q(claimed_at__lt=F("next_attempt_at"))
        | Q(claimed_at__lte=now - timedelta(seconds=claim_lease_seconds()))
    )
    latest_turn = (
        OrderOutbox.objects.filter(organization_id=OuterRef("organization_id"))
        .order_by()
        .values("organization_id")
        .annotate(latest=Max("claimed_at"))
        .values("latest")
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _CLAIM_LOCK)
        campaign_id = (
            OrderOutbox.objects.filter(
                unclaimed, state=OutboxState.PENDING, next_attempt_at__lte=now
            )
            .annotate(organization_turn=Subquery(latest_turn))
            .order_by(F("organization_turn").asc(nulls_first=True), "pk")
            .values_list("campaign_id", flat=True)
            .first()
        )
        if campaign_id is None:
            return None
        OrderOutbox.objects.filter(campaign_id=campaign_id).update(claimed_at=now, updated_at=now)
    return campaign_id


@dataclass(frozen=True)
class SlotResult:
    """What a delivery slot did: which order it went to, and the delivery's result."""

    campaign_id: int
    result: SubmitResult


def order_deliver_next(*, requested_by: int) -> SlotResult:
    """Use one delivery slot: deliver the order ``order_claim_next`` picks. When no order is
    due (nobody waits, so fairness is not at stake) the slot goes to the order that asked
    for it, ``requested_by``, as it is: a retry that comes early, or a duplicate message."""
    campaign_id = order_claim_next() or requested_by
    return SlotResult(campaign_id, campaign_submit(campaign_id=campaign_id))


@transaction.atomic
def campaign_record_adopted(*, campaign_id: int, provider_campaign_id: str) -> None:
    """Record that the provider already holds this order as ``provider_campaign_id``,
    without calling it (demo data; support adopting an order found by hand). The outbox is
    done, so no delivery attempt will send it."""
    outbox = OrderOutbox.objects.select_for_update().get(campaign_id=campaign_id)
    if outbox.state != OutboxState.PENDING:
        return
    outbox.attempts += 1
    outbox.save(update_fields=["attempts", "updated_at"])
    attempt = SubmitAttempt.objects.create(
        organization_id=outbox.organization_id,
        campaign_id=campaign_id,
        number=outbox.attempts,
        looked_up=True,
    )
    _record_delivered(
        attempt=attempt, provider_campaign_id=provider_campaign_id, outcome=AttemptOutcome.ADOPTED
    )


@transaction.atomic
def _record_delivered(
    *,
    attempt: SubmitAttempt,
    provider_campaign_id: str,
    outcome: AttemptOutcome,
    from_states: tuple[str, ...] = (OutboxState.PENDING,),
) -> None:
    now = timezone.now()
    outbox = OrderOutbox.objects.select_for_update().get(campaign_id=attempt.campaign_id)
    if outbox.state not in from_states:
        raise RuntimeError(f"Outbox {outbox.pk} is {outbox.state}, not {from_states}")
    outbox.state = OutboxState.DONE
    outbox.outcome_unknown = False
    outbox.last_error = ""
    outbox.save(update_fields=["state", "outcome_unknown", "last_error", "updated_at"])
    Campaign.objects.filter(pk=attempt.campaign_id).update(
        provider_campaign_id=provider_campaign_id, delivered_at=now, modified_at=now
    )
    SubmitAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome, finished_at=now)
    campaign = Campaign.objects.get(pk=attempt.campaign_id)
    for posting in campaign.postings.all():
        posting_apply_status(
            posting=posting, status=PostingStatus.IN_PROGRESS, source=EventSource.SUBMIT
        )
    if outcome == AttemptOutcome.ORDERED:
        # The order used credits of its contracts: read them back (one list page, shared
        # by the organisation's orders delivered meanwhile).
        contracts_refresh_after_order(org_id=campaign.organization_id)


@transaction.atomic
def _record_retry(
    *,
    attempt: SubmitAttempt,
    error: ProviderError,
    outcome_unknown: bool,
    retry_after: float | None = None,
    rate_limited: bool = False,
    unreachable: bool = False,
) -> SubmitResult:
    """Schedule the next attempt, or give up once the attempts ran out. Waiting for the call
    budget (a 429, or our own limiter) is not a failure of the provider: such an order keeps
    its turn, never gives up, and waits about as long as it was told to. Neither is an
    outage in which no connection could be made, nor one that had begun before the order was
    first tried: the order is sent once the provider is back (at the backoff's cap,
    ``CAMPAIGNS_SUBMIT_BACKOFF_CAP``, at worst)."""
    now = timezone.now()
    outbox = OrderOutbox.objects.select_for_update().get(campaign_id=attempt.campaign_id)
    gives_up = not (rate_limited or unreachable or _placed_during_outage(attempt.campaign_id))
    if gives_up and outbox.attempts >= settings.CAMPAIGNS_SUBMIT_MAX_ATTEMPTS:
        SubmitAttempt.objects.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.GAVE_UP, finished_at=now, error=str(error)[:2000]
        )
        if outcome_unknown:
            # The order may exist at the provider: never call that a failure.
            _start_checking(outbox=outbox, error=error)
            return SubmitResult(AttemptOutcome.GAVE_UP)
        _fail_campaign(
            outbox=outbox,
            message=_(
                "The job-distribution provider could not be reached after %(count)d attempts."
            )
            % {"count": outbox.attempts},
            field_errors={},
        )
        return SubmitResult(AttemptOutcome.GAVE_UP)
    delay = retry_delay(1 if rate_limited else outbox.attempts, retry_after=retry_after)
    outbox.outcome_unknown = outcome_unknown
    outbox.last_error = str(error)[:2000]
    outbox.next_attempt_at = now + timedelta(seconds=delay)
    outbox.save(update_fields=["outcome_unknown", "last_error", "next_attempt_at", "updated_at"])
    SubmitAttempt.objects.filter(pk=attempt.pk).update(
        outcome=AttemptOutcome.RETRY, finished_at=now, error=str(error)[:2000]
    )
    return SubmitResult(AttemptOutcome.RETRY, retry_in=delay)


def _placed_during_outage(campaign_id: int) -> bool:
    """The provider had stopped answering anyone before this order's first attempt, and has
    answered nobody since (distribution/health.py): its 5xx and timeouts are the outage's,
    not this order's. Such an order waits like one the provider refused to connect for, and
    goes out (after a look-up, its outcome being unknown) once the provider answers."""
    failing_since = provider_failing_since()
    if failing_since is None:
        return False
    first_attempt = (
        SubmitAttempt.objects.filter(campaign_id=campaign_id)
        .order_by("number")
        .values_list("started_at", flat=True)
        .first()
    )
    return first_attempt is not None and failing_since < first_attempt


@transaction.atomic
def _record_rejected(*, attempt: SubmitAttempt, error: ProviderRejected) -> SubmitResult:
    outbox = OrderOutbox.objects.select_for_update().get(campaign_id=attempt.campaign_id)
    campaign = Campaign.objects.get(pk=attempt.campaign_id)
    field_errors = wizard_field_errors(error.field_errors, campaign.payload)
    SubmitAttempt.objects.filter(pk=attempt.pk).update(
        outcome=AttemptOutcome.REJECTED, finished_at=timezone.now(), error=str(error)[:2000]
    )
    _fail_campaign(outbox=outbox, message=error.message, field_errors=field_errors)
    return SubmitResult(AttemptOutcome.REJECTED)


def _fail_campaign(
    *,
    outbox: OrderOutbox,
    message: str,
    field_errors: dict,
    solution: str = "",
    refused: bool = True,
) -> None:
    """Fail the order and its boards. ``refused``: the campaign's page says the provider
    refused it (False after a look-up: the boards' reason and solution say what happened)."""
    outbox.state = OutboxState.FAILED
    outbox.outcome_unknown = False
    outbox.last_error = message[:2000]
    outbox.save(update_fields=["state", "outcome_unknown", "last_error", "updated_at"])
    Campaign.objects.filter(pk=outbox.campaign_id).update(
        order_errors=field_errors,
        order_error_message=message if refused else "",
        modified_at=timezone.now(),
    )
    campaign = Campaign.objects.get(pk=outbox.campaign_id)
    board_errors = field_errors.get("requirements", {})
    for posting in campaign.postings.select_related("contract"):
        problems = board_errors.get(str(posting.contract_id), {})
        # People read the board's field labels, never the provider's keys.
        facets = facets_from_list(posting.contract.posting_requirements) if posting.contract else []
        labels = {facet.name: facet.label for facet in facets}
        own = [
            f"{labels.get(name, name)}: {message}" if name else message
            for name, messages in problems.items()
            for message in messages
        ]
        posting_apply_status(
            posting=posting,
            status=PostingStatus.FAILED,
            source=EventSource.SUBMIT,
            description=message,
            solution=" ".join(own)
            or solution
            or _("Correct the campaign's details and order a new campaign."),
        )


def _start_checking(*, outbox: OrderOutbox, error: ProviderError) -> None:
    outbox.state = OutboxState.CHECKING
    outbox.outcome_unknown = True
    outbox.checking_since = timezone.now()
    outbox.last_error = str(error)[:2000]
    outbox.save(
        update_fields=["state", "outcome_unknown", "checking_since", "last_error", "updated_at"]
    )
    campaign = Campaign.objects.get(pk=outbox.campaign_id)
    for posting in campaign.postings.all():
        posting_apply_status(
            posting=posting,
            status=PostingStatus.CHECKING,
            source=EventSource.SUBMIT,
            description=_(
                "The provider did not answer whether it received this order. We are looking "
                "it up with the provider; the board's status follows on its own."
            ),
            solution=_("Do not order it again while its status is being checked."),
        )


class CheckOutcome(StrEnum):
    """What one look-up of an order whose outcome is unknown concluded."""

    ADOPTED = "adopted"  # the provider holds it: it is ours now
    ABSENT = "absent"  # the provider confirms there is no such order: Failed
    EXPIRED = "expired"  # no answer until the deadline: Failed, with what to check
    UNANSWERED = "unanswered"  # the provider could not be asked: try again next poll
    SKIPPED = "skipped"  # busy, settling, or no longer being checked


def orders_being_checked(*, limit: int) -> list[int]:
    """Campaign ids whose order is being checked, the longest-unchecked first."""
    return list(
        OrderOutbox.objects.filter(state=OutboxState.CHECKING)
        .order_by("updated_at")
        .values_list("campaign_id", flat=True)[:limit]
    )


def order_check(*, campaign_id: int) -> CheckOutcome:
    """Look an order whose outcome is unknown up by its reference label, once, and adopt it
    or fail it. Runs under the campaign's submit lock, like a delivery."""
    with campaign_submit_lock(campaign_id) as acquired:
        if not acquired:
            return CheckOutcome.SKIPPED
        outbox = (
            OrderOutbox.objects.select_related("campaign__organization")
            .filter(campaign_id=campaign_id, state=OutboxState.CHECKING)
            .first()
        )
        if outbox is None or _settling_time_left(campaign_id) > 0:
            return CheckOutcome.SKIPPED
        campaign = outbox.campaign
        client = provider_client(org=campaign.organization, priority=Priority.BACKGROUND)
        try:
            found = client.find_campaigns_by_label(ORDER_LABEL_KEY, campaign.order_reference)
        except ProviderError as error:
            return _check_unanswered(outbox=outbox, error=error)
        found = [c for c in found if c.order_reference in ("", campaign.order_reference)]
        with transaction.atomic():
            outbox = OrderOutbox.objects.select_for_update().get(pk=outbox.pk)
            if outbox.state != OutboxState.CHECKING:
                return CheckOutcome.SKIPPED
            outbox.attempts += 1
            outbox.save(update_fields=["attempts", "updated_at"])
            attempt = SubmitAttempt.objects.create(
                organization_id=outbox.organization_id,
                campaign_id=campaign_id,
                number=outbox.attempts,
                looked_up=True,
            )
            if not found:
                SubmitAttempt.objects.filter(pk=attempt.pk).update(
                    outcome=AttemptOutcome.REJECTED, finished_at=timezone.now()
                )
                _fail_campaign(
                    outbox=outbox,
                    message=_(
                        "The job-distribution provider confirmed that it never received this order."
                    ),
                    field_errors={},
                    solution=_("Order a new campaign: nothing was published or billed."),
                    refused=False,
                )
                return CheckOutcome.ABSENT
            remote = min(found, key=lambda c: (c.created_on is None, c.created_on))
            _record_delivered(
                attempt=attempt,
                provider_campaign_id=remote.campaign_id,
                outcome=AttemptOutcome.ADOPTED,
                from_states=(OutboxState.CHECKING,),
            )
        campaign.refresh_from_db()
        campaign_apply_remote(
            campaign=campaign, remote=remote, source=EventSource.POLL, client=client
        )
        return CheckOutcome.ADOPTED


def checking_deadline() -> timedelta:
    return timedelta(hours=settings.CAMPAIGNS_CHECKING_DEADLINE_HOURS)


@transaction.atomic
def _check_unanswered(*, outbox: OrderOutbox, error: ProviderError) -> CheckOutcome:
    outbox = OrderOutbox.objects.select_for_update().get(pk=outbox.pk)
    if outbox.state != OutboxState.CHECKING:
        return CheckOutcome.SKIPPED
    since = outbox.checking_since or outbox.updated_at
    if timezone.now() - since < checking_deadline():
        outbox.last_error = str(error)[:2000]
        outbox.save(update_fields=["last_error", "updated_at"])  # to the back of the queue
        return CheckOutcome.UNANSWERED
    campaign = Campaign.objects.get(pk=outbox.campaign_id)
    _fail_campaign(
        outbox=outbox,
        message=_(
            "The job-distribution provider could not tell us, for %(hours)d hours, whether "
            "it received this order."
        )
        % {"hours": settings.CAMPAIGNS_CHECKING_DEADLINE_HOURS},
        field_errors={},
        solution=_(
            "Before ordering again, ask the provider whether it holds an order with the "
            "reference %(reference)s: if it does, the ad may be live and billed."
        )
        % {"reference": campaign.order_reference},
        refused=False,
    )
    return CheckOutcome.EXPIRED


def _due_for_relay(*, grace: timedelta) -> list[int]:
    """Campaign ids whose order is still pending a grace period after it was due or last
    handed to the broker: their message may have been lost."""
    now = timezone.now()
    return list(
        OrderOutbox.objects.filter(
            state=OutboxState.PENDING,
            next_attempt_at__lte=now - grace,
        )
        .exclude(enqueued_at__gt=now - grace)
        .order_by("next_attempt_at")
        .values_list("campaign_id", flat=True)[:500]
    )


def outbox_relay() -> int:
    """Hand the broker again every order still pending a grace period after it was due (its
    message may have been lost); return how many were handed over."""
    grace = timedelta(seconds=settings.CAMPAIGNS_OUTBOX_GRACE_SECONDS)
    campaign_ids = _due_for_relay(grace=grace)
    sent = [
        campaign_id
        for campaign_id in campaign_ids
        if enqueue("campaigns.tasks.campaign_submit_task", campaign_id)
    ]
    OrderOutbox.objects.filter(campaign_id__in=sent).update(enqueued_at=timezone.now())
    return len(sent)
