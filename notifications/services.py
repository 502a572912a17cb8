"""Writing and sending notifications (see ``notifications.models``).

``notification_queue`` is called inside the transaction of the event it reports; the send
task runs only after that transaction commits, so a rolled-back event emails nobody.

Sending claims the row (pending → sending) with one conditional UPDATE, so two workers that
receive the same task cannot both send it. A worker that dies after the claim leaves the row
"sending"; once the claim is older than ``NOTIFICATIONS_SEND_LEASE_SECONDS`` the relay hands
it out again under the same Message-ID (see ``Notification.message_id``).

Exactly once under a kill (tests/notifications/test_send_killed.py): a worker killed before
the mail server acknowledged the message (its ``250`` after the data) sent nothing, and the
relay sends it once. The row is marked sent the moment the server acknowledged it, before the
connection is closed, so a worker killed while closing never leaves it to be sent again. The
one rule left: a worker killed between the server's acknowledgement and that commit (one
database write) leaves the row "sending"; the relay sends it again after the lease, under the
same Message-ID, by which the receiving mail systems recognise the copy.
"""

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Organization, User
from config.queue import enqueue_on_commit
from notifications.models import Notification, NotificationState

log = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.notification_send_task"


@dataclass(frozen=True)
class SendResult:
    sent: bool
    retry_in: float | None = None


def notification_queue(
    *,
    org: Organization,
    key: str,
    recipients: Iterable[User],
    template: str,
    context: dict,
) -> list[Notification]:
    """Write one email per recipient for the event named ``key`` (once: a key already
    written is left alone) and send each after the surrounding transaction commits.

    ``template`` names a pair of templates: ``<template>_subject.txt`` and ``<template>.txt``;
    they receive ``context`` plus ``recipient``.
    """
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in recipients:
            row_key = f"{key}:{recipient.pk}"
            if Notification.objects.filter(key=row_key).exists():
                continue
            values = {**context, "recipient": recipient}
            notification, was_created = Notification.objects.get_or_create(
                key=row_key,
                defaults={
                    "organization": org,
                    "recipient": recipient,
                    "subject": " ".join(
                        render_to_string(f"{template}_subject.txt", values).split()
                    ),
                    "body": render_to_string(f"{template}.txt", values),
                },
            )
            if was_created:
                created.append(notification)
    for notification in created:
        enqueue_on_commit(SEND_TASK, notification.pk)
    return created


def notification_send(*, notification_id: int) -> SendResult:
    """Send one notification if nobody has sent or is sending it."""
    claimed = Notification.objects.filter(
        pk=notification_id, state=NotificationState.PENDING
    ).update(state=NotificationState.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return SendResult(sent=False)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active:
        _finish(notification, NotificationState.FAILED, error="The recipient was deactivated.")
        return SendResult(sent=False)
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Message-ID": notification.message_id},
    )
    # Our own connection, closed only once the email is recorded as sent: closing it (SMTP
    # QUIT) comes after the server accepted the message, and a worker dying there must not
    # leave a delivered email "sending", for the relay would send it again.
    mailer = mailers.default
    try:
        mailer.open()
        mailer.send_messages([message])
    except Exception as error:  # SMTP, socket and backend errors all mean "not sent now"
        log.warning("Notification %s was not sent: %s", notification_id, type(error).__name__)
        _close_quietly(mailer)
        if notification.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            _finish(notification, NotificationState.FAILED, error=str(error))
            return SendResult(sent=False)
        delay = _backoff(notification.attempts)
        _finish(notification, NotificationState.PENDING, error=str(error), retry_in=delay)
        return SendResult(sent=False, retry_in=delay)
    _finish(notification, NotificationState.SENT)
    _close_quietly(mailer)
    return SendResult(sent=True)


def _close_quietly(mailer) -> None:
    """Close the mail connection; a failure to say goodbye changes nothing that was sent."""
    try:
        mailer.close()
    except Exception as error:  # SMTP and socket errors alike
        log.info("Closing the mail connection failed: %s", type(error).__name__)


def _finish(
    notification: Notification, state: str, *, error: str = "", retry_in: float = 0.0
) -> None:
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, state=NotificationState.SENDING).update(
        state=state,
        sent_at=now if state == NotificationState.SENT else None,
        next_attempt_at=now + timedelta(seconds=retry_in),
        last_error=error[:2000],
    )


def _backoff(attempt: int) -> float:
    delay = min(3600.0, 30.0 * 2 ** (attempt - 1))
    return random.uniform(delay / 2, delay)


def notifications_due_for_relay() -> list[int]:
    """Notifications whose task may have been lost: pending a while after they were
    written or last tried, or claimed by a worker that has not finished within the lease
    (it died). The latter are handed out again."""
    now = timezone.now()
    grace = timedelta(seconds=settings.NOTIFICATIONS_RELAY_GRACE_SECONDS)
    lease = timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE_SECONDS)
    Notification.objects.filter(state=NotificationState.SENDING, claimed_at__lt=now - lease).update(
        state=NotificationState.PENDING, next_attempt_at=now - grace
    )
    return list(
        Notification.objects.filter(
            state=NotificationState.PENDING, next_attempt_at__lte=now - grace
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
