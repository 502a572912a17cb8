"""What follows a provider notification: a read of the provider, never the notification's
word (it is only a hint, and it may be a duplicate or late).

Where the partner-level campaign list is allowed, the notifications that arrive within
``CAMPAIGNS_WEBHOOK_SWEEP_SECONDS`` share one read of that list (``webhook_sweep``): one call
per page of changes instead of one per campaign, which is what keeps the call budget for
people at thousands of organisations. A notification whose campaign that read did not show
(its change not visible yet, or read already by an earlier poll that moved on) is followed
by a fetch of its campaign, so none is left unanswered. Where the partner level is refused,
each notified campaign is fetched (``sync.campaign_refresh``).
"""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from campaigns.locks import partner_poll_lock
from campaigns.models import EventSource, WebhookDelivery
from campaigns.services.list_poll import (
    POLL_MAX_PAGES,
    REFRESH_TASK,
    PartnerListRefused,
    partner_poll_allowed,
    partner_poll_refused,
    status_poll_partner,
)
from config.queue import enqueue, enqueue_on_commit
from distribution.errors import ProviderError

log = logging.getLogger(__name__)

SWEEP_TASK = "campaigns.tasks.webhook_sweep_task"
SWEEP_MARK = "campaigns:webhook-sweep"
# How long the mark outlives the sweep's countdown, should the sweep never run (a lost task):
# the periodic poll reads the changes meanwhile.
SWEEP_MARK_MARGIN = 30
# Notifications older than this are left to the periodic poll, which has read them by then.
SWEEP_LOOKBACK = timedelta(hours=1)


class SweepBusy(Exception):
    """Another reader holds the partner-level list: the sweep is tried again shortly."""


def webhook_follow_up(*, provider_campaign_id: str) -> None:
    """The work of a new notification, handed over once the current transaction commits."""
    if partner_poll_allowed():
        transaction.on_commit(_schedule_sweep)
    else:
        enqueue_on_commit(REFRESH_TASK, provider_campaign_id)


def _schedule_sweep() -> None:
    """One sweep for the notifications of the next few seconds: the first one sets a mark
    and schedules the sweep; those that find the mark are read by it (the sweep removes the
    mark as it starts, so a notification after that schedules the next one)."""
    delay = float(settings.CAMPAIGNS_WEBHOOK_SWEEP_SECONDS)
    try:
        first = delay <= 0 or cache.add(SWEEP_MARK, 1, timeout=delay + SWEEP_MARK_MARGIN)
    except Exception as error:  # the cache's errors vary by backend
        # Without the cache a sweep per notification: more calls, no notification lost.
        log.warning("Webhook sweep mark unavailable (%s): sweeping for this one", error)
        first = True
    if first:
        enqueue(SWEEP_TASK, countdown=max(delay, 0) or None)


def webhook_sweep() -> int:
    """Read the partner-level list for the notifications received so far (at most
    ``POLL_MAX_PAGES`` calls; the next sweep or poll goes on from there), then fetch the
    campaigns of those it did not show (all of them, when the list could not be read).
    Returns how many boards changed. Raises ``SweepBusy`` while another reader holds the
    list (the task tries again shortly)."""
    with contextlib.suppress(Exception):  # the mark only saves calls
        cache.delete(SWEEP_MARK)
    started = timezone.now()
    notified = dict(
        WebhookDelivery.objects.filter(
            followed_at=None, received_at__lte=started, received_at__gte=started - SWEEP_LOOKBACK
        ).values_list("pk", "provider_campaign_id")
    )
    changed = 0
    with partner_poll_lock() as held:
        if not held:
            raise SweepBusy
        try:
            changed = status_poll_partner(
                max_pages=POLL_MAX_PAGES, source=EventSource.WEBHOOK
            ).changed
        except PartnerListRefused as refusal:
            log.info("The provider refuses the partner-level campaign list (%s)", refusal)
            partner_poll_refused()
        except ProviderError as error:
            # The list could not be read (an outage, the call budget): each notification is
            # then followed by a fetch of its own, which waits and retries on its own.
            log.warning("Webhook sweep could not read the partner-level list: %s", error)
    # The read marked the notifications of the campaigns it showed; the others are fetched.
    unanswered = WebhookDelivery.objects.filter(pk__in=notified, followed_at=None)
    for provider_campaign_id in set(unanswered.values_list("provider_campaign_id", flat=True)):
        enqueue(REFRESH_TASK, provider_campaign_id)
    unanswered.update(followed_at=timezone.now())
    return changed
