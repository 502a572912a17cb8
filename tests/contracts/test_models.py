import pytest
from django.db import IntegrityError, transaction

from contracts.models import Contract
from tests.contracts.factories import ChannelFactory, ContractFactory, ContractGroupFactory

pytestmark = pytest.mark.django_db


def test_a_group_holds_at_most_one_contract_per_board():
    first = ContractFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractFactory(group=first.group, channel=first.channel)
    assert Contract.objects.count() == 1


def test_the_same_board_in_another_group_is_fine():
    first = ContractFactory()
    other_group = ContractGroupFactory(organization=first.organization)
    ContractFactory(group=other_group, channel=first.channel)
    ContractFactory(group=first.group, channel=ChannelFactory())
    assert Contract.objects.count() == 3
