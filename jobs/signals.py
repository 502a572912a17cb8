"""Extension points for apps that depend on jobs (jobs must not import them).

``job_closed`` is sent by ``jobs.services.job_close`` inside its transaction, with
``org``, ``job`` and ``by``. The campaigns app connects a receiver that takes the job's
live ads down (enqueueing its task with ``transaction.on_commit``)."""

from django.dispatch import Signal

job_closed = Signal()
