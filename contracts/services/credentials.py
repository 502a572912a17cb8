"""A contract's job-board credentials: checked against the board's definitions, stored
encrypted (``contracts.crypto``, a key id with each value), decrypted only to send them to
the provider again. A value is never logged, never rendered back and never used in a WHERE;
the edit form may only say that one is set (and, for plain text, its last four characters).
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from contracts import crypto
from contracts.credential_fields import credential_kind, hint_of
from contracts.models import Contract, ContractCredential, CredentialKind
from distribution.messages import CredentialDefinition

# Refusals about one credential are keyed "credentials:<name>" (the forms map them to inputs).
CREDENTIAL_FIELD_PREFIX = "credentials:"


@dataclass(frozen=True)
class CredentialPlan:
    """A credential value to store, with what the edit form may say about it."""

    name: str
    kind: str
    value: str = dataclasses.field(repr=False)

    @property
    def last4(self) -> str:
        return hint_of(self.kind, self.value)


@sensitive_variables("credentials", "value")
def credentials_plan(
    *,
    definitions: Iterable[CredentialDefinition],
    credentials: dict[str, str],
    partial: bool,
) -> list[CredentialPlan]:
    """The values to store for the board's ``definitions``; every one is required unless
    ``partial`` (an edit, where an empty value keeps the stored one)."""
    plans, missing = [], {}
    for definition in definitions:
        value = (credentials.get(definition.name) or "").strip()
        if not value:
            if not partial:
                missing[CREDENTIAL_FIELD_PREFIX + definition.name] = (
                    _("Connect your account first.")
                    if definition.kind == CredentialKind.OAUTH
                    else _("This field is required.")
                )
            continue
        if definition.kind == CredentialKind.SELECT and definition.options:
            keys = {option.key for option in definition.options}
            if value not in keys:
                missing[CREDENTIAL_FIELD_PREFIX + definition.name] = _("Choose a valid option.")
                continue
        plans.append(CredentialPlan(definition.name, credential_kind(definition), value))
    if missing:
        raise ValidationError(missing)
    return plans


def credentials_store(*, contract: Contract, plans: list[CredentialPlan]) -> None:
    """Encrypt and store each planned value, replacing the contract's value of that name."""
    for plan in plans:
        sealed = crypto.encrypt(plan.value)
        ContractCredential.objects.update_or_create(
            contract=contract,
            name=plan.name,
            defaults={
                "organization_id": contract.organization_id,
                "kind": plan.kind,
                "ciphertext": sealed.ciphertext,
                "key_id": sealed.key_id,
                "last4": plan.last4,
            },
        )


def contract_credentials_reveal(*, contract: Contract) -> dict[str, str]:
    """The decrypted credentials, only to send them to the provider again. Raises
    ``crypto.CredentialDecryptionError`` when one cannot be opened."""
    return {
        credential.name: crypto.decrypt(crypto.Sealed(credential.key_id, credential.ciphertext))
        for credential in contract.credentials.all()
    }
