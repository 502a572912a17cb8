"""The send task in a real Celery worker: a committed notification is sent and recorded."""

import time

import pytest
from django.db import transaction

from notifications.models import Notification, NotificationState
from notifications.services import notification_queue
from tests.factories import MembershipFactory

pytestmark = pytest.mark.pipeline


def test_a_real_worker_sends_a_committed_notification(org, celery_worker):
    recipient = MembershipFactory(organization=org).user
    with transaction.atomic():
        [row] = notification_queue(
            org=org,
            key="event:worker",
            recipients=[recipient],
            template="notifications_test/hello",  # rendered here, in the test process
            context={"subject_word": "news", "body_word": "sent by a worker"},
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.state != NotificationState.PENDING:
            break
        time.sleep(0.2)
    assert row.state == NotificationState.SENT, celery_worker.log()
    assert Notification.objects.get(pk=row.pk).attempts == 1
