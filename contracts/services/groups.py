"""Contract groups: folders of contracts, mirrored at the provider (its ``idx`` 0 is the
organisation's default group). A group holds at most one contract per job board."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from contracts.access import my_own_contracts_require
from contracts.models import DEFAULT_GROUP_STORED_NAME, Contract, ContractGroup
from contracts.refusals import provider_messages, provider_refusal_message
from distribution.client import ProviderClient, provider_client
from distribution.errors import ProviderError, ProviderNotFound, ProviderRejected
from distribution.messages import ProviderGroup

logger = logging.getLogger(__name__)


def contract_group_default(*, org: Organization) -> ContractGroup:
    """The organisation's default group, created on first need: when My Own Contracts is
    enabled, or by the first contract saved in it. Its provider ids are learnt on first use
    (``provider_group_ensure``)."""
    group = ContractGroup.objects.for_org(org).filter(is_default=True).first()
    if group is not None:
        return group
    try:
        with transaction.atomic():
            return ContractGroup.objects.create(
                organization=org, name=DEFAULT_GROUP_STORED_NAME, is_default=True, provider_idx=0
            )
    except IntegrityError:  # created concurrently, or a group already bears the name
        group = ContractGroup.objects.for_org(org).filter(is_default=True).first()
        if group is not None:
            return group
        return ContractGroup.objects.create(
            organization=org,
            name=_unused_name(org, DEFAULT_GROUP_STORED_NAME),
            is_default=True,
            provider_idx=0,
        )


def _unused_name(org: Organization, base: str) -> str:
    names = set(ContractGroup.objects.for_org(org).values_list("name", flat=True))
    suffix, name = 2, base
    while name in names:
        name, suffix = f"{base} {suffix}", suffix + 1
    return name


def _name_taken(name: str) -> ValidationError:
    return ValidationError({"name": _("A group named “%(name)s” already exists.") % {"name": name}})


def group_name_check(*, org: Organization, name: str, exclude: ContractGroup | None = None) -> str:
    """The cleaned name for a new or renamed group; refused when empty, too long or taken."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    clash = ContractGroup.objects.for_org(org).filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise _name_taken(name)
    return name


def provider_group_create_or_adopt(client: ProviderClient, name: str) -> ProviderGroup:
    """Create the group at the provider; when it already has one of that name (left by an
    earlier attempt whose answer was lost), adopt it."""
    try:
        return client.create_group(name)
    except ProviderRejected as error:
        if "name" not in (error.field_errors or {}):
            raise
        for group in client.list_groups():
            if group.name.lower() == name.lower():
                return group
        raise


def provider_group_ensure(group: ContractGroup) -> ContractGroup:
    """Fill in the provider's ids of a group when we do not know them yet (the default group
    is created locally; its provider ids are learnt on first use)."""
    if group.provider_group_id and group.provider_idx is not None:
        return group
    client = provider_client(org=group.organization)
    remote = None
    if group.is_default:
        remote = next((g for g in client.list_groups() if g.idx == 0), None)
    if remote is None:
        remote = provider_group_create_or_adopt(client, group.name)
    group.provider_group_id, group.provider_idx = str(remote.id), remote.idx
    group.save(update_fields=["provider_group_id", "provider_idx"])
    return group


def provider_group_forget(client: ProviderClient, remote_group: ProviderGroup | None) -> None:
    """Remove a group we created at the provider for a contract that could not be saved."""
    if remote_group is None:
        return
    try:
        client.delete_group(remote_group.idx)
    except ProviderError:
        # Left at the provider; a retry adopts it by name.
        logger.warning("could not remove provider group idx %s", remote_group.idx)


def _group_refusal(error: ProviderError) -> ValidationError:
    """The provider's refusal of a group write; what it says of the name goes to that field."""
    if isinstance(error, ProviderRejected):
        return ValidationError(
            {"name": provider_messages(error.field_errors.get("name", str(error)))}
        )
    return ValidationError(provider_refusal_message(error))


def contract_group_create(*, org: Organization, name: str) -> ContractGroup:
    my_own_contracts_require(org)
    name = group_name_check(org=org, name=name)
    try:
        remote = provider_group_create_or_adopt(provider_client(org=org), name)
    except ProviderError as error:
        raise _group_refusal(error) from None
    try:
        with transaction.atomic():
            return ContractGroup.objects.create(
                organization=org,
                name=name,
                provider_group_id=str(remote.id),
                provider_idx=remote.idx,
            )
    except IntegrityError:
        raise _name_taken(name) from None


def contract_group_rename(*, group: ContractGroup, name: str) -> ContractGroup:
    org = group.organization
    my_own_contracts_require(org)
    name = group_name_check(org=org, name=name, exclude=group)
    if name == group.name:
        return group
    try:
        idx = provider_group_ensure(group).provider_idx
        provider_client(org=org).rename_group(idx, name)
    except ProviderError as error:
        raise _group_refusal(error) from None
    group.name = name
    try:
        with transaction.atomic():
            group.save(update_fields=["name"])
    except IntegrityError:
        raise _name_taken(name) from None
    return group


def contract_group_delete_blockers(*, group: ContractGroup) -> list[str]:
    if group.is_default:
        return [_("The default group cannot be deleted.")]
    names = [str(contract) for contract in group.contracts.select_related("channel")]
    if names:
        return [
            _("This group still holds %(count)s contract(s): %(names)s. Delete them first.")
            % {"count": len(names), "names": ", ".join(names)}
        ]
    return []


def contract_group_delete(*, group: ContractGroup) -> None:
    my_own_contracts_require(group.organization)
    blockers = contract_group_delete_blockers(group=group)
    if blockers:
        raise ValidationError(blockers)
    if group.provider_idx is not None:
        try:
            provider_client(org=group.organization).delete_group(group.provider_idx)
        except ProviderNotFound:
            pass  # already gone at the provider
        except ProviderError as error:
            raise ValidationError(provider_refusal_message(error)) from None
    with transaction.atomic():
        if Contract.objects.filter(group=group).exists():  # one appeared meanwhile
            raise ValidationError(contract_group_delete_blockers(group=group))
        group.delete()
