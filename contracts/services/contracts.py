"""Contracts: a job board account of the organisation, registered at the provider in one of
its groups, with the board's credentials stored encrypted.

``provider_contract_create_or_adopt`` is the one way a contract comes to exist at the
provider, for a contract an admin adds (``contract_create``) and for one saved locally first
(demo data, ``contracts.demo``).
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import Organization, User
from contracts.access import my_own_contracts_require
from contracts.models import (
    Contract,
    ContractAction,
    ContractEvent,
    ContractGroup,
    ContractStatus,
    ContractSubmission,
)
from contracts.refusals import provider_messages, provider_refusal_message
from contracts.services.credentials import (
    CREDENTIAL_FIELD_PREFIX,
    CredentialPlan,
    credentials_plan,
    credentials_store,
)
from contracts.services.groups import (
    contract_group_default,
    group_name_check,
    provider_group_create_or_adopt,
    provider_group_ensure,
    provider_group_forget,
)
from contracts.services.notices import contract_health_observe
from distribution.client import ProviderClient, provider_client
from distribution.errors import ProviderError, ProviderNotFound, ProviderRejected
from distribution.messages import ChannelDetail, ContractRequest, ProviderContract
from distribution.models import Channel
from distribution.services import channel_details

logger = logging.getLogger(__name__)

# Checks that say why a contract cannot be deleted right now (e.g. live campaigns use it).
# Each returns human sentences; apps that use contracts append theirs in AppConfig.ready(),
# so that this app never imports them.
LIVE_USE_CHECKS: list[Callable[[Contract], list[str]]] = []


# --- the provider's side -------------------------------------------------------------------


@sensitive_variables("request")
def provider_contract_create_or_adopt(
    client: ProviderClient, request: ContractRequest
) -> ProviderContract:
    """Create the contract at the provider. When the provider already holds this board in
    this group although we do not (an earlier attempt whose answer was lost created it), adopt
    that one with the credentials of ``request`` instead of refusing the retry."""
    try:
        return client.create_contract(request)
    except ProviderRejected as error:
        if "group_id" not in (error.field_errors or {}) or error.status != 400:
            raise
        page = client.list_contracts(channel_id=request.channel_id, group_id=request.group_id)
        orphan = next((c for c in page.contracts if c.channel_id == request.channel_id), None)
        if orphan is None:
            raise
        logger.info(
            "adopting provider contract %s left by an unanswered attempt", orphan.contract_id
        )
        return client.update_contract(
            orphan.contract_id, alias=request.alias, credentials=dict(request.credentials)
        )


def provider_contract_forget(client: ProviderClient, provider_contract_id: str) -> None:
    """Remove a contract we registered at the provider but could not keep."""
    try:
        client.delete_contract(provider_contract_id)
    except ProviderError:
        logger.warning("could not remove provider contract %s", provider_contract_id)


def remote_contract_fields(
    remote: ProviderContract, details: ChannelDetail, *, errors_fr: list[str]
) -> dict:
    """What we keep of the provider's answer: its ids, the board's posting requirements,
    and whether the board accepted the account (``errors_fr``: see remote_contract_state)."""
    return {
        "provider_contract_id": str(remote.contract_id),
        "product_id": str(remote.product.product_id) if remote.product else "",
        "posting_requirements": [facet.to_dict() for facet in details.posting_requirements],
        **remote_contract_state(remote, errors_fr=errors_fr),
    }


def remote_contract_state(remote: ProviderContract, *, errors_fr: list[str]) -> dict:
    """What may change at the provider after creation: whether the board still accepts the
    account (``errors``, with ``errors_fr`` their French words from remote_errors_french),
    the credits left, and the terms as the provider holds them."""
    return {
        "status": ContractStatus.NEEDS_ATTENTION if remote.errors else ContractStatus.READY,
        "provider_errors": _jsonable(list(remote.errors or [])),
        "provider_errors_fr": list(errors_fr),
        "credits": remote.credits,
        "expiry_date": remote.expiry_date,
        "purchase_price_amount": remote.purchase_price_amount,
        "purchase_price_currency": remote.purchase_price_currency,
        "checked_at": timezone.now(),
    }


def remote_errors_french(
    *, contract: Contract, remote: ProviderContract, client: ProviderClient
) -> list[str]:
    """The French words of the errors in ``remote`` (a read of ``contract``), to keep beside
    the English ones: those we hold when they are of exactly these errors, else the contract
    read once more through ``client``'s twin asking in French (its priority too: a
    background refresh stays background). The provider words its messages per
    Accept-Language, as it does its labels.

    No errors, no call: a healthy contract costs nothing more. A failed French read keeps
    the English words alone ([]), and the next read with errors asks again."""
    errors = _jsonable(list(remote.errors or []))
    if not errors:
        return []
    if contract.holds_french_errors_for(errors):
        return contract.provider_errors_french
    french_client = provider_client(
        org=contract.organization, language="fr", priority=client.transport.priority
    )
    try:
        french = french_client.get_contract(str(remote.contract_id)).errors
    except ProviderError as error:
        logger.warning("contract %s: no French words for its errors: %s", contract.pk, error)
        return []
    return french_errors_matching(errors, french, contract=contract)


def french_errors_matching(
    english: list[str], french: list[str], *, contract: Contract
) -> list[str]:
    """``french`` when it can be the French of ``english`` (one for one), else []: the errors
    changed between the two reads, and the next read asks again."""
    if len(french) != len(english):
        logger.info("contract %s: its errors changed between two reads", contract.pk)
        return []
    return [str(words) for words in french]


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def _rejection_to_errors(error: ProviderRejected) -> dict[str, list[str]]:
    """The provider's field errors keyed by our field names."""
    field_errors = error.field_errors or {}
    mapped: dict[str, list[str]] = {}
    for key, value in field_errors.items():
        if key == "credentials" and isinstance(value, dict):
            for name, inner in value.items():
                target = NON_FIELD_ERRORS if name == "non_field_errors" else name
                if target != NON_FIELD_ERRORS:
                    target = CREDENTIAL_FIELD_PREFIX + target
                mapped.setdefault(target, []).extend(provider_messages(inner))
        elif key == "channel_id":
            mapped.setdefault("channel", []).append(
                _("This job board is no longer available in the catalogue.")
            )
        elif key in {
            "alias",
            "posting_duration_days",
            "followed_instructions",
            "credits",
            "expiry_date",
        }:
            mapped.setdefault(key, []).extend(provider_messages(value))
        elif key == "group_id":
            mapped.setdefault("group", []).extend(provider_messages(value))
        elif key == "purchase_price" and isinstance(value, dict):
            for part, inner in value.items():
                target = {"amount": "purchase_price_amount"}.get(part, "purchase_price_currency")
                mapped.setdefault(target, []).extend(provider_messages(inner))
        else:
            mapped.setdefault(NON_FIELD_ERRORS, []).extend(provider_messages(value))
    if not mapped:
        mapped[NON_FIELD_ERRORS] = [str(error)]
    return mapped


