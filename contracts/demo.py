"""Demo contracts. Acme Talent has My Own Contracts enabled, two groups and three contracts of
different credential kinds; Initech Recruiting has not (its admin can walk the activation path).

The provider sandbox is not running while ``make run`` seeds, so the contracts are saved
locally with a ``pending-`` provider id and registered by the task
``contracts.tasks.sync_demo_contracts``, enqueued here on commit: the Celery worker runs it
once the sandbox answers (it retries with backoff until then). Registration goes through the
same create-or-adopt path as a contract an admin adds.

The boards are named, not numbered: another provider (``PROVIDER_BASE_URL``) numbers its
channels its own way, so registration first finds each board **by name** in that provider's
catalogue and points the contract at it. A board it does not list, or a contract it refuses,
leaves the contract *needing attention* with the reason, and it is not tried again.
"""

import uuid

from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from accounts.models import Organization, User
from config.queue import enqueue_on_commit
from contracts.models import (
    PENDING_PREFIX,
    Contract,
    ContractAction,
    ContractGroup,
    ContractStatus,
    CredentialKind,
)
from contracts.services.contracts import (
    contract_record_event,
    provider_contract_create_or_adopt,
    provider_contract_forget,
    remote_contract_fields,
)
from contracts.services.credentials import (
    CredentialPlan,
    contract_credentials_reveal,
    credentials_store,
)
from contracts.services.groups import contract_group_default, provider_group_ensure
from distribution.client import Priority, provider_client
from distribution.messages import ContractRequest
from distribution.models import Channel
from distribution.services import channel_details, channel_find_by_name, normalize_search

# (board provider id, name, group name or None for the default group, alias, credentials)
ACME_CONTRACTS = [
    (
        1001,
        "Naukri",
        "India",
        "Naukri – Bangalore office",
        [
            CredentialPlan("username", CredentialKind.TEXT, "acme-talent-india"),
            CredentialPlan("password", CredentialKind.SECRET, "demo-naukri-password"),
        ],
    ),
    (
        1004,
        "LinkedIn",
        None,
        "LinkedIn – company page",
        [CredentialPlan("access_token", CredentialKind.OAUTH, "demo-linkedin-oauth-token")],
    ),
    (
        1002,
        "Bayt",
        None,
        "Bayt – Dubai",
        [CredentialPlan("api_key", CredentialKind.SECRET, "demo-bayt-api-key")],
    ),
]


class DemoBoardMissing(Exception):
    """The provider's catalogue lists no board of this name (or the group already holds it)."""


def _demo_board_name(contract: Contract) -> str:
    return next((n for _, n, _, alias, _ in ACME_CONTRACTS if alias == contract.alias), "") or (
        contract.channel.name
    )


@transaction.atomic
def seed(*, log) -> None:
    acme = Organization.objects.filter(slug="acme-talent").first()
    if acme is None:
        log("no Acme Talent organisation: skipped contracts")
        return
    if not acme.my_own_contracts_enabled:
        acme.my_own_contracts_enabled = True
        acme.save(update_fields=["my_own_contracts_enabled", "updated_at"])
    admin = User.objects.filter(email="admin@acme.test").first()
    default = contract_group_default(org=acme)
    created = 0
    for provider_id, name, group_name, alias, plans in ACME_CONTRACTS:
        # A board of that name already mirrored from the provider, else the sandbox's id
        # (registration finds the board by name in the provider's catalogue anyway).
        channel = (
            Channel.objects.filter(search_name=normalize_search(name), is_active=True)
            .order_by("provider_id")
            .first()
        )
        if channel is None:
            channel, _ = Channel.objects.get_or_create(
                provider_id=provider_id,
                defaults={"name": name, "search_name": normalize_search(name)},
            )
        group = default
        if group_name:
            group, _ = ContractGroup.objects.get_or_create(organization=acme, name=group_name)
        if Contract.objects.filter(group=group, channel=channel).exists():
            continue
        contract = Contract.objects.create(
            organization=acme,
            group=group,
            channel=channel,
            alias=alias,
            provider_contract_id=f"{PENDING_PREFIX}{uuid.uuid4()}",
            created_by=admin,
        )
        credentials_store(contract=contract, plans=plans)
        contract_record_event(
            contract=contract, by=admin, action=ContractAction.CREATED, detail="demo data"
        )
        created += 1
    log(f"Acme Talent: My Own Contracts enabled, {created} demo contract(s) created")
    if Contract.objects.filter(provider_contract_id__startswith=PENDING_PREFIX).exists():
        enqueue_on_commit("contracts.tasks.sync_demo_contracts")
        log("demo contracts will be registered with the sandbox once it answers")
    log("Initech Recruiting: My Own Contracts not enabled (walk the activation path)")


@sensitive_variables("credentials", "request")
def demo_contract_register(*, contract: Contract) -> Contract:
    """Register at the provider a contract that was saved locally first. Idempotent: a
    registered contract is left as it is, and one the provider already holds for that board
    and group is adopted.

    Credentials are sent without validation: demo values are not real accounts."""
    if not contract.is_pending_registration:
        return contract
    contract = _point_at_board_by_name(contract)
    client = provider_client(org=contract.organization, priority=Priority.BACKGROUND)
    details = channel_details(contract.channel.provider_id)
    request = ContractRequest(
        channel_id=contract.channel.provider_id,
        credentials=contract_credentials_reveal(contract=contract),
        alias=contract.alias or contract.channel.name,
        group_id=provider_group_ensure(contract.group).provider_group_id,
        followed_instructions=True if details.manual_setup_required else None,
        posting_duration_days=contract.posting_duration_days,
        validate_credentials=False,
    )
    remote = provider_contract_create_or_adopt(client, request)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not locked.is_pending_registration:  # registered meanwhile by another run
            if locked.provider_contract_id != str(remote.contract_id):
                provider_contract_forget(client, str(remote.contract_id))
            return locked
        for name, value in remote_contract_fields(remote, details).items():
            setattr(locked, name, value)
        locked.save()
    return locked


def _point_at_board_by_name(contract: Contract) -> Contract:
    """The contract, pointed at the provider's board of its demo board's name."""
    name = _demo_board_name(contract)
    channel = channel_find_by_name(name)
    if channel is None:
        raise DemoBoardMissing(f"the provider's catalogue lists no board named “{name}”")
    if channel.pk == contract.channel_id:
        return contract
    if Contract.objects.filter(group=contract.group, channel=channel).exists():
        raise DemoBoardMissing(f"the group “{contract.group}” already holds a {name} contract")
    contract.channel = channel
    contract.save(update_fields=["channel", "updated_at"])
    return contract


def demo_contract_set_aside(*, contract: Contract, reason: str) -> None:
    """A demo contract the provider cannot hold: needing attention, with the reason, and no
    longer tried (``sync_demo_contracts`` skips it)."""
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.NEEDS_ATTENTION, provider_errors=[reason]
    )
