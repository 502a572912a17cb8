"""Tasks of the email outbox: they take ids and are safe to run twice."""

from celery import shared_task

from config.queue import enqueue
from notifications import services


@shared_task(bind=True, acks_late=True, max_retries=None)
def notification_send_task(self, notification_id: int) -> bool:
    result = services.notification_send(notification_id=notification_id)
    if result.retry_in is not None:
        raise self.retry(countdown=result.retry_in)
    return result.sent


@shared_task(acks_late=True)
def notifications_relay_task() -> int:
    """Hand out again what a lost message or a dead worker left unsent."""
    due = services.notifications_due_for_relay()
    for notification_id in due:
        enqueue(services.SEND_TASK, notification_id)
    return len(due)
