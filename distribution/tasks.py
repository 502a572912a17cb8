"""Periodic mirrors of the provider's catalogue (beat: CELERY_BEAT_SCHEDULE in settings)."""

import logging

from celery import shared_task

from .errors import ProviderError
from .services import catalogue_sync, taxonomy_sync

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def sync_catalogue(full: bool = False) -> None:
    """Idempotent and resumable: on a provider error the next run goes on from the same
    page, so this task does not retry by itself."""
    try:
        result = catalogue_sync(full=full)
    except ProviderError as error:
        log.warning("catalogue sync stopped, will resume next run: %s", error)
        return
    if result.skipped:
        log.info("catalogue sync skipped: %s", result.skipped)


@shared_task(acks_late=True, ignore_result=True)
def sync_taxonomy(force: bool = False) -> None:
    try:
        result = taxonomy_sync(force=force)
    except ProviderError as error:
        log.warning("taxonomy sync failed, will run again: %s", error)
        return
    if result.skipped:
        log.info("taxonomy sync skipped: %s", result.skipped)
