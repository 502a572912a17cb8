"""Background work of the contracts app (ids in, idempotent, enqueued on commit)."""

import logging

from celery import shared_task

from contracts.demo import demo_contract_register
from contracts.models import PENDING_PREFIX, Contract
from distribution.errors import ProviderError, ProviderRateLimited, ProviderUnavailable

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
    is not running while ``make run`` seeds). Retries while the provider is not up yet."""
    pending = Contract.objects.filter(
        provider_contract_id__startswith=PENDING_PREFIX
    ).select_related("organization", "group", "channel")
    for contract in pending:
        try:
            demo_contract_register(contract=contract)
        except (ProviderUnavailable, ProviderRateLimited):
            raise
        except ProviderError as error:
            log.warning("demo contract %s could not be registered: %s", contract.pk, error)
        else:
            log.info("demo contract %s registered with the provider", contract.pk)
