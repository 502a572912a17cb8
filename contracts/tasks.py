"""Background work of the contracts app (ids in, idempotent, enqueued on commit)."""

import logging

from celery import shared_task
from django.conf import settings

from accounts.models import Organization
from config.queue import enqueue
from contracts.demo import DemoBoardMissing, demo_contract_register, demo_contract_set_aside
from contracts.models import PENDING_PREFIX, Contract, ContractStatus
from contracts.refusals import provider_refusal_message
from contracts.services.refresh import REFRESH_ORG_TASK, contracts_refresh_org
from distribution.errors import (
    ProviderAuthenticationError,
    ProviderError,
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
    pending = (
        Contract.objects.filter(provider_contract_id__startswith=PENDING_PREFIX)
        .exclude(status=ContractStatus.NEEDS_ATTENTION)
        .select_related("organization", "group", "channel")
    )
    for contract in pending:
        try:
            demo_contract_register(contract=contract)
        except (ProviderUnavailable, ProviderRateLimited):
            raise
        except ProviderAuthenticationError as error:
            # Our token, not the contract: nothing is set aside; the next start tries again.
            log.error("demo contracts not registered at %s: %s", settings.PROVIDER_BASE_URL, error)
            return
        except DemoBoardMissing as error:
            log.warning(
                "demo contract %s (%s) skipped: %s (%s)",
                contract.pk,
                contract.alias,
                error,
                settings.PROVIDER_BASE_URL,
            )
            reason = str(error)
            demo_contract_set_aside(contract=contract, reason=f"{reason[:1].upper()}{reason[1:]}.")
        except ProviderError as error:
            log.warning(
                "demo contract %s (%s) refused by the provider, set aside as needing attention: %s",
                contract.pk,
                contract.alias,
                error,
            )
            demo_contract_set_aside(contract=contract, reason=provider_refusal_message(error))
        else:
            log.info("demo contract %s registered with the provider", contract.pk)


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