def _details(channel: Channel) -> ChannelDetail:
    """The board's details, or a refusal saying why they cannot be had."""
    try:
        return channel_details(channel.provider_id)
    except ProviderNotFound:
        raise ValidationError(
            {"channel": _("This job board is no longer available in the catalogue.")}
        ) from None
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error)) from None


# --- the audit trail -----------------------------------------------------------------------


def contract_record_event(
    *,
    contract: Contract,
    by: User | None,
    action: str,
    detail: str = "",
    label: str | None = None,
) -> ContractEvent:
    return ContractEvent.objects.create(
        organization_id=contract.organization_id,
        contract=contract,
        contract_label=(label or _contract_label(contract))[:250],
        action=action,
        detail=detail[:250],
        by=by,
    )


def _contract_label(contract: Contract) -> str:
    alias = f" “{contract.alias}”" if contract.alias else ""
    return f"{contract.channel.name}{alias} · {contract.group.name}"


def contract_record_use(*, contract: Contract, by: User | None, campaign_reference: str):
    """For the campaigns app: the contract was used to order ``campaign_reference``."""
    return contract_record_event(
        contract=contract, by=by, action=ContractAction.USED, detail=str(campaign_reference)
    )


# --- adding a contract ---------------------------------------------------------------------


def _contract_on_board(*, org: Organization, channel: Channel, **group) -> Contract | None:
    """The organisation's contract for ``channel`` in the group given by ``group``."""
    return (
        Contract.objects.for_org(org)
        .select_related("channel", "group")
        .filter(channel=channel, **group)
        .first()
    )


