"""The email outbox: one row per event and person, sent once, never before commit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification, NotificationState
from notifications.services import (
    notification_queue,
    notification_send,
    notifications_due_for_relay,
)
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"subject_word": "news", "body_word": "something happened"}


def queue(org, recipients, key="event:1"):
    return notification_queue(
        org=org,
        key=key,
        recipients=recipients,
        template="notifications_test/hello",
        context=CONTEXT,
    )


@pytest.fixture
def people(org):
    return [MembershipFactory(organization=org).user for _ in range(2)]


def test_queue_writes_one_rendered_email_per_recipient(org, people):
    rows = queue(org, people)

    assert len(rows) == 2
    first = Notification.objects.get(recipient=people[0])
    assert first.organization == org
    assert first.state == NotificationState.PENDING
    assert first.subject == f"Hello {people[0].get_short_name()} — news"  # one line
    assert first.body == f"Dear {people[0].email}, something happened <b>as text</b>.\n"


def test_the_same_event_is_written_once_per_person(org, people):
    queue(org, people)
    again = queue(org, [*people, MembershipFactory(organization=org).user])

    assert len(again) == 1  # only the new person
    assert Notification.objects.count() == 3


def test_sending_waits_for_the_commit(org, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        queue(org, people)
    assert len(callbacks) == 2  # one send per row, and only on commit
    assert mail.outbox == []


def test_a_notification_is_sent_once_with_a_stable_message_id(org, people):
    [row, _other] = queue(org, people)

    assert notification_send(notification_id=row.pk).sent is True
    assert notification_send(notification_id=row.pk).sent is False  # a second delivery

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people[0].email]
    assert message.subject == row.subject
    assert message.extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.state == NotificationState.SENT and row.sent_at is not None
    assert row.attempts == 1


def test_a_deactivated_recipient_is_not_emailed(org, people):
    [row, _other] = queue(org, people)
    people[0].is_active = False
    people[0].save()

    assert notification_send(notification_id=row.pk).sent is False

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.state == NotificationState.FAILED
    assert "deactivated" in row.last_error


def test_a_refused_smtp_connection_backs_off_and_keeps_the_row(org, people, smtp_refusing):
    [row, _other] = queue(org, people)

    result = notification_send(notification_id=row.pk)

    assert result.sent is False and result.retry_in > 0
    row.refresh_from_db()
    assert row.state == NotificationState.PENDING
    assert row.next_attempt_at > timezone.now()
    assert row.last_error
    assert row.pk not in notifications_due_for_relay()  # not before its back-off


def test_it_gives_up_after_the_last_attempt(org, people, smtp_refusing, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    [row, _other] = queue(org, people)

    assert notification_send(notification_id=row.pk).retry_in is not None
    assert notification_send(notification_id=row.pk).retry_in is None

    row.refresh_from_db()
    assert row.state == NotificationState.FAILED and row.attempts == 2


def test_the_relay_finds_lost_messages_and_dead_senders_but_not_fresh_ones(org, people, settings):
    lost, claimed_by_dead_worker = queue(org, people)
    fresh = queue(org, people, key="event:2")[0]
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=lost.pk).update(next_attempt_at=long_ago)
    Notification.objects.filter(pk=claimed_by_dead_worker.pk).update(
        state=NotificationState.SENDING, claimed_at=long_ago, next_attempt_at=long_ago
    )

    due = notifications_due_for_relay()

    assert set(due) == {lost.pk, claimed_by_dead_worker.pk}
    assert fresh.pk not in due
    # The dead worker's row goes out again under the same Message-ID.
    assert notification_send(notification_id=claimed_by_dead_worker.pk).sent is True
    assert mail.outbox[0].extra_headers["Message-ID"] == claimed_by_dead_worker.message_id


def test_a_row_being_sent_now_is_not_handed_out_again(org, people):
    [row, _other] = queue(org, people)
    Notification.objects.filter(pk=row.pk).update(
        state=NotificationState.SENDING,
        claimed_at=timezone.now(),
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )

    assert row.pk not in notifications_due_for_relay()
    assert notification_send(notification_id=row.pk).sent is False
    assert mail.outbox == []


def test_rows_belong_to_their_organisation(org, people):
    other = OrganizationFactory()
    queue(org, people)
    queue(other, [MembershipFactory(organization=other).user], key="event:other")

    assert Notification.objects.for_org(org).count() == 2
    assert Notification.objects.for_org(other).count() == 1
