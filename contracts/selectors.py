"""Reads shared by views, tasks and other apps; every one takes the organisation."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Organization
from contracts.models import (
    AccessRequest,
    AccessRequestMessage,
    AccessRequestStatus,
    Contract,
    ContractCredential,
    ContractEvent,
    ContractGroup,
)


def contract_groups(*, org: Organization) -> QuerySet[ContractGroup]:
    """The organisation's groups, default first, each with ``contract_count``."""
    return ContractGroup.objects.for_org(org).annotate(contract_count=Count("contracts"))


def groups_holding_board(*, org: Organization, channel_id: int) -> set[int]:
    """The ids of the organisation's groups that already hold a contract for this board."""
    return set(
        Contract.objects.for_org(org)
        .filter(channel_id=channel_id)
        .values_list("group_id", flat=True)
    )


def contract_list(*, org: Organization) -> QuerySet[Contract]:
    """Contracts ordered by group (default first) then board, ready for the list page."""
    return (
        Contract.objects.for_org(org)
        .select_related("group", "channel", "created_by")
        .order_by("-group__is_default", "group__name", "channel__name", "pk")
    )


def contracts_for_sourcing(*, org: Organization) -> list[Contract]:
    """All the organisation's contracts with group and channel (``status`` and
    ``provider_errors`` are fields), in two queries whatever their number."""
    return list(contract_list(org=org))


def contract_get(*, org: Organization, contract_id: int) -> Contract:
    """The contract, or Http404 when it does not exist or belongs to another organisation."""
    return Contract.objects.select_related("group", "channel", "created_by").get_for_org_or_404(
        org, pk=contract_id
    )


def contract_group_get(*, org: Organization, group_id: int) -> ContractGroup:
    return ContractGroup.objects.get_for_org_or_404(org, pk=group_id)


def contract_credentials(*, contract: Contract) -> dict[str, ContractCredential]:
    """What is stored, by credential name (never decrypted here)."""
    return {credential.name: credential for credential in contract.credentials.all()}


def contract_events(*, org: Organization, contract: Contract) -> QuerySet[ContractEvent]:
    return ContractEvent.objects.for_org(org).filter(contract=contract).select_related("by")


def access_request_for_org(*, org: Organization) -> AccessRequest | None:
    return AccessRequest.objects.for_org(org).first()


def access_request_messages(*, access_request: AccessRequest) -> QuerySet[AccessRequestMessage]:
    return AccessRequestMessage.objects.filter(access_request=access_request).select_related(
        "author"
    )


def access_requests_for_support(*, status: str | None = AccessRequestStatus.OPEN):
    """Support staff's queue across organisations (not a tenant read: staff only)."""
    requests = AccessRequest.objects.select_related("organization", "opened_by").annotate(
        message_count=Count("messages")
    )
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-last_message_at", "-created_at")


def access_request_for_support(*, access_request_id: int) -> AccessRequest:
    return get_object_or_404(
        AccessRequest.objects.select_related(
            "organization", "opened_by", "enabled_by"
        ).prefetch_related(
            Prefetch("messages", queryset=AccessRequestMessage.objects.select_related("author"))
        ),
        pk=access_request_id,
    )