def _existing_contract_refusal(existing: Contract) -> ValidationError:
    return ValidationError(
        {
            "group": _(
                "This group already holds a contract for %(board)s (“%(contract)s”). A group "
                "holds at most one contract per job board: choose or create another group "
                "(for example one group per account)."
            )
            % {"board": existing.channel.name, "contract": str(existing)}
        },
        code="duplicate_board",
    )


def _claim_submission(org: Organization, nonce: str) -> ContractSubmission | Contract:
    """Reserve the form's nonce. Returns the contract when this form was already saved."""
    try:
        with transaction.atomic():
            return ContractSubmission.objects.create(organization=org, nonce=nonce)
    except IntegrityError:
        previous = ContractSubmission.objects.for_org(org).filter(nonce=nonce).first()
        if previous is not None and previous.contract_id is not None:
            return previous.contract
        raise ValidationError(
            _("This form is already being submitted. Wait a moment and check your contracts."),
            code="in_flight",
        ) from None


def contract_terms_check(
    *,
    credits: int | None,
    expiry_date: datetime.date | None,
    purchase_price_amount: Decimal | None,
    purchase_price_currency: str,
) -> str:
    """Refuse terms the provider would refuse; returns the currency as sent (upper case)."""
    errors: dict[str, list[str]] = {}
    if credits is not None and credits < 0:
        errors["credits"] = [_("Credits cannot be negative.")]
    if expiry_date is not None and expiry_date < timezone.localdate():
        errors["expiry_date"] = [_("The expiry date is in the past.")]
    currency = (purchase_price_currency or "").strip().upper()
    if purchase_price_amount is not None:
        if purchase_price_amount < 0:
            errors["purchase_price_amount"] = [_("The price cannot be negative.")]
        if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
            errors["purchase_price_currency"] = [
                _("Give the price's currency as a three-letter code, e.g. EUR.")
            ]
    elif currency:
        errors["purchase_price_amount"] = [_("Give the amount of the price too.")]
    if errors:
        raise ValidationError(errors)
    return currency


