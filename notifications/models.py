"""The email outbox: every email the product sends about an event is a row, written in the
transaction of the event it reports, and sent afterwards by a task.

The key (unique) names the event and the person, so an event reported twice (a webhook and a
poll, a retried task) still writes one row, and the row's state decides whether it was sent.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.tenancy import TenantModel


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class Notification(TenantModel):
    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=255)
    body = models.TextField()
    state = models.CharField(
        max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When the next try is due (a failed try backs off); the relay looks only past it.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a worker took the row to send it: a row left "sending" long after this belongs
    # to a worker that died mid-send.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self):
        return self.key

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a mail system that receives a second copy
        (a worker died after handing it over, before recording it) recognises it."""
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:40]
        return f"<{digest}@notifications.jobcast>"
