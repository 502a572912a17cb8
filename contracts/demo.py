"""Demo contracts. Acme Talent has My Own Contracts enabled, two groups and three contracts of
different credential kinds; Initech Recruiting has not (its admin can walk the activation path).

The provider sandbox is not running while ``make run`` seeds, so the contracts are saved
locally with a ``pending-`` provider id and registered by the task
``contracts.tasks.sync_demo_contracts``, enqueued here on commit: the Celery worker runs it
once the sandbox answers (it retries with backoff until then).
"""

import uuid

from django.db import transaction

from accounts.models import Organization, User
from contracts import crypto, services
from contracts.credential_fields import hint_of
from contracts.models import (
    PENDING_PREFIX,
    Contract,
    ContractAction,
    ContractCredential,
    ContractEvent,
    ContractGroup,
    CredentialKind,
)
from contracts.tasks import sync_demo_contracts
from distribution.models import Channel

# (board provider id, name, group name or None for the default group, alias, credentials)
ACME_CONTRACTS = [
    (
        1001,
        "Naukri",
        "India",
        "Naukri – Bangalore office",
        [
            ("username", CredentialKind.TEXT, "acme-talent-india"),
            ("password", CredentialKind.SECRET, "demo-naukri-password"),
        ],
    ),
    (
        1004,
        "LinkedIn",
        None,
        "LinkedIn – company page",
        [("access_token", CredentialKind.OAUTH, "demo-linkedin-oauth-token")],
    ),
    (
        1002,
        "Bayt",
        None,
        "Bayt – Dubai",
        [("api_key", CredentialKind.SECRET, "demo-bayt-api-key")],
    ),
]


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
    default = services.contract_group_default(org=acme)
    created = 0
    for provider_id, name, group_name, alias, credentials in ACME_CONTRACTS:
        channel, _ = Channel.objects.get_or_create(
            provider_id=provider_id, defaults={"name": name, "search_name": name.lower()}
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
        for credential_name, kind, value in credentials:
            sealed = crypto.encrypt(value)
            ContractCredential.objects.create(
                organization=acme,
                contract=contract,
                name=credential_name,
                kind=kind,
                ciphertext=sealed.ciphertext,
                key_id=sealed.key_id,
                last4=hint_of(kind, value),
            )
        ContractEvent.objects.create(
            organization=acme,
            contract=contract,
            contract_label=f"{channel.name} “{alias}” · {group.name}",
            action=ContractAction.CREATED,
            detail="demo data",
            by=admin,
        )
        created += 1
    log(f"Acme Talent: My Own Contracts enabled, {created} demo contract(s) created")
    if Contract.objects.filter(provider_contract_id__startswith=PENDING_PREFIX).exists():
        transaction.on_commit(sync_demo_contracts.delay)
        log("demo contracts will be registered with the sandbox once it answers")
    log("Initech Recruiting: My Own Contracts not enabled (walk the activation path)")
