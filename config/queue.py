"""Handing work to Celery: the one way product code enqueues a task.

Tasks are named, not imported (``"campaigns.tasks.campaign_submit_task"``): tasks call
services, so a service importing its tasks would close an import cycle. The shape is Zulip's
``queue_event_on_commit``: work asked for inside a transaction is handed over only once that
transaction commits, so a task never runs before the rows it reads exist, and a rolled-back
request enqueues nothing.

Enqueueing never fails the caller. When the broker cannot take a task, the failure is logged
and the task's backstop catches up later: the outbox relay re-sends pending orders, the status
poll picks up missed notifications.
"""

import logging
from functools import partial

from django.db import transaction

from config.celery import app

log = logging.getLogger(__name__)


def enqueue(task_name: str, *args, countdown: float | None = None) -> bool:
    """Hand ``task_name(*args)`` to the broker now, to run at once or ``countdown`` seconds
    later; False (logged) when it could not be."""
    try:
        # A signature by name: the task's own options apply where the task is registered
        # (a worker, or a test running tasks eagerly); elsewhere it is sent by name.
        app.signature(task_name, args=args).apply_async(retry=False, countdown=countdown)
    except Exception as error:  # the broker's errors vary by transport
        log.warning(
            "Could not enqueue %s%r (%s: %s); it will be relayed later",
            task_name,
            args,
            type(error).__name__,
            error,
        )
        return False
    return True


def enqueue_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Enqueue ``task_name(*args)`` once the current transaction commits (at once outside
    a transaction)."""
    transaction.on_commit(partial(enqueue, task_name, *args, countdown=countdown))