@sensitive_variables("credentials", "plans", "request")
def contract_create(
    *,
    org: Organization,
    by: User,
    channel: Channel,
    credentials: dict[str, str],
    group: ContractGroup | None = None,
    new_group_name: str = "",
    alias: str = "",
    followed_instructions: bool = False,
    posting_duration_days: int = 30,
    nonce: str = "",
    credits: int | None = None,
    expiry_date: datetime.date | None = None,
    purchase_price_amount: Decimal | None = None,
    purchase_price_currency: str = "",
) -> Contract:
    """Register a contract for ``channel`` with the provider and save it with its encrypted
    credentials: in ``group``, in a new group named ``new_group_name``, or (neither given)
    in the organisation's default group. ``credits``, ``expiry_date`` and the purchase price
    are optional and sent at creation: the provider does not let them change afterwards.

    Not one transaction on purpose: the provider is called between the local checks and the
    local save. ``nonce`` (one per form) makes a resubmission return the first contract.
    """
    my_own_contracts_require(org)
    if nonce:
        done = ContractSubmission.objects.for_org(org).filter(nonce=nonce).first()
        if done is not None and done.contract_id is not None:
            return done.contract  # this very form was already saved (double click, reload)
    if group is not None and group.organization_id != org.pk:
        raise ValidationError({"group": _("Choose one of your groups.")})
    if group is None and new_group_name:
        new_group_name = group_name_check(org=org, name=new_group_name)
    elif group is None:
        group = contract_group_default(org=org)
    if group is not None:
        existing = _contract_on_board(org=org, channel=channel, group__pk=group.pk)
        if existing is not None:
            raise _existing_contract_refusal(existing)
    if not channel.is_active:
        raise ValidationError({"channel": _("This job board is no longer available.")})
    alias = (alias or "").strip()[:100]
    purchase_price_currency = contract_terms_check(
        credits=credits,
        expiry_date=expiry_date,
        purchase_price_amount=purchase_price_amount,
        purchase_price_currency=purchase_price_currency,
    )
    details = _details(channel)
    if details.manual_setup_required and not followed_instructions:
        raise ValidationError(
            {"followed_instructions": _("Confirm that you followed the setup instructions.")}
        )
    plans = credentials_plan(
        definitions=details.credentials, credentials=credentials, partial=False
    )

    # What the admin chose, saved once the provider has it (its group too, when new).
    contract = Contract(
        organization=org,
        group=group,
        channel=channel,
        alias=alias,
        posting_duration_days=posting_duration_days,
        credits=credits,
        expiry_date=expiry_date,
        purchase_price_amount=purchase_price_amount,
        purchase_price_currency=purchase_price_currency,
        created_by=by,
    )
    claim = _claim_submission(org, nonce) if nonce else None
    if isinstance(claim, Contract):
        return claim
    try:
        _register_contract(
            contract, new_group_name=new_group_name, details=details, plans=plans, claim=claim
        )
    except BaseException:
        if claim is not None:
            ContractSubmission.objects.filter(pk=claim.pk, contract__isnull=True).delete()
        raise
    return contract


@sensitive_variables("plans")
def _register_contract(
    contract: Contract,
    *,
    new_group_name: str,
    details: ChannelDetail,
    plans: list[CredentialPlan],
    claim: ContractSubmission | None,
) -> None:
    """Register the unsaved ``contract`` at the provider (in a new group named
    ``new_group_name`` when it has none yet), then save it with its credentials."""
    org, channel = contract.organization, contract.channel
    client = provider_client(org=org)
    created_remote_group = None
    try:
        if contract.group_id is None:
            created_remote_group = provider_group_create_or_adopt(client, new_group_name)
            remote_group_id = str(created_remote_group.id)
        else:
            remote_group_id = provider_group_ensure(contract.group).provider_group_id
        remote = provider_contract_create_or_adopt(
            client,
            ContractRequest(
                channel_id=channel.provider_id,
                credentials={plan.name: plan.value for plan in plans},
                alias=contract.alias or channel.name,
                group_id=remote_group_id,
                followed_instructions=True if details.manual_setup_required else None,
                posting_duration_days=contract.posting_duration_days,
                credits=contract.credits,
                expiry_date=contract.expiry_date,
                purchase_price_amount=contract.purchase_price_amount,
                purchase_price_currency=contract.purchase_price_currency,
            ),
        )
    except ProviderRejected as error:
        provider_group_forget(client, created_remote_group)
        raise ValidationError(_rejection_to_errors(error)) from None
    except ProviderError as error:
        provider_group_forget(client, created_remote_group)
        raise ValidationError(provider_refusal_message(error)) from None

    errors_fr = remote_errors_french(contract=contract, remote=remote, client=client)
    group_name = contract.group.name if contract.group_id else new_group_name
    try:
        with transaction.atomic():
            if created_remote_group is not None:
                contract.group = ContractGroup.objects.create(
                    organization=org,
                    name=new_group_name,
                    provider_group_id=str(created_remote_group.id),
                    provider_idx=created_remote_group.idx,
                )
            for name, value in remote_contract_fields(remote, details, errors_fr=errors_fr).items():
                setattr(contract, name, value)
            contract.save()
            credentials_store(contract=contract, plans=plans)
            contract_record_event(
                contract=contract, by=contract.created_by, action=ContractAction.CREATED
            )
            if claim is not None:
                claim.contract = contract
                claim.save(update_fields=["contract"])
    except IntegrityError:
        # Another request saved the same board in the same group meanwhile: undo ours,
        # unless it adopted the very same provider contract.
        if not Contract.objects.filter(provider_contract_id=str(remote.contract_id)).exists():
            provider_contract_forget(client, str(remote.contract_id))
        provider_group_forget(client, created_remote_group)
        existing = _contract_on_board(org=org, channel=channel, group__name=group_name)
        if existing is not None:
            raise _existing_contract_refusal(existing) from None
        raise ValidationError(_("The contract could not be saved. Try again.")) from None
    logger.info(
        "contract %s created for org %s on channel %s", contract.pk, org.pk, channel.provider_id
    )
    contract_health_observe(contract=contract)


