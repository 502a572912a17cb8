"""Emails exactly once when the worker sending one is SIGKILLed: a real Celery worker, a real
SMTP server process (tests/fixtures/smtp_sink.py) that stalls the conversation at a chosen
point, the relay handing the email out again once the worker's claim has lapsed."""

import time

import pytest
from django.db import transaction

from notifications.models import Notification, NotificationState
from notifications.services import notification_queue, notification_send
from notifications.tasks import notifications_relay_task
from tests.factories import MembershipFactory
from tests.fixtures.celery_worker import (
    CeleryWorker,
    purge_broker,
    require_pipeline_services,
    worker_env,
)
from tests.fixtures.smtp_sink import SmtpSink

pytestmark = [pytest.mark.pipeline, pytest.mark.timeout(300)]


@pytest.fixture
def mail_worker(transactional_db, sandbox, tmp_path):
    """A sink stalling where the test says, and a worker that sends to it."""
    require_pipeline_services()
    started = []

    def start(stall: str):
        sink = SmtpSink(tmp_path / "smtp", stall=stall).__enter__()
        purge_broker()
        worker = CeleryWorker(worker_env(sandbox, JOBCAST_TEST_SMTP_PORT=str(sink.port)))
        started.append((sink, worker))
        return sink, worker.start()

    yield start
    for sink, worker in started:
        worker.stop()
        sink.__exit__(None, None, None)
    purge_broker()


def queue_one(org) -> Notification:
    recipient = MembershipFactory(organization=org).user
    with transaction.atomic():
        [row] = notification_queue(
            org=org,
            key="event:killed-mid-send",
            recipients=[recipient],
            template="notifications_test/hello",
            context={"subject_word": "news", "body_word": "sent once"},
        )
    return row


def wait_for_state(row: Notification, state: str, worker) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.state == state:
            return
        time.sleep(0.1)
    raise AssertionError(f"still {row.state}, not {state}:\n{worker.log()}")


def test_a_worker_killed_before_the_server_acknowledged_the_email_sends_it_once_afterwards(
    org, settings, mail_worker
):
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 0
    settings.NOTIFICATIONS_RELAY_GRACE_SECONDS = 0
    sink, worker = mail_worker("data-end")
    row = queue_one(org)
    sink.wait_until_stalled()  # the whole message is at the server, unacknowledged

    worker.kill()
    row.refresh_from_db()
    assert row.state == NotificationState.SENDING  # the dead worker's claim
    assert sink.messages() == []  # never acknowledged: not delivered
    worker.start()
    assert notifications_relay_task() == 1  # the claim lapsed: handed out again

    wait_for_state(row, NotificationState.SENT, worker)
    [message] = sink.messages()
    assert message["Message-ID"] == row.message_id
    assert row.attempts == 2


def test_a_worker_killed_after_the_server_accepted_the_email_never_sends_it_again(
    org, settings, mail_worker
):
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 0
    settings.NOTIFICATIONS_RELAY_GRACE_SECONDS = 0
    sink, worker = mail_worker("quit")
    row = queue_one(org)
    sink.wait_until_stalled()  # accepted (250), the worker stuck closing the connection

    worker.kill()
    worker.start()
    assert notifications_relay_task() == 0  # recorded as sent before the connection closed
    # A second delivery of the task (acks_late redelivers a killed worker's task) is harmless.
    assert notification_send(notification_id=row.pk).sent is False

    row.refresh_from_db()
    assert row.state == NotificationState.SENT
    assert row.attempts == 1
    [message] = sink.messages()
    assert message["Message-ID"] == row.message_id
