import pytest
from django.core.exceptions import ValidationError

from contracts import crypto, services
from contracts.models import (
    Contract,
    ContractAction,
    ContractCredential,
    ContractEvent,
    ContractGroup,
    ContractStatus,
    ContractSubmission,
)
from contracts.selectors import contracts_for_sourcing
from distribution.client import provider_client
from distribution.errors import ProviderNotFound
from tests.contracts.conftest import LINKEDIN, sandbox_oauth_token
from tests.contracts.factories import ChannelFactory

pytestmark = pytest.mark.django_db

NAUKRI_CREDENTIALS = {"username": "acme-india", "password": "n4ukri-pass"}


def _naukri(org, admin, boards, **kwargs):
    kwargs.setdefault("credentials", dict(NAUKRI_CREDENTIALS))
    if "group" not in kwargs:
        kwargs.setdefault("new_group_name", "India")
    return services.contract_create(org=org, by=admin, channel=boards["naukri"], **kwargs)


def _remote_groups(org):
    return {g.name: g for g in provider_client(org=org).list_groups()}


def _remote_contracts(org):
    return provider_client(org=org).list_contracts().contracts


def test_a_contract_in_a_new_group_is_registered_and_stored_encrypted(
    provider, enabled_org, admin, boards
):
    contract = _naukri(enabled_org, admin, boards, alias="Naukri India")

    assert contract.group.name == "India"
    assert contract.status == ContractStatus.READY
    assert contract.product_id
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert remote.alias == "Naukri India"
    assert remote.group.id == contract.group.provider_group_id
    assert "India" in _remote_groups(enabled_org)

    stored = {c.name: c for c in ContractCredential.objects.filter(contract=contract)}
    assert set(stored) == {"username", "password"}
    assert stored["username"].last4 == "ndia"  # a non-secret identifier
    assert stored["password"].last4 == ""  # never for secrets
    for credential in stored.values():
        assert NAUKRI_CREDENTIALS[credential.name] not in credential.ciphertext
    assert services.contract_credentials_reveal(contract=contract) == NAUKRI_CREDENTIALS
    [event] = ContractEvent.objects.filter(contract=contract)
    assert (event.action, event.by) == (ContractAction.CREATED, admin)


def test_the_default_group_is_the_providers_idx_0(provider, enabled_org, admin, boards):
    default = services.contract_group_default(org=enabled_org)
    contract = services.contract_create(
        org=enabled_org,
        by=admin,
        channel=boards["bayt"],
        group=default,
        credentials={"api_key": "bayt-key-123"},
    )
    default.refresh_from_db()
    assert default.is_default and default.provider_idx == 0
    remote = provider_client(org=enabled_org).get_contract(contract.provider_contract_id)
    assert remote.group.idx == 0


def test_an_oauth_contract_uses_the_token_from_the_consent_page(
    provider, enabled_org, admin, boards
):
    token = sandbox_oauth_token(provider, LINKEDIN)
    contract = services.contract_create(
        org=enabled_org,
        by=admin,
        channel=boards["linkedin"],
        group=services.contract_group_default(org=enabled_org),
        credentials={"access_token": token},
    )
    credential = ContractCredential.objects.get(contract=contract)
    assert credential.kind == "oauth" and credential.last4 == ""
    assert token not in credential.ciphertext


def test_a_rejected_credential_lands_at_its_field_and_nothing_is_saved(
    provider, enabled_org, admin, boards
):
    with pytest.raises(ValidationError) as refused:
        _naukri(enabled_org, admin, boards, credentials={"username": "a", "password": "wrong"})

    assert set(refused.value.message_dict) == {"credentials:password"}
    assert not Contract.objects.exists()
    assert not ContractGroup.objects.filter(name="India").exists()
    assert "India" not in _remote_groups(enabled_org)  # the group made for it was removed
    assert _remote_contracts(enabled_org) == []


def test_a_second_contract_for_a_board_in_a_group_is_refused_before_the_provider(
    provider, enabled_org, admin, boards
):
    first = _naukri(enabled_org, admin, boards, alias="Main account")
    posts_before = len(provider.sent_to("POST", "/contracts/"))

    with pytest.raises(ValidationError) as refused:
        _naukri(enabled_org, admin, boards, group=first.group, alias="Second account")

    [message] = refused.value.message_dict["group"]
    assert "Main account" in message and "another group" in message
    assert len(provider.sent_to("POST", "/contracts/")) == posts_before
    assert Contract.objects.count() == 1


