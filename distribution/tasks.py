"""Periodic mirrors of the provider's catalogue (beat: CELERY_BEAT_SCHEDULE in settings)."""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

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


@worker_ready.connect
def mirror_catalogue_when_a_worker_starts(sender=None, **kwargs) -> None:
    """A fresh install only has the demo boards: mirror the catalogue as soon as a worker is
    up instead of waiting for beat's first tick. Both syncs skip themselves when the mirror is
    fresh, so restarting workers costs no provider calls."""
    if not settings.PROVIDER_SYNC_ON_WORKER_START:
        return
    sync_taxonomy.apply_async(countdown=5)
    sync_catalogue.apply_async(countdown=5)
