"""The provider's health as recorded by the transport: is it answering, and since when not.

Every call ends in one of two records: ``provider_answered`` (any HTTP answer below 500: the
provider is there, even when it refuses) or ``provider_failed`` (no connection, a timeout, a
dropped connection, a 5xx). Both are one conditional UPDATE of one row, so recording costs
almost nothing while the provider answers (the UPDATE matches no row).

``provider_outage`` is what pages show: an outage once the provider has failed for
``PROVIDER_OUTAGE_NOTICE_SECONDS`` without answering in between (a single slow call is not
an outage worth telling people about).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import ProviderHealth

log = logging.getLogger(__name__)

HEALTH_ROW = 1


@dataclass(frozen=True)
class ProviderOutage:
    since: datetime  # the first failure after the provider last answered
    last_failure_at: datetime


def provider_answered() -> None:
    """The provider answered: any outage is over."""
    try:
        ProviderHealth.objects.filter(pk=HEALTH_ROW, failing_since__isnull=False).update(
            failing_since=None, recovered_at=timezone.now()
        )
    except DatabaseError as error:  # our database's trouble must not fail a provider call
        log.warning("Could not record that the provider answered: %s", error)


def provider_failed(*, reason: str) -> None:
    """A call could not reach the provider or got no usable answer (``reason``: what
    happened, never a secret)."""
    now = timezone.now()
    try:
        changed = ProviderHealth.objects.filter(pk=HEALTH_ROW).update(
            failing_since=Coalesce("failing_since", now),
            last_failure_at=now,
            last_failure_reason=reason[:200],
        )
        if not changed:
            ProviderHealth.objects.bulk_create(
                [
                    ProviderHealth(
                        pk=HEALTH_ROW,
                        failing_since=now,
                        last_failure_at=now,
                        last_failure_reason=reason[:200],
                    )
                ],
                ignore_conflicts=True,  # another process recorded the first failure
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
