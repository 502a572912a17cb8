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
- The errors come in English (the reference); when a read brings errors we hold no French
  for, the same read is made once more in French (``remote_errors_french``, one call; for
  the daily refresh one more list page whatever the number of contracts), at the same
  priority; a healthy contract, or errors we hold in French already, cost no extra call.
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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Organization
from config.queue import enqueue
from contracts.models import PENDING_PREFIX, Contract, ContractStatus
from contracts.refusals import provider_refusal_message
from contracts.services.contracts import (
    french_errors_matching,
    remote_contract_state,
    remote_errors_french,
)
from contracts.services.notices import contract_health_observe
from distribution.client import ProviderClient, provider_client
from distribution.errors import ProviderError, ProviderNotFound
from distribution.messages import ProviderContract
from distribution.ratelimit import Priority

log = logging.getLogger(__name__)

# The task refreshing one organisation's contracts (after an order, and daily).
REFRESH_ORG_TASK = "contracts.tasks.contracts_refresh_org_task"
# The one list page the daily refresh reads per organisation (the provider's maximum).
REFRESH_PAGE_SIZE = 1000
# Our own words, kept with the provider's errors (English, and French beside them).
GONE_AT_PROVIDER = gettext_noop("The job-distribution provider no longer knows this contract.")


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


def _apply(contract: Contract, remote: ProviderContract, *, errors_fr: list[str]) -> None:
    state = remote_contract_state(remote, errors_fr=errors_fr)
    if not remote.errors_reported:  # a summary without errors: keep what we know
        del state["status"], state["provider_errors"], state["provider_errors_fr"]
    for name, value in state.items():
        setattr(contract, name, value)
    contract.save(update_fields=[*state, "updated_at"])


def _mark_gone(contract: Contract) -> None:
    contract.status = ContractStatus.NEEDS_ATTENTION
    contract.provider_errors = [GONE_AT_PROVIDER]
    with translation.override("fr"):
        contract.provider_errors_fr = [_(GONE_AT_PROVIDER)]
    contract.checked_at = timezone.now()
    contract.save(
        update_fields=[
            "status",
            "provider_errors",
            "provider_errors_fr",
            "checked_at",
            "updated_at",
        ]
    )


def contract_check(*, contract: Contract) -> Contract:
    """*Check now*: read this contract from the provider and keep its credits, expiry and
    errors. A provider failure is a ValidationError saying so (nothing changed)."""
    if contract.provider_contract_id.startswith(PENDING_PREFIX):
        raise ValidationError(
            _("This contract is still being registered with the provider. Try again shortly.")
        )
    client = provider_client(org=contract.organization)
    try:
        remote = client.get_contract(contract.provider_contract_id)
    except ProviderNotFound:
        _mark_gone(contract)
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error)) from None
    else:
        errors_fr = remote_errors_french(contract=contract, remote=remote, client=client)
        _apply(contract, remote, errors_fr=errors_fr)
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
    # Background work (a task, daily and after orders): people waiting go first.
    client = provider_client(org=org, priority=Priority.BACKGROUND)
    try:
        page = client.list_contracts(limit=REFRESH_PAGE_SIZE)
    except ProviderError as error:
        log.warning("contracts of org %s could not be refreshed: %s", org.pk, error)
    else:
        remote = {str(item.contract_id): item for item in page.contracts}
        complete = page.count <= len(page.contracts)
        french = _errors_in_french(org=org, contracts=contracts, remote=remote, client=client)
        for contract in contracts:
            item = remote.get(contract.provider_contract_id)
            if item is not None:
                _apply(contract, item, errors_fr=french.get(contract.provider_contract_id, []))
                read += 1
            elif complete:
                _mark_gone(contract)
    for contract in contracts:
        contract_health_observe(contract=contract)
    return read


def _errors_in_french(
    *,
    org: Organization,
    contracts: list[Contract],
    remote: dict[str, ProviderContract],
    client: ProviderClient,
) -> dict[str, list[str]]:
    """The French words of the errors in ``remote`` (the list page just read), by provider
    contract id: those we hold for exactly these errors, and for the others the same page
    read once more in French, at ``client``'s priority. One call whatever their number
    (the call budget is the whole installation's), none when no contract brought errors we
    lack French for. A failed French read keeps the English words alone; the next refresh
    asks again."""
    french: dict[str, list[str]] = {}
    wanting: dict[str, Contract] = {}
    for contract in contracts:
        item = remote.get(contract.provider_contract_id)
        if item is None or not item.errors_reported or not item.errors:
            continue
        if contract.holds_french_errors_for(list(item.errors)):
            french[contract.provider_contract_id] = contract.provider_errors_french
        else:
            wanting[contract.provider_contract_id] = contract
    if not wanting:
        return french
    french_client = provider_client(org=org, language="fr", priority=client.transport.priority)
    try:
        page = french_client.list_contracts(limit=REFRESH_PAGE_SIZE)
    except ProviderError as error:
        log.warning("contracts of org %s: no French words for their errors: %s", org.pk, error)
        return french
    for item in page.contracts:
        contract = wanting.get(str(item.contract_id))
        if contract is not None and item.errors_reported:
            english = list(remote[contract.provider_contract_id].errors)
            french[contract.provider_contract_id] = french_errors_matching(
                english, list(item.errors), contract=contract
            )
    return french
