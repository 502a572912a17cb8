"""Demo contracts. Acme Talent has My Own Contracts enabled, three groups and six contracts of
different credential kinds, whose terms show every health state (issue 15): one expiring in
10 days, one expired, one out of credits, one the board refuses (a provider error), prices on
several; Initech Recruiting has not (its admin can walk the activation path).

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

import datetime
import logging
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
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
from contracts.refusals import provider_refusal_message
from contracts.services.contracts import (
    contract_record_event,
    provider_contract_create_or_adopt,
    provider_contract_forget,
    remote_contract_fields,
    remote_errors_french,
)
from contracts.services.credentials import (
    CredentialPlan,
    contract_credentials_reveal,
    credentials_store,
)
from contracts.services.groups import contract_group_default, provider_group_ensure
from distribution.client import Priority, provider_client
from distribution.errors import (
    ProviderAuthenticationError,
    ProviderError,
    ProviderRateLimited,
    ProviderUnavailable,
)
from distribution.messages import ContractRequest
from distribution.models import Channel
from distribution.services import channel_details, channel_find_by_name, normalize_search

log = logging.getLogger(__name__)

# The error the demo's refused contract carries, as a board reports it.
DEMO_PROVIDER_ERROR = "Invalid credentials: the job board refused the login of this account."
# The same, as the provider words it in French (Accept-Language: fr).
DEMO_PROVIDER_ERROR_FR = (
    "Identifiants invalides : le site d’emploi a refusé la connexion de ce compte."
)


def _price(amount: str, currency: str) -> dict:
    return {"purchase_price_amount": Decimal(amount), "purchase_price_currency": currency}


# (board provider id, name, group name or None for the default group, alias, credentials,
# terms: expiry in days from today, credits, price; provider errors)
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
        {"expiry_in_days": 10, "credits": 20, **_price("450", "EUR")},
    ),
    (
        1004,
        "LinkedIn",
        None,
        "LinkedIn – company page",
        [CredentialPlan("access_token", CredentialKind.OAUTH, "demo-linkedin-oauth-token")],
        {"expiry_in_days": 300, "credits": 50, **_price("1200", "EUR")},
    ),
    (
        1002,
        "Bayt",
        None,
        "Bayt – Dubai",
        [CredentialPlan("api_key", CredentialKind.SECRET, "demo-bayt-api-key")],
        _price("300", "USD"),
    ),
    (
        1007,
        "SEEK",
        "India",
        "SEEK – Sydney (old login)",
        [CredentialPlan("api_key", CredentialKind.SECRET, "demo-seek-api-key")],
        {
            "provider_errors": [DEMO_PROVIDER_ERROR],
            "provider_errors_fr": [DEMO_PROVIDER_ERROR_FR],
            **_price("350", "AUD"),
        },
    ),
    (
        1003,
        "Computrabajo",
        "Previous accounts",
        "Computrabajo – 2025 package",
        [
            CredentialPlan("account_type", CredentialKind.SELECT, "standard"),
            CredentialPlan("account_id", CredentialKind.TEXT, "acme-mx-2025"),
            CredentialPlan("password", CredentialKind.SECRET, "demo-computrabajo-password"),
        ],
        {"expiry_in_days": -20, "credits": 5, **_price("150", "USD")},
    ),
    (
        1013,
        "Totaljobs",
        "Previous accounts",
        "Totaljobs – 10-ad pack",
        [
            CredentialPlan("username", CredentialKind.TEXT, "acme-uk"),
            CredentialPlan("password", CredentialKind.SECRET, "demo-totaljobs-password"),
        ],
        {"credits": 0, **_price("500", "GBP")},
    ),
]


class DemoBoardMissing(Exception):
    """The provider's catalogue lists no board of this name (or the group already holds it)."""


def _demo_board_name(contract: Contract) -> str:
    return next((n for _, n, _, alias, *_ in ACME_CONTRACTS if alias == contract.alias), "") or (
        contract.channel.name
    )


def _terms(terms: dict) -> dict:
    """The model fields of a demo contract's terms (dates counted from today)."""
    fields = dict(terms)
    days = fields.pop("expiry_in_days", None)
    if days is not None:
        fields["expiry_date"] = timezone.localdate() + datetime.timedelta(days=days)
    # A seeded provider error is not a status yet: the contract must still be registered
    # (a pending one needing attention is set aside); registration keeps the error.
    return fields


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
    for provider_id, name, group_name, alias, plans, terms in ACME_CONTRACTS:
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
            **_terms(terms),
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
        credits=contract.credits,
        expiry_date=contract.expiry_date,
        purchase_price_amount=contract.purchase_price_amount,
        purchase_price_currency=contract.purchase_price_currency,
    )
    remote = provider_contract_create_or_adopt(client, request)
    errors_fr = remote_errors_french(contract=contract, remote=remote, client=client)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not locked.is_pending_registration:  # registered meanwhile by another run
            if locked.provider_contract_id != str(remote.contract_id):
                provider_contract_forget(client, str(remote.contract_id))
            return locked
        seeded_errors = list(locked.provider_errors)
        seeded_errors_fr = list(locked.provider_errors_fr)
        for name, value in remote_contract_fields(remote, details, errors_fr=errors_fr).items():
            setattr(locked, name, value)
        if seeded_errors and not locked.provider_errors:
            # The demo's refused contract: the sandbox knows no refusal for it yet, so the
            # seeded one is kept; the seeding then tells the sandbox (campaigns/demo.py), so
            # that every later read finds it.
            locked.provider_errors = seeded_errors
            locked.provider_errors_fr = seeded_errors_fr
            locked.status = ContractStatus.NEEDS_ATTENTION
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
        status=ContractStatus.NEEDS_ATTENTION, provider_errors=[reason], provider_errors_fr=[]
    )


def demo_contracts_register_pending() -> None:
    """Register every demo contract still pending (``sync_demo_contracts``, and the demo
    campaigns' seeding before it orders). Raises ProviderUnavailable / ProviderRateLimited
    (worth retrying); a contract the provider refuses, or whose board its catalogue does not
    list, is set aside as needing attention and not tried again."""
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