# --- editing and deleting ------------------------------------------------------------------


@sensitive_variables("credentials", "plans")
def contract_update(
    *,
    contract: Contract,
    by: User,
    alias: str | None = None,
    credentials: dict[str, str] | None = None,
) -> Contract:
    """Change the alias and replace the credentials given; an empty value keeps the old one."""
    org = contract.organization
    my_own_contracts_require(org)
    changed: list[str] = []
    kwargs = {}
    if alias is not None and alias.strip() != contract.alias:
        kwargs["alias"] = alias.strip()[:100] or contract.channel.name
        changed.append("alias")
    plans: list[CredentialPlan] = []
    if credentials:
        try:
            details = channel_details(contract.channel.provider_id)
        except ProviderError as error:
            raise ValidationError(provider_refusal_message(error)) from None
        plans = credentials_plan(
            definitions=details.credentials, credentials=credentials, partial=True
        )
        if plans:
            kwargs["credentials"] = {plan.name: plan.value for plan in plans}
            changed.extend(plan.name for plan in plans)
    if not kwargs:
        return contract
    client = provider_client(org=org)
    try:
        remote = client.update_contract(contract.provider_contract_id, **kwargs)
    except ProviderRejected as error:
        raise ValidationError(_rejection_to_errors(error)) from None
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error)) from None
    errors_fr = remote_errors_french(contract=contract, remote=remote, client=client)
    with transaction.atomic():
        if "alias" in changed:
            contract.alias = alias.strip()[:100]
        state = remote_contract_state(remote, errors_fr=errors_fr)
        for name, value in state.items():
            setattr(contract, name, value)
        contract.save(update_fields=["alias", *state, "updated_at"])
        credentials_store(contract=contract, plans=plans)
        contract_record_event(
            contract=contract,
            by=by,
            action=ContractAction.CHANGED,
            detail=_("changed: %(fields)s") % {"fields": ", ".join(changed)},
        )
    contract_health_observe(contract=contract)
    return contract


def contract_delete_blockers(*, contract: Contract) -> list[str]:
    """Why ``contract`` cannot be deleted now (empty when it can), from LIVE_USE_CHECKS."""
    reasons: list[str] = []
    for check in LIVE_USE_CHECKS:
        reasons.extend(check(contract))
    return reasons


def contract_delete(*, contract: Contract, by: User) -> None:
    org = contract.organization
    my_own_contracts_require(org)
    blockers = contract_delete_blockers(contract=contract)
    if blockers:
        raise ValidationError(blockers, code="in_use")
    try:
        provider_client(org=org).delete_contract(contract.provider_contract_id)
    except ProviderNotFound:
        pass  # already gone at the provider
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error)) from None
    with transaction.atomic():
        label = _contract_label(contract)
        contract_record_event(contract=contract, by=by, action=ContractAction.DELETED, label=label)
        contract.delete()
