"""contracts/services/contracts.py: adding, editing and deleting contracts, against the
sandbox provider."""

import pytest
from django.core.exceptions import ValidationError

from contracts.models import (
    Contract,
    ContractAction,
    ContractCredential,
    ContractEvent,
    ContractGroup,
    ContractStatus,
    ContractSubmission,
)
from contracts.services import contracts as contracts_service
from contracts.services.contracts import (
    contract_create,
    contract_delete,
    contract_delete_blockers,
    contract_record_use,
    contract_update,
)
from contracts.services.credentials import contract_credentials_reveal
from contracts.services.groups import contract_group_create, contract_group_default
from distribution.client import provider_client
from distribution.errors import ProviderNotFound
from tests.contracts.conftest import (
    LINKEDIN,
    NAUKRI_CREDENTIALS,
    naukri_contract,
    remote_contracts,
    remote_groups,
    sandbox_oauth_token,
)
from tests.contracts.factories import ChannelFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_a_contract_in_a_new_group_is_registered_and_stored_encrypted(
    provider, enabled_org, admin, boards
):
    contract = naukri_contract(enabled_org, admin, boards, alias="Naukri India")

    assert contract.group.name == "India"
    assert contract.status == ContractStatus.READY
    assert contract.product_id
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert remote.alias == "Naukri India"
    assert remote.group.id == contract.group.provider_group_id
    assert "India" in remote_groups(enabled_org)

    stored = {c.name: c for c in ContractCredential.objects.filter(contract=contract)}
    assert set(stored) == {"username", "password"}
    assert stored["username"].last4 == "ndia"  # a non-secret identifier
    assert stored["password"].last4 == ""  # never for secrets
    for credential in stored.values():
        assert NAUKRI_CREDENTIALS[credential.name] not in credential.ciphertext
    assert contract_credentials_reveal(contract=contract) == NAUKRI_CREDENTIALS
    [event] = ContractEvent.objects.filter(contract=contract)
    assert (event.action, event.by) == (ContractAction.CREATED, admin)


def test_an_oauth_contract_uses_the_token_from_the_consent_page(
    provider, enabled_org, admin, boards
):
    token = sandbox_oauth_token(provider, LINKEDIN)
    contract = contract_create(
        org=enabled_org,
        by=admin,
        channel=boards["linkedin"],
        group=contract_group_default(org=enabled_org),
        credentials={"access_token": token},
    )
    credential = ContractCredential.objects.get(contract=contract)
    assert credential.kind == "oauth" and credential.last4 == ""
    assert token not in credential.ciphertext


def test_a_rejected_credential_lands_at_its_field_and_nothing_is_saved(
    provider, enabled_org, admin, boards
):
    with pytest.raises(ValidationError) as refused:
        naukri_contract(
            enabled_org, admin, boards, credentials={"username": "a", "password": "wrong"}
        )

    assert set(refused.value.message_dict) == {"credentials:password"}
    assert not Contract.objects.exists()
    assert not ContractGroup.objects.filter(name="India").exists()
    assert "India" not in remote_groups(enabled_org)  # the group made for it was removed
    assert remote_contracts(enabled_org) == []


def test_a_second_contract_for_a_board_in_a_group_is_refused_before_the_provider(
    provider, enabled_org, admin, boards
):
    first = naukri_contract(enabled_org, admin, boards, alias="Main account")
    posts_before = len(provider.sent_to("POST", "/contracts/"))

    with pytest.raises(ValidationError) as refused:
        naukri_contract(enabled_org, admin, boards, group=first.group, alias="Second account")

    [message] = refused.value.message_dict["group"]
    assert "Main account" in message and "another group" in message
    assert len(provider.sent_to("POST", "/contracts/")) == posts_before
    assert Contract.objects.count() == 1


def test_the_same_board_in_another_group_is_accepted(provider, enabled_org, admin, boards):
    naukri_contract(enabled_org, admin, boards)
    naukri_contract(enabled_org, admin, boards, new_group_name="India 2")
    assert Contract.objects.count() == 2
    assert len(remote_contracts(enabled_org)) == 2


def test_a_provider_that_does_not_answer_saves_nothing_and_the_retry_works(
    provider, enabled_org, admin, boards
):
    provider.add_fault(kind="error", method="POST", path="/contracts/", status=503, times=1)
    with pytest.raises(ValidationError) as refused:
        naukri_contract(enabled_org, admin, boards, nonce="form-1")
    assert "did not answer" in refused.value.messages[0]
    assert not Contract.objects.exists()
    assert not ContractGroup.objects.filter(name="India").exists()
    assert not ContractSubmission.objects.exists()  # the same form may be sent again

    contract = naukri_contract(enabled_org, admin, boards, nonce="form-1")
    assert Contract.objects.get() == contract


def test_a_lost_answer_is_adopted_on_retry_without_a_duplicate(
    provider, settings, enabled_org, admin, boards
):
    settings.PROVIDER_READ_TIMEOUT = 0.5
    group = contract_group_create(org=enabled_org, name="India")
    provider.add_fault(
        kind="drop", method="POST", path="/contracts/", times=1, after_processing=True
    )
    with pytest.raises(ValidationError):
        naukri_contract(enabled_org, admin, boards, group=group)
    assert not Contract.objects.exists()
    assert len(remote_contracts(enabled_org)) == 1  # the provider did create it

    contract = naukri_contract(enabled_org, admin, boards, group=group, alias="Retried")

    [remote] = remote_contracts(enabled_org)
    assert remote.contract_id == contract.provider_contract_id
    assert remote.alias == "Retried"


