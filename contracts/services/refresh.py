"""Reading contracts back from the provider (credits left, expiry, the board's errors) and
telling the admins, once per change, when a contract's health calls for it.

- ``contract_check``: *Check now* on one contract (one call).
- ``contracts_refresh_after_order``: after an order used credits, one refresh of the
  organisation ``CONTRACTS_REFRESH_AFTER_ORDER_SECONDS`` later, for every order delivered
  meanwhile (an organisation placing 400 orders reads its list a few times, not 400 times:
  the call budget is the whole installation's).
- ``contracts_refresh_org``: the daily refresh of one organisation, with **one** list page
  of its contracts (not one call per contract); the list's summaries may leave ``errors``
  out, and then what we know of them is kept.
- ``contract_health_observe``: after any of these (and daily, for the dates), email the
  organisation's admins when the contract's notice changes; the email's key is the
  contract, the notice and the number of changes, so a notice is sent once per change, and
  again only if the contract recovered and fell back.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from config.queue import enqueue
from contracts.models import PENDING_PREFIX, Contract, ContractStatus
from contracts.refusals import provider_refusal_message
from contracts.services.contracts import remote_contract_state
from contracts.services.notices import contract_health_observe
from distribution.client import provider_client
from distribution.errors import ProviderError, ProviderNotFound
from distribution.messages import ProviderContract

log = logging.getLogger(__name__)

# The task refreshing one organisation's contracts (after an order, and daily).
REFRESH_ORG_TASK = "contracts.tasks.contracts_refresh_org_task"
# The one list page the daily refresh reads per organisation (the provider's maximum).
REFRESH_PAGE_SIZE = 1000
GONE_AT_PROVIDER = "The job-distribution provider no longer knows this contract."


def contracts_refresh_after_order(*, org_id: int) -> None:
    """Once the current transaction commits: a refresh of the organisation's contracts
    after ``CONTRACTS_REFRESH_AFTER_ORDER_SECONDS``, unless one is already scheduled."""
    transaction.on_commit(partial(_schedule_refresh_after_order, org_id))


def _schedule_refresh_after_order(org_id: int) -> None:
    delay = float(settings.CONTRACTS_REFRESH_AFTER_ORDER_SECONDS)
    if delay <= 0:
        enqueue(REFRESH_ORG_TASK, org_id)
        return
    # The mark lasts exactly as long as the countdown: an order skipped while it exists is
    # read by the scheduled refresh, which runs after the mark is gone; an order after that
    # schedules the next refresh. So every order is read back, at most ``delay`` late.
    if cache.add(f"contracts:refresh-after-order:{org_id}", 1, timeout=delay):
        enqueue(REFRESH_ORG_TASK, org_id, countdown=delay)


def _apply(contract: Contract, remote: ProviderContract) -> None:
    state = remote_contract_state(remote)
    if not remote.errors_reported:  # a summary without errors: keep what we know
        del state["status"], state["provider_errors"]
    for name, value in state.items():
        setattr(contract, name, value)
    contract.save(update_fields=[*state, "updated_at"])


def _mark_gone(contract: Contract) -> None:
    contract.status = ContractStatus.NEEDS_ATTENTION
    contract.provider_errors = [GONE_AT_PROVIDER]
    contract.checked_at = timezone.now()
    contract.save(update_fields=["status", "provider_errors", "checked_at", "updated_at"])


def contract_check(*, contract: Contract) -> Contract:
    """*Check now*: read this contract from the provider and keep its credits, expiry and
    errors. A provider failure is a ValidationError saying so (nothing changed)."""
    if contract.provider_contract_id.startswith(PENDING_PREFIX):
        raise ValidationError(
            _("This contract is still being registered with the provider. Try again shortly.")
        )
    try:
        remote = provider_client(org=contract.organization).get_contract(
            contract.provider_contract_id
        )
    except ProviderNotFound:
        _mark_gone(contract)
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error)) from None
    else:
        _apply(contract, remote)
    contract_health_observe(contract=contract)
    return contract


def contracts_refresh_org(*, org: Organization) -> int:
    """The daily refresh of ``org``: one list page, every contract found updated; a contract
    the complete list does not hold is gone at the provider. Returns how many were read.
    Whatever the provider says, each contract's health is observed (dates move daily)."""
    contracts = list(
        Contract.objects.for_org(org)
        .exclude(provider_contract_id__startswith=PENDING_PREFIX)
        .select_related("channel", "organization")
    )
    if not contracts:
        return 0
    read = 0
    try:
        page = provider_client(org=org).list_contracts(limit=REFRESH_PAGE_SIZE)
    except ProviderError as error:
        log.warning("contracts of org %s could not be refreshed: %s", org.pk, error)
    else:
        remote = {str(item.contract_id): item for item in page.contracts}
        complete = page.count <= len(page.contracts)
        for contract in contracts:
            item = remote.get(contract.provider_contract_id)
            if item is not None:
                _apply(contract, item)
                read += 1
            elif complete:
                _mark_gone(contract)
    for contract in contracts:
        contract_health_observe(contract=contract)
    return read
