import logging

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts import crypto
from contracts.checks import credential_keys_check
from contracts.models import ContractCredential
from contracts.services.credentials import contract_credentials_reveal
from contracts.services.rotation import credentials_rotate
from tests.contracts.factories import ContractCredentialFactory, ContractFactory

KEY_OLD = Fernet.generate_key().decode()
KEY_NEW = Fernet.generate_key().decode()


@pytest.fixture
def old_key_only(settings):
    settings.CREDENTIAL_KEYS = f"old:{KEY_OLD}"


def test_values_are_sealed_with_the_newest_key_and_open_again(settings):
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW},old:{KEY_OLD}"
    sealed = crypto.encrypt("s3cr3t-value")
    assert sealed.key_id == "new"
    assert "s3cr3t-value" not in sealed.ciphertext
    assert "s3cr3t-value" not in repr(sealed)
    assert crypto.decrypt(sealed) == "s3cr3t-value"


def test_an_old_key_still_opens_its_values(settings, old_key_only):
    sealed = crypto.encrypt("kept")
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW},old:{KEY_OLD}"
    assert crypto.decrypt(sealed) == "kept"


def test_a_removed_key_raises_and_never_returns_ciphertext(settings, old_key_only, caplog):
    sealed = crypto.encrypt("gone")
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW}"
    with caplog.at_level(logging.ERROR), pytest.raises(crypto.CredentialDecryptionError) as info:
        crypto.decrypt(sealed)
    assert sealed.ciphertext not in str(info.value)
    assert "old" in caplog.text  # reported, with the key id
    assert sealed.ciphertext not in caplog.text


def test_a_wrong_key_under_the_same_id_raises(settings, old_key_only):
    sealed = crypto.encrypt("value")
    settings.CREDENTIAL_KEYS = f"old:{KEY_NEW}"
    with pytest.raises(crypto.CredentialDecryptionError):
        crypto.decrypt(sealed)


@pytest.mark.parametrize(
    "raw",
    ["nokey", "a:not-a-fernet-key", f"a:{KEY_OLD},a:{KEY_NEW}", ":" + KEY_OLD],
    # The keys are random: fixed ids keep the test names equal in every parallel process.
    ids=["no-key", "not-a-fernet-key", "duplicate-key-id", "empty-key-id"],
)
def test_malformed_key_lists_are_refused(raw):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keys(raw)


def test_production_without_keys_fails_the_deploy_check(settings):
    settings.CREDENTIAL_KEYS = ""
    settings.CREDENTIAL_DEV_KEY_ALLOWED = False
    assert [e.id for e in credential_keys_check(None)] == ["contracts.E001"]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    settings.CREDENTIAL_DEV_KEY_ALLOWED = True
    assert credential_keys_check(None) == []
    assert crypto.encrypt("x").key_id == crypto.DEV_KEY_ID


@pytest.mark.django_db
def test_rotation_reseals_everything_under_the_newest_key(settings, old_key_only):
    contract = ContractFactory()
    ContractCredentialFactory(contract=contract, name="username", value="alice")
    ContractCredentialFactory(contract=contract, name="password", value="hunter22")
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW},old:{KEY_OLD}"

    result = credentials_rotate()

    assert (result.rotated, result.unchanged, result.failed) == (2, 0, [])
    assert set(ContractCredential.objects.values_list("key_id", flat=True)) == {"new"}
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW}"  # the old key can now be dropped
    assert contract_credentials_reveal(contract=contract) == {
        "username": "alice",
        "password": "hunter22",
    }
    assert credentials_rotate().unchanged == 2


@pytest.mark.django_db
def test_rotation_command_reports_values_it_cannot_open(settings, old_key_only, capsys):
    good = ContractCredentialFactory(value="fine")
    broken = ContractCredentialFactory(value="lost")
    ContractCredential.objects.filter(pk=broken.pk).update(key_id="vanished")
    settings.CREDENTIAL_KEYS = f"new:{KEY_NEW},old:{KEY_OLD}"

    with pytest.raises(CommandError, match=str(broken.pk)):
        call_command("rotate_credentials")

    good.refresh_from_db()
    broken.refresh_from_db()
    assert good.key_id == "new"
    assert broken.key_id == "vanished"  # left as it was, not destroyed
    assert "1 re-encrypted" in capsys.readouterr().out


@pytest.mark.django_db
def test_reveal_raises_on_a_value_that_cannot_be_decrypted(settings, old_key_only):
    credential = ContractCredentialFactory(value="secret-x")
    ContractCredential.objects.filter(pk=credential.pk).update(ciphertext="gAAAAAgarbage")
    with pytest.raises(crypto.CredentialDecryptionError):
        contract_credentials_reveal(contract=credential.contract)
