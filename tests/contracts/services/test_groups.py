"""contracts/services/groups.py: contract groups, kept in step with the provider."""

import pytest
from django.core.exceptions import ValidationError

from contracts.models import ContractGroup
from contracts.services.contracts import contract_create
from contracts.services.groups import (
    contract_group_create,
    contract_group_default,
    contract_group_delete,
    contract_group_rename,
)
from distribution.client import provider_client
from tests.contracts.conftest import naukri_contract, remote_groups

pytestmark = pytest.mark.django_db


def test_the_default_group_is_the_providers_idx_0(provider, enabled_org, admin, boards):
    default = contract_group_default(org=enabled_org)
    contract = contract_create(
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


def test_groups_are_kept_in_step_with_the_provider(provider, enabled_org, admin, boards):
    group = contract_group_create(org=enabled_org, name="EMEA")
    assert remote_groups(enabled_org)["EMEA"].idx == group.provider_idx

    contract_group_rename(group=group, name="LinkedIn EMEA")
    assert "LinkedIn EMEA" in remote_groups(enabled_org)

    with pytest.raises(ValidationError, match="already exists"):
        contract_group_create(org=enabled_org, name="linkedin emea")

    contract_group_delete(group=group)
    assert not ContractGroup.objects.filter(pk=group.pk).exists()
    assert "LinkedIn EMEA" not in remote_groups(enabled_org)


def test_a_group_holding_contracts_and_the_default_group_cannot_be_deleted(
    provider, enabled_org, admin, boards
):
    contract = naukri_contract(enabled_org, admin, boards)
    with pytest.raises(ValidationError, match="Naukri"):
        contract_group_delete(group=contract.group)
    with pytest.raises(ValidationError, match="default group"):
        contract_group_delete(group=contract_group_default(org=enabled_org))
    assert "India" in remote_groups(enabled_org)