def test_rate_limiting_says_when_to_try_again(provider, enabled_org, admin, boards):
    group = contract_group_create(org=enabled_org, name="India")
    provider.add_fault(kind="ratelimit", method="POST", path="/contracts/", seconds=7, times=1)
    with pytest.raises(ValidationError) as refused:
        naukri_contract(enabled_org, admin, boards, group=group)
    assert "7 seconds" in refused.value.messages[0]
    assert not Contract.objects.exists()


def test_a_board_removed_from_the_catalogue_is_refused(provider, enabled_org, admin):
    gone = ChannelFactory(provider_id=987654, name="Gone Board")
    with pytest.raises(ValidationError) as refused:
        contract_create(
            org=enabled_org,
            by=admin,
            channel=gone,
            group=contract_group_default(org=enabled_org),
            credentials={"api_key": "x"},
        )
    assert "no longer available" in refused.value.message_dict["channel"][0]
    gone.refresh_from_db()
    assert not gone.is_active


def test_the_same_form_nonce_never_creates_a_second_contract(provider, enabled_org, admin, boards):
    first = naukri_contract(enabled_org, admin, boards, nonce="nonce-42")
    again = naukri_contract(enabled_org, admin, boards, nonce="nonce-42")
    assert again == first
    assert len(remote_contracts(enabled_org)) == 1


def test_manual_setup_must_be_acknowledged(provider, enabled_org, admin, boards):
    group = contract_group_default(org=enabled_org)
    kwargs = {"org": enabled_org, "by": admin, "channel": boards["vdab"], "group": group}
    with pytest.raises(ValidationError) as refused:
        contract_create(credentials={"api_key": "vdab-key"}, **kwargs)
    assert "followed_instructions" in refused.value.message_dict
    contract = contract_create(
        credentials={"api_key": "vdab-key"}, followed_instructions=True, **kwargs
    )
    assert contract.pk


def test_the_feature_must_be_enabled(provider, org, admin, boards):
    with pytest.raises(ValidationError, match="not enabled"):
        naukri_contract(org, admin, boards)


def test_editing_replaces_given_values_and_keeps_empty_ones(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    old_username = ContractCredential.objects.get(contract=contract, name="username").ciphertext

    contract_update(
        contract=contract, by=admin, alias="Renamed", credentials={"password": "new-pass-99"}
    )

    assert contract_credentials_reveal(contract=contract) == {
        "username": "acme-india",
        "password": "new-pass-99",
    }
    assert ContractCredential.objects.get(contract=contract, name="username").ciphertext == (
        old_username
    )
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert remote.alias == "Renamed"
    event = ContractEvent.objects.filter(contract=contract).first()
    assert event.action == ContractAction.CHANGED
    assert "password" in event.detail and "new-pass-99" not in event.detail


def test_an_edit_the_board_rejects_changes_nothing(provider, enabled_org, admin, boards):
    contract = naukri_contract(enabled_org, admin, boards)
    with pytest.raises(ValidationError) as refused:
        contract_update(contract=contract, by=admin, credentials={"password": "wrong"})
    assert "credentials:password" in refused.value.message_dict
    assert contract_credentials_reveal(contract=contract)["password"] == "n4ukri-pass"


def test_deleting_is_blocked_by_live_use_checks(provider, enabled_org, admin, boards, monkeypatch):
    contract = naukri_contract(enabled_org, admin, boards)
    monkeypatch.setattr(
        contracts_service,
        "LIVE_USE_CHECKS",
        [lambda c: [f"Campaign “Backend engineer” uses {c.channel.name}."]],
    )
    with pytest.raises(ValidationError, match="Backend engineer"):
        contract_delete(contract=contract, by=admin)
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert provider_client(org=enabled_org).get_contract(contract.provider_contract_id)


def test_deleting_removes_it_at_the_provider_and_keeps_the_audit_trail(
    provider, enabled_org, admin, boards
):
    contract = naukri_contract(enabled_org, admin, boards)
    provider_id = contract.provider_contract_id
    contract_delete(contract=contract, by=admin)

    assert not Contract.objects.exists()
    assert not ContractCredential.objects.exists()
    with pytest.raises(ProviderNotFound):
        provider_client(org=enabled_org).get_contract(provider_id)
    actions = list(ContractEvent.objects.values_list("action", "contract", "contract_label"))
    assert (ContractAction.DELETED, None, "Naukri · India") in actions
    assert (ContractAction.CREATED, None, "Naukri · India") in actions


def test_record_use_writes_the_audit_trail(enabled_org, admin):
    contract = ContractFactory(group__organization=enabled_org)
    event = contract_record_use(contract=contract, by=admin, campaign_reference="CMP-7")
    assert (event.action, event.detail, event.by, event.contract) == (
        ContractAction.USED,
        "CMP-7",
        admin,
        contract,
    )


def test_blockers_come_from_the_registered_checks(monkeypatch, enabled_org):
    contract = ContractFactory(group__organization=enabled_org)
    assert contract_delete_blockers(contract=contract) == []
    monkeypatch.setattr(
        contracts_service, "LIVE_USE_CHECKS", [lambda c: ["one"], lambda c: ["two"]]
    )
    assert contract_delete_blockers(contract=contract) == ["one", "two"]
