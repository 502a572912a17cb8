"""Celery tasks of the campaigns app: each takes ids, calls a service and is idempotent.

``acks_late`` (the project default) means a task whose worker dies is delivered again; the
services make a second run harmless. Countdowns stay below the broker's visibility timeout.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.selectors import notification_recipients
from campaigns.models import Posting, PostingStatus
from campaigns.services import delivery, sync
from distribution.errors import ProviderError, ProviderRateLimited

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Hand a task to the broker without ever failing the caller: when the broker is down
    the outbox relay (or the status poll) catches up later."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception as error:  # the broker's errors vary by transport
        log.warning(
            "Could not enqueue %s%r (%s: %s); it will be relayed later",
            task.name,
            args,
            type(error).__name__,
            error,
        )
        return False
    return True


@shared_task(bind=True, acks_late=True, max_retries=None)
def campaign_submit_task(self, campaign_id: int) -> str:
    result = delivery.campaign_submit(campaign_id=campaign_id)
    if result.outcome == "busy":
        # Another worker holds the lock; if it dies the relay re-enqueues this order.
        return result.outcome
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.outcome


@shared_task(acks_late=True)
def outbox_relay_task() -> int:
    """Re-enqueue orders still pending a grace period after they were due."""
    grace = timedelta(seconds=float(getattr(settings, "CAMPAIGNS_OUTBOX_GRACE_SECONDS", 120)))
    campaign_ids = delivery.outbox_due_for_relay(grace=grace)
    sent = [cid for cid in campaign_ids if enqueue(campaign_submit_task, cid)]
    delivery.outbox_mark_enqueued(campaign_ids=sent)
    return len(sent)


@shared_task(bind=True, acks_late=True, max_retries=5)
def campaign_refresh_task(self, provider_campaign_id: str) -> bool:
    """Work of one webhook: fetch the campaign and apply its statuses."""
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


@shared_task(acks_late=True)
def status_poll_task() -> int:
    """The backstop: one incremental poll per organisation with live campaigns."""
    changed = 0
    from accounts.models import Organization

    for org in Organization.objects.filter(pk__in=sync.organizations_to_poll()):
        try:
            changed += sync.status_poll(org=org)
        except ProviderError as error:
            log.warning("Status poll of organisation %s failed: %s", org.pk, error)
    return changed


@shared_task(acks_late=True)
def drafts_purge_task() -> int:
    from campaigns.services.ordering import drafts_purge_expired

    return drafts_purge_expired()


@shared_task(acks_late=True)
def posting_notify(posting_id: int, status: str) -> bool:
    """Email the ordering recruiter that a board went online or failed."""
    posting = (
        Posting.objects.select_related("campaign__ordered_by", "campaign__job__organization")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None or status not in (PostingStatus.ONLINE, PostingStatus.FAILED):
        return False
    campaign = posting.campaign
    # The ordering recruiter while they are an active member, else the active admins.
    recipients = notification_recipients(
        org=campaign.job.organization, preferred=campaign.ordered_by
    )
    for recipient in recipients:
        context = {
            "posting": posting,
            "campaign": campaign,
            "status": status,
            "recipient": recipient,
            "campaign_url": settings.SITE_URL.rstrip("/")
            + reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string(
                "campaigns/email/posting_status_subject.txt", context
            ).strip()
            body = render_to_string("campaigns/email/posting_status.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    return bool(recipients)
