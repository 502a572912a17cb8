"""contracts/services/credentials.py: stored values are opened only to send them again."""

import pytest

from contracts import crypto
from contracts.models import ContractCredential
from contracts.services.credentials import contract_credentials_reveal
from tests.contracts.factories import ContractCredentialFactory

pytestmark = pytest.mark.django_db


def test_decryption_failure_never_returns_ciphertext(enabled_org):
    credential = ContractCredentialFactory(contract__group__organization=enabled_org)
    ContractCredential.objects.filter(pk=credential.pk).update(key_id="unknown")
    with pytest.raises(crypto.CredentialDecryptionError) as failure:
        contract_credentials_reveal(contract=credential.contract)
    assert credential.ciphertext not in str(failure.value)