def test_the_same_board_in_another_group_is_accepted(provider, enabled_org, admin, boards):
    _naukri(enabled_org, admin, boards)
    _naukri(enabled_org, admin, boards, new_group_name="India 2")
    assert Contract.objects.count() == 2
    assert len(_remote_contracts(enabled_org)) == 2


def test_a_provider_that_does_not_answer_saves_nothing_and_the_retry_works(
    provider, enabled_org, admin, boards
):
    provider.add_fault(kind="error", method="POST", path="/contracts/", status=503, times=1)
    with pytest.raises(ValidationError) as refused:
        _naukri(enabled_org, admin, boards, nonce="form-1")
    assert "did not answer" in refused.value.messages[0]
    assert not Contract.objects.exists()
    assert not ContractGroup.objects.filter(name="India").exists()
    assert not ContractSubmission.objects.exists()  # the same form may be sent again

    contract = _naukri(enabled_org, admin, boards, nonce="form-1")
    assert Contract.objects.get() == contract


def test_a_lost_answer_is_adopted_on_retry_without_a_duplicate(
    provider, settings, enabled_org, admin, boards
):
    settings.PROVIDER_READ_TIMEOUT = 0.5
    group = services.contract_group_create(org=enabled_org, name="India")
    provider.add_fault(
        kind="drop", method="POST", path="/contracts/", times=1, after_processing=True
    )
    with pytest.raises(ValidationError):
        _naukri(enabled_org, admin, boards, group=group)
    assert not Contract.objects.exists()
    assert len(_remote_contracts(enabled_org)) == 1  # the provider did create it

    contract = _naukri(enabled_org, admin, boards, group=group, alias="Retried")

    [remote] = _remote_contracts(enabled_org)
    assert remote.contract_id == contract.provider_contract_id
    assert remote.alias == "Retried"


def test_rate_limiting_says_when_to_try_again(provider, enabled_org, admin, boards):
    group = services.contract_group_create(org=enabled_org, name="India")
    provider.add_fault(kind="ratelimit", method="POST", path="/contracts/", seconds=7, times=1)
    with pytest.raises(ValidationError) as refused:
        _naukri(enabled_org, admin, boards, group=group)
    assert "7 seconds" in refused.value.messages[0]
    assert not Contract.objects.exists()


def test_a_board_removed_from_the_catalogue_is_refused(provider, enabled_org, admin):
    gone = ChannelFactory(provider_id=987654, name="Gone Board")
    with pytest.raises(ValidationError) as refused:
        services.contract_create(
            org=enabled_org,
            by=admin,
            channel=gone,
            group=services.contract_group_default(org=enabled_org),
            credentials={"api_key": "x"},
        )
    assert "no longer available" in refused.value.message_dict["channel"][0]
    gone.refresh_from_db()
    assert not gone.is_active


def test_the_same_form_nonce_never_creates_a_second_contract(provider, enabled_org, admin, boards):
    first = _naukri(enabled_org, admin, boards, nonce="nonce-42")
    again = _naukri(enabled_org, admin, boards, nonce="nonce-42")
    assert again == first
    assert len(_remote_contracts(enabled_org)) == 1


def test_manual_setup_must_be_acknowledged(provider, enabled_org, admin, boards):
    group = services.contract_group_default(org=enabled_org)
    kwargs = {"org": enabled_org, "by": admin, "channel": boards["vdab"], "group": group}
    with pytest.raises(ValidationError) as refused:
        services.contract_create(credentials={"api_key": "vdab-key"}, **kwargs)
    assert "followed_instructions" in refused.value.message_dict
    contract = services.contract_create(
        credentials={"api_key": "vdab-key"}, followed_instructions=True, **kwargs
    )
    assert contract.pk


def test_the_feature_must_be_enabled(provider, org, admin, boards):
    with pytest.raises(ValidationError, match="not enabled"):
        _naukri(org, admin, boards)


def test_groups_are_kept_in_step_with_the_provider(provider, enabled_org, admin, boards):
    group = services.contract_group_create(org=enabled_org, name="EMEA")
    assert _remote_groups(enabled_org)["EMEA"].idx == group.provider_idx

    services.contract_group_rename(group=group, name="LinkedIn EMEA")
    assert "LinkedIn EMEA" in _remote_groups(enabled_org)

    with pytest.raises(ValidationError, match="already exists"):
        services.contract_group_create(org=enabled_org, name="linkedin emea")

    services.contract_group_delete(group=group)
    assert not ContractGroup.objects.filter(pk=group.pk).exists()
    assert "LinkedIn EMEA" not in _remote_groups(enabled_org)


