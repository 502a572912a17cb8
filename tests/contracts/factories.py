"""Factories for contracts. Every group, contract and credential leads to one organisation."""

import uuid

import factory

from contracts import crypto
from contracts.models import (
    AccessRequest,
    Contract,
    ContractCredential,
    ContractGroup,
    CredentialKind,
)
from distribution.models import Channel
from tests.factories import OrganizationFactory


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["provider_id"]

    provider_id = factory.Sequence(lambda n: 90000 + n)
    name = factory.Sequence(lambda n: f"Board {n}")
    search_name = factory.LazyAttribute(lambda o: o.name.lower())
    url = "https://board.example"
    type = "job board"


class ContractGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractGroup

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    provider_group_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    provider_idx = factory.Sequence(lambda n: n + 1)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    group = factory.SubFactory(ContractGroupFactory)
    organization = factory.SelfAttribute("group.organization")
    channel = factory.SubFactory(ChannelFactory)
    alias = factory.Sequence(lambda n: f"Account {n}")
    provider_contract_id = factory.LazyFunction(lambda: str(uuid.uuid4()))


class ContractCredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractCredential
        exclude = ["value"]

    contract = factory.SubFactory(ContractFactory)
    organization = factory.SelfAttribute("contract.organization")
    name = "api_key"
    kind = CredentialKind.SECRET
    value = "factory-secret"
    key_id = factory.LazyAttribute(lambda o: crypto.encrypt(o.value).key_id)
    ciphertext = factory.LazyAttribute(lambda o: crypto.encrypt(o.value).ciphertext)


class AccessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessRequest

    organization = factory.SubFactory(OrganizationFactory)
