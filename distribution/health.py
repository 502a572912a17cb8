"""The provider's health as recorded by the transport: is it answering, and since when not.

Every call ends in one of two records: ``provider_answered`` (any HTTP answer below 500: the
provider is there, even when it refuses) or ``provider_failed`` (no connection, a timeout, a
dropped connection, a 5xx). Both lock the one row only if it has news to record, and never
wait for it (``SKIP LOCKED``): while the provider answers, recording is one read that matches
nothing.

``provider_outage`` is what pages show: an outage once the provider has failed for
``PROVIDER_OUTAGE_NOTICE_SECONDS`` without answering in between (a single slow call is not
an outage worth telling people about).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ProviderHealth

log = logging.getLogger(__name__)

HEALTH_ROW = 1


@dataclass(frozen=True)
class ProviderOutage:
    since: datetime  # the first failure after the provider last answered
    last_failure_at: datetime


def _health_row(**conditions) -> ProviderHealth | None:
    """The health row (matching ``conditions``) locked for this transaction, or None when it
    does not match or another process holds it: that one is recording the same news, and
    waiting for it would make a provider call wait for another caller's transaction."""
    rows = ProviderHealth.objects.filter(pk=HEALTH_ROW, **conditions)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


def provider_answered() -> None:
    """The provider answered: any outage is over."""
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's intact
            # While it answers, nothing matches: no row is locked, nothing is written.
            if _health_row(failing_since__isnull=False) is not None:
                ProviderHealth.objects.filter(pk=HEALTH_ROW).update(
                    failing_since=None, recovered_at=timezone.now()
                )
    except DatabaseError as error:  # our database's trouble must not fail a provider call
        log.warning("Could not record that the provider answered: %s", error)


def provider_failed(*, reason: str) -> None:
    """A call could not reach the provider or got no usable answer (``reason``: what
    happened, never a secret)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            ProviderHealth.objects.bulk_create(
                [ProviderHealth(pk=HEALTH_ROW)], ignore_conflicts=True
            )  # the row exists from the first failure on
            if _health_row() is not None:
                ProviderHealth.objects.filter(pk=HEALTH_ROW).update(
                    failing_since=Coalesce("failing_since", now),
                    last_failure_at=now,
                    last_failure_reason=reason[:200],
                )
    except DatabaseError as error:
        log.warning("Could not record that the provider failed: %s", error)


def provider_outage(*, now: datetime | None = None) -> ProviderOutage | None:
    """The outage to show people, or None while the provider answers (or only just failed)."""
    health = ProviderHealth.objects.filter(pk=HEALTH_ROW, failing_since__isnull=False).first()
    if health is None:
        return None
    now = now or timezone.now()
    if now - health.failing_since < timedelta(seconds=settings.PROVIDER_OUTAGE_NOTICE_SECONDS):
        return None
    return ProviderOutage(since=health.failing_since, last_failure_at=health.last_failure_at)


def provider_failing_since() -> datetime | None:
    """When the provider last stopped answering (None while it answers), however recent."""
    return (
        ProviderHealth.objects.filter(pk=HEALTH_ROW).values_list("failing_since", flat=True).first()
    )