def test_a_group_holding_contracts_and_the_default_group_cannot_be_deleted(
    provider, enabled_org, admin, boards
):
    contract = _naukri(enabled_org, admin, boards)
    with pytest.raises(ValidationError, match="Naukri"):
        services.contract_group_delete(group=contract.group)
    with pytest.raises(ValidationError, match="default group"):
        services.contract_group_delete(group=services.contract_group_default(org=enabled_org))
    assert "India" in _remote_groups(enabled_org)


def test_editing_replaces_given_values_and_keeps_empty_ones(provider, enabled_org, admin, boards):
    contract = _naukri(enabled_org, admin, boards)
    old_username = ContractCredential.objects.get(contract=contract, name="username").ciphertext

    services.contract_update(
        contract=contract, by=admin, alias="Renamed", credentials={"password": "new-pass-99"}
    )

    assert services.contract_credentials_reveal(contract=contract) == {
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
    contract = _naukri(enabled_org, admin, boards)
    with pytest.raises(ValidationError) as refused:
        services.contract_update(contract=contract, by=admin, credentials={"password": "wrong"})
    assert "credentials:password" in refused.value.message_dict
    assert services.contract_credentials_reveal(contract=contract)["password"] == "n4ukri-pass"


def test_deleting_is_blocked_by_live_use_checks(provider, enabled_org, admin, boards, monkeypatch):
    contract = _naukri(enabled_org, admin, boards)
    monkeypatch.setattr(
        services,
        "LIVE_USE_CHECKS",
        [lambda c: [f"Campaign “Backend engineer” uses {c.channel.name}."]],
    )
    with pytest.raises(ValidationError, match="Backend engineer"):
        services.contract_delete(contract=contract, by=admin)
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert provider_client(org=enabled_org).get_contract(contract.provider_contract_id)


def test_deleting_removes_it_at_the_provider_and_keeps_the_audit_trail(
    provider, enabled_org, admin, boards
):
    contract = _naukri(enabled_org, admin, boards)
    provider_id = contract.provider_contract_id
    services.contract_delete(contract=contract, by=admin)

    assert not Contract.objects.exists()
    assert not ContractCredential.objects.exists()
    with pytest.raises(ProviderNotFound):
        provider_client(org=enabled_org).get_contract(provider_id)
    actions = list(ContractEvent.objects.values_list("action", "contract", "contract_label"))
    assert (ContractAction.DELETED, None, "Naukri · India") in actions
    assert (ContractAction.CREATED, None, "Naukri · India") in actions


def test_record_use_writes_the_audit_trail(enabled_org, admin):
    from tests.contracts.factories import ContractFactory

    contract = ContractFactory(group__organization=enabled_org)
    event = services.contract_record_use(contract=contract, by=admin, campaign_reference="CMP-7")
    assert (event.action, event.detail, event.by, event.contract) == (
        ContractAction.USED,
        "CMP-7",
        admin,
        contract,
    )


def test_contracts_for_sourcing_runs_a_constant_number_of_queries(
    enabled_org, other_org, django_assert_max_num_queries
):
    from tests.contracts.factories import ContractFactory

    for _ in range(5):
        ContractFactory(group__organization=enabled_org)
    ContractFactory(group__organization=other_org)
    with django_assert_max_num_queries(1):
        contracts = contracts_for_sourcing(org=enabled_org)
        assert all(c.group.name and c.channel.name and c.status for c in contracts)
    assert len(contracts) == 5


def test_blockers_come_from_the_registered_checks(monkeypatch, enabled_org):
    from tests.contracts.factories import ContractFactory

    contract = ContractFactory(group__organization=enabled_org)
    assert services.contract_delete_blockers(contract=contract) == []
    monkeypatch.setattr(services, "LIVE_USE_CHECKS", [lambda c: ["one"], lambda c: ["two"]])
    assert services.contract_delete_blockers(contract=contract) == ["one", "two"]


def test_decryption_failure_never_returns_ciphertext(enabled_org):
    from tests.contracts.factories import ContractCredentialFactory

    credential = ContractCredentialFactory(contract__group__organization=enabled_org)
    ContractCredential.objects.filter(pk=credential.pk).update(key_id="unknown")
    with pytest.raises(crypto.CredentialDecryptionError) as failure:
        services.contract_credentials_reveal(contract=credential.contract)
    assert credential.ciphertext not in str(failure.value)
