"""Celery tasks of the campaigns app: each takes ids, calls a service and is idempotent.

``acks_late`` (the project default) means a task whose worker dies is delivered again; the
services make a second run harmless. Countdowns stay below the broker's visibility timeout.
Services enqueue these tasks by name (``config.queue``), never by importing this module.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from campaigns.services import delivery, ordering, poll_schedule, sync, webhook_follow_up
from distribution.errors import ProviderError, ProviderRateLimited

log = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None)
def campaign_submit_task(self, campaign_id: int) -> str:
    """A delivery slot, asked for by the order ``campaign_id``: it goes to the order whose
    organisation waited longest (``delivery.order_deliver_next``)."""
    try:
        slot = delivery.order_deliver_next(requested_by=campaign_id)
    except (OperationalError, InterfaceError) as error:
        # The database went away (a restart, a network cut): whatever this attempt did is
        # either committed or rolled back, and an attempt recorded before the provider call
        # left the outcome unknown, so the next run looks the order up before sending. A
        # failed task would wait for the outbox relay; trying again soon is quicker.
        log.warning("Delivery slot of campaign %s lost the database: %s", campaign_id, error)
        raise self.retry(countdown=delivery.retry_delay(self.request.retries + 1)) from error
    if slot.result.retry_in is not None:
        # The retry is asked for by the order this slot tried: it is due when the retry runs.
        raise self.retry(args=(slot.campaign_id,), countdown=slot.result.retry_in)
    # Done, or another worker holds the lock (if it dies, the relay re-enqueues the order).
    return slot.result.outcome


@shared_task(acks_late=True)
def outbox_relay_task() -> int:
    """Re-enqueue orders still pending a grace period after they were due."""
    return delivery.outbox_relay()


@shared_task(bind=True, acks_late=True, max_retries=5)
def campaign_refresh_task(self, provider_campaign_id: str) -> bool:
    """Work of one webhook where the partner-level list is refused: fetch the campaign and
    apply its statuses."""
    try:
        found = sync.campaign_refresh(provider_campaign_id=provider_campaign_id)
    except ProviderRateLimited as error:
        raise self.retry(countdown=max(error.retry_after, 5)) from error
    except ProviderError as error:
        raise self.retry(countdown=30 * (self.request.retries + 1)) from error
    if not found and self.request.retries < 3:
        # The delivery may not have recorded the provider's id yet; the poll is the backstop.
        raise self.retry(countdown=10 * (self.request.retries + 1))
    return found


@shared_task(bind=True, acks_late=True)
def webhook_sweep_task(self) -> int:
    """Work of the notifications of the last few seconds: one read of the partner-level
    list (``webhook_follow_up.webhook_sweep``)."""
    try:
        return webhook_follow_up.webhook_sweep()
    except webhook_follow_up.SweepBusy as error:
        # The periodic poll is reading the list: however long it takes, the sweep follows.
        raise self.retry(countdown=5, max_retries=None) from error


@shared_task(acks_late=True)
def status_poll_task() -> int:
    """The backstop of the webhooks, within its share of the call budget: orders being
    checked with the provider first, then the organisations the schedule picks."""
    every = settings.CELERY_BEAT_SCHEDULE["campaigns-status-poll"]["schedule"]
    run = poll_schedule.status_poll_run(budget=poll_schedule.poll_budget(every_seconds=every))
    return run.changed


@shared_task(acks_late=True)
def drafts_purge_task() -> int:
    return ordering.drafts_purge_expired()
