"""Background work of the contracts app (ids in, idempotent, enqueued on commit)."""

import logging

from celery import shared_task

from accounts.models import Organization
from config.queue import enqueue
from contracts.demo import demo_contracts_register_pending
from contracts.models import PENDING_PREFIX, Contract
from contracts.services.refresh import REFRESH_ORG_TASK, contracts_refresh_org
from distribution.errors import (
    ProviderRateLimited,
    ProviderUnavailable,
)

log = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ProviderUnavailable, ProviderRateLimited),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=30,
)
def sync_demo_contracts(self) -> None:
    """Register at the provider the contracts seeded locally by the demo data (the sandbox
    is not running while ``make run`` seeds). Retries, a bounded number of times, while the
    provider is not up yet; a contract the provider refuses, or whose board its catalogue
    does not list, is set aside as needing attention and not tried again."""
    demo_contracts_register_pending()


@shared_task(acks_late=True, ignore_result=True)
def contracts_refresh_daily_task() -> int:
    """Daily (beat): one refresh task per organisation holding contracts."""
    org_ids = list(
        Contract.objects.exclude(provider_contract_id__startswith=PENDING_PREFIX)
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )
    for org_id in org_ids:
        enqueue(REFRESH_ORG_TASK, org_id)
    return len(org_ids)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ProviderUnavailable, ProviderRateLimited),
    retry_backoff=30,
    max_retries=5,
)
def contracts_refresh_org_task(org_id: int) -> int:
    """One list page of the organisation's contracts; their health emailed on change."""
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        return 0
    return contracts_refresh_org(org=org)
