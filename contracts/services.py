"""Every write on contract groups, contracts and their credentials.

Groups and contracts live at the provider too. A write that talks to the provider calls it
*outside* any database transaction (never hold a transaction open across HTTP), then saves
locally in one transaction; when the local save cannot happen, the provider-side object is
removed again, so a failure leaves nothing half-saved on our side.

Refusals are ``ValidationError``s whose dict keys are ``alias``, ``group``, ``new_group_name``,
``channel``, ``followed_instructions``, ``posting_duration_days``, ``credentials:<name>`` or
``__all__``; the messages are for the admin and never contain a credential value.
"""

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.models import Organization, User
from contracts import crypto
from contracts.access import AccessState, my_own_contracts_state
from contracts.credential_fields import credential_kind, hint_of
from contracts.models import (
    Contract,
    ContractAction,
    ContractCredential,
    ContractEvent,
    ContractGroup,
    ContractStatus,
    ContractSubmission,
    CredentialKind,
)
from distribution import errors as provider_errors
from distribution.client import provider_client
from distribution.messages import ContractRequest
from distribution.models import Channel
from distribution.ratelimit import Priority
from distribution.services import channel_details

logger = logging.getLogger(__name__)

DEFAULT_GROUP_NAME = "Default"
CREDENTIAL_FIELD_PREFIX = "credentials:"

# Checks that say why a contract cannot be deleted right now (e.g. live campaigns use it).
# Each returns human sentences; apps that use contracts append theirs in AppConfig.ready(),
# so that this app never imports them.
LIVE_USE_CHECKS: list[Callable[[Contract], list[str]]] = []


# --- provider errors, as the admin should read them -----------------------------------------


def _provider_refusal(error: provider_errors.ProviderError) -> ValidationError:
    """A provider failure as a refusal the admin can act on."""
    if isinstance(error, provider_errors.ProviderRateLimited):
        return ValidationError(
            _(
                "The job-distribution provider is busy right now. Nothing was saved; "
                "try again in %(seconds)s seconds."
            )
            % {"seconds": max(1, int(error.retry_after or 1))},
            code="provider_busy",
        )
    if isinstance(
        error, provider_errors.ProviderUnavailable | provider_errors.ProviderProtocolError
    ):
        return ValidationError(
            _("The job-distribution provider did not answer. Nothing was saved; try again."),
            code="provider_unavailable",
        )
    if isinstance(
        error, provider_errors.ProviderAuthenticationError | provider_errors.ProviderForbidden
    ):
        return ValidationError(
            _(
                "The job-distribution provider refused our connection. Nothing was saved; "
                "please contact support."
            ),
            code="provider_forbidden",
        )
    if isinstance(error, provider_errors.ProviderNotFound):
        return ValidationError(
            _("The job-distribution provider no longer knows this item."), code="provider_missing"
        )
    return ValidationError(
        _("The job-distribution provider refused the request: %(reason)s") % {"reason": str(error)},
        code="provider_refused",
    )


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value if not isinstance(item, dict | list)] or [str(value)]
    if isinstance(value, dict):
        return [f"{key}: {' '.join(_messages(inner))}" for key, inner in value.items()]
    return [str(value)]


def _rejection_to_errors(error: provider_errors.ProviderRejected) -> dict[str, list[str]]:
    """The provider's field errors keyed by our field names."""
    field_errors = error.field_errors or {}
    mapped: dict[str, list[str]] = {}
    for key, value in field_errors.items():
        if key == "credentials" and isinstance(value, dict):
            for name, inner in value.items():
                target = NON_FIELD_ERRORS if name == "non_field_errors" else name
                if target != NON_FIELD_ERRORS:
                    target = CREDENTIAL_FIELD_PREFIX + target
                mapped.setdefault(target, []).extend(_messages(inner))
        elif key == "channel_id":
            mapped.setdefault("channel", []).append(
                _("This job board is no longer available in the catalogue.")
            )
        elif key in {"alias", "posting_duration_days", "followed_instructions"}:
            mapped.setdefault(key, []).extend(_messages(value))
        elif key == "group_id":
            mapped.setdefault("group", []).extend(_messages(value))
        else:
            mapped.setdefault(NON_FIELD_ERRORS, []).extend(_messages(value))
    if not mapped:
        mapped[NON_FIELD_ERRORS] = [str(error)]
    return mapped


# --- groups --------------------------------------------------------------------------------


def _require_feature(org: Organization) -> None:
    if my_own_contracts_state(org) != AccessState.ENABLED:
        raise ValidationError(
            _("My Own Contracts is not enabled for your organisation."), code="not_enabled"
        )


def contract_group_default(*, org: Organization) -> ContractGroup:
    """The organisation's default group (the provider's idx 0), created on first need."""
    group = ContractGroup.objects.for_org(org).filter(is_default=True).first()
    if group is not None:
        return group
    try:
        with transaction.atomic():
            return ContractGroup.objects.create(
                organization=org, name=DEFAULT_GROUP_NAME, is_default=True, provider_idx=0
            )
    except IntegrityError:  # created concurrently, or a group already bears the name
        group = ContractGroup.objects.for_org(org).filter(is_default=True).first()
        if group is not None:
            return group
        return ContractGroup.objects.create(
            organization=org,
            name=_unused_name(org, DEFAULT_GROUP_NAME),
            is_default=True,
            provider_idx=0,
        )


def _unused_name(org: Organization, base: str) -> str:
    names = set(ContractGroup.objects.for_org(org).values_list("name", flat=True))
    suffix, name = 2, base
    while name in names:
        name, suffix = f"{base} {suffix}", suffix + 1
    return name


def _clean_group_name(org: Organization, name: str, *, exclude: ContractGroup | None = None):
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    clash = ContractGroup.objects.for_org(org).filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("A group named “%(name)s” already exists.") % {"name": name}}
        )
    return name


def _provider_group_adopt_or_create(client, name: str):
    """Create the group at the provider; when it already has one of that name (left by an
    earlier attempt whose answer was lost), adopt it."""
    try:
        return client.create_group(name)
    except provider_errors.ProviderRejected as error:
        if "name" not in (error.field_errors or {}):
            raise
        for group in client.list_groups():
            if group.name.lower() == name.lower():
                return group
        raise


def contract_group_create(*, org: Organization, name: str) -> ContractGroup:
    _require_feature(org)
    name = _clean_group_name(org, name)
    try:
        remote = _provider_group_adopt_or_create(provider_client(org=org), name)
    except provider_errors.ProviderRejected as error:
        raise ValidationError(
            {"name": _messages(error.field_errors.get("name", str(error)))}
        ) from None
    except provider_errors.ProviderError as error:
        raise _provider_refusal(error) from None
    try:
        with transaction.atomic():
            return ContractGroup.objects.create(
                organization=org,
                name=name,
                provider_group_id=str(remote.id),
                provider_idx=remote.idx,
            )
    except IntegrityError:
        raise ValidationError(
            {"name": _("A group named “%(name)s” already exists.") % {"name": name}}
        ) from None


def contract_group_rename(*, group: ContractGroup, name: str) -> ContractGroup:
    org = group.organization
    _require_feature(org)
    name = _clean_group_name(org, name, exclude=group)
    if name == group.name:
        return group
    try:
        idx = _ensure_provider_group(group).provider_idx
        provider_client(org=org).rename_group(idx, name)
    except provider_errors.ProviderRejected as error:
        raise ValidationError(
            {"name": _messages(error.field_errors.get("name", str(error)))}
        ) from None
    except provider_errors.ProviderError as error:
        raise _provider_refusal(error) from None
    group.name = name
    try:
        with transaction.atomic():
            group.save(update_fields=["name"])
    except IntegrityError:
        raise ValidationError(
            {"name": _("A group named “%(name)s” already exists.") % {"name": name}}
        ) from None
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
    _require_feature(group.organization)
    blockers = contract_group_delete_blockers(group=group)
    if blockers:
        raise ValidationError(blockers)
    if group.provider_idx is not None:
        try:
            provider_client(org=group.organization).delete_group(group.provider_idx)
        except provider_errors.ProviderNotFound:
            pass  # already gone at the provider
        except provider_errors.ProviderError as error:
            raise _provider_refusal(error) from None
    with transaction.atomic():
        if Contract.objects.filter(group=group).exists():  # one appeared meanwhile
            raise ValidationError(contract_group_delete_blockers(group=group))
        group.delete()


def _ensure_provider_group(group: ContractGroup) -> ContractGroup:
    """Fill in the provider's ids of a group when we do not know them yet (the default group
    is created locally; its provider id is learnt on first use)."""
    if group.provider_group_id and group.provider_idx is not None:
        return group
    client = provider_client(org=group.organization)
    remote = None
    if group.is_default:
        remote = next((g for g in client.list_groups() if g.idx == 0), None)
    if remote is None:
        remote = _provider_group_adopt_or_create(client, group.name)
    group.provider_group_id, group.provider_idx = str(remote.id), remote.idx
    group.save(update_fields=["provider_group_id", "provider_idx"])
    return group


# --- contracts -----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _CredentialPlan:
    """Credential values to store, with what the edit form may say about them."""

    name: str
    kind: str
    value: str = dataclasses.field(repr=False)

    @property
    def last4(self) -> str:
        return hint_of(self.kind, self.value)


@sensitive_variables("credentials", "value")
def _plan_credentials(
    definitions, credentials: dict[str, str], *, partial: bool
) -> list[_CredentialPlan]:
    plans, missing = [], {}
    for definition in definitions:
        value = (credentials.get(definition.name) or "").strip()
        if not value:
            if not partial:
                missing[CREDENTIAL_FIELD_PREFIX + definition.name] = (
                    _("Connect your account first.")
                    if definition.kind == CredentialKind.OAUTH
                    else _("This field is required.")
                )
            continue
        if definition.kind == CredentialKind.SELECT and definition.options:
            keys = {option.key for option in definition.options}
            if value not in keys:
                missing[CREDENTIAL_FIELD_PREFIX + definition.name] = _("Choose a valid option.")
                continue
        plans.append(_CredentialPlan(definition.name, credential_kind(definition), value))
    if missing:
        raise ValidationError(missing)
    return plans


def _store_credentials(contract: Contract, plans: list[_CredentialPlan]) -> None:
    for plan in plans:
        sealed = crypto.encrypt(plan.value)
        ContractCredential.objects.update_or_create(
            contract=contract,
            name=plan.name,
            defaults={
                "organization_id": contract.organization_id,
                "kind": plan.kind,
                "ciphertext": sealed.ciphertext,
                "key_id": sealed.key_id,
                "last4": plan.last4,
            },
        )


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return value


def _record(contract: Contract | None, *, org, by, action, detail="", label=None) -> ContractEvent:
    return ContractEvent.objects.create(
        organization=org,
        contract=contract,
        contract_label=(label or _contract_label(contract))[:250],
        action=action,
        detail=detail[:250],
        by=by,
    )


def _contract_label(contract: Contract) -> str:
    alias = f" “{contract.alias}”" if contract.alias else ""
    return f"{contract.channel.name}{alias} · {contract.group.name}"


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
) -> Contract:
    """Register a contract for ``channel`` with the provider and save it with its encrypted
    credentials, in ``group`` or in a new group named ``new_group_name``.

    Not one transaction on purpose: the provider is called between the local checks and the
    local save. ``nonce`` (one per form) makes a resubmission return the first contract.
    """
    _require_feature(org)
    if nonce:
        done = ContractSubmission.objects.for_org(org).filter(nonce=nonce).first()
        if done is not None and done.contract_id is not None:
            return done.contract  # this very form was already saved (double click, reload)
    if group is not None and group.organization_id != org.pk:
        raise ValidationError({"group": _("Choose one of your groups.")})
    if group is None:
        new_group_name = _clean_group_name(org, new_group_name)
    else:
        existing = (
            Contract.objects.for_org(org)
            .select_related("channel", "group")
            .filter(group=group, channel=channel)
            .first()
        )
        if existing is not None:
            raise _existing_contract_refusal(existing)
    if not channel.is_active:
        raise ValidationError({"channel": _("This job board is no longer available.")})
    alias = (alias or "").strip()[:100]

    try:
        details = channel_details(channel.provider_id)
    except provider_errors.ProviderNotFound:
        raise ValidationError(
            {"channel": _("This job board is no longer available in the catalogue.")}
        ) from None
    except provider_errors.ProviderError as error:
        raise _provider_refusal(error) from None
    if details.manual_setup_required and not followed_instructions:
        raise ValidationError(
            {"followed_instructions": _("Confirm that you followed the setup instructions.")}
        )
    plans = _plan_credentials(details.credentials, credentials, partial=False)

    claim = _claim_submission(org, nonce) if nonce else None
    if isinstance(claim, Contract):
        return claim
    try:
        contract = _register_contract(
            org=org,
            by=by,
            channel=channel,
            group=group,
            new_group_name=new_group_name,
            alias=alias,
            manual_setup=details.manual_setup_required,
            posting_duration_days=posting_duration_days,
            plans=plans,
            posting_requirements=[facet.to_dict() for facet in details.posting_requirements],
            claim=claim,
        )
    except BaseException:
        if claim is not None:
            ContractSubmission.objects.filter(pk=claim.pk, contract__isnull=True).delete()
        raise
    return contract


@sensitive_variables("plans", "request")
def _register_contract(
    *,
    org,
    by,
    channel,
    group,
    new_group_name,
    alias,
    manual_setup,
    posting_duration_days,
    plans,
    posting_requirements,
    claim,
) -> Contract:
    client = provider_client(org=org)
    created_remote_group = None
    try:
        if group is None:
            created_remote_group = _provider_group_adopt_or_create(client, new_group_name)
            remote_group_id = str(created_remote_group.id)
        else:
            remote_group_id = _ensure_provider_group(group).provider_group_id
        request = ContractRequest(
            channel_id=channel.provider_id,
            credentials={plan.name: plan.value for plan in plans},
            alias=alias or channel.name,
            group_id=remote_group_id,
            followed_instructions=True if manual_setup else None,
            posting_duration_days=posting_duration_days,
        )
        try:
            remote = client.create_contract(request)
        except provider_errors.ProviderRejected as error:
            remote = _adopt_orphan_contract(client, error, request)
            if remote is None:
                raise
    except provider_errors.ProviderRejected as error:
        _forget_remote_group(client, created_remote_group)
        raise ValidationError(_rejection_to_errors(error)) from None
    except provider_errors.ProviderError as error:
        _forget_remote_group(client, created_remote_group)
        raise _provider_refusal(error) from None

    try:
        with transaction.atomic():
            if group is None:
                group = ContractGroup.objects.create(
                    organization=org,
                    name=new_group_name,
                    provider_group_id=str(created_remote_group.id),
                    provider_idx=created_remote_group.idx,
                )
            contract = Contract.objects.create(
                organization=org,
                group=group,
                channel=channel,
                alias=alias,
                provider_contract_id=str(remote.contract_id),
                product_id=str(remote.product.product_id) if remote.product else "",
                posting_requirements=posting_requirements,
                posting_duration_days=posting_duration_days,
                status=ContractStatus.NEEDS_ATTENTION if remote.errors else ContractStatus.READY,
                provider_errors=_jsonable(list(remote.errors or [])),
                created_by=by,
            )
            _store_credentials(contract, plans)
            _record(contract, org=org, by=by, action=ContractAction.CREATED)
            if claim is not None:
                claim.contract = contract
                claim.save(update_fields=["contract"])
    except IntegrityError:
        # Another request saved the same board in the same group meanwhile: undo ours,
        # unless it adopted the very same provider contract.
        if not Contract.objects.filter(provider_contract_id=str(remote.contract_id)).exists():
            _forget_remote_contract(client, str(remote.contract_id))
        _forget_remote_group(client, created_remote_group)
        existing = (
            Contract.objects.for_org(org)
            .select_related("channel", "group")
            .filter(channel=channel, group__name=group.name if group else new_group_name)
            .first()
        )
        if existing is not None:
            raise _existing_contract_refusal(existing) from None
        raise ValidationError(_("The contract could not be saved. Try again.")) from None
    logger.info(
        "contract %s created for org %s on channel %s", contract.pk, org.pk, channel.provider_id
    )
    return contract


@sensitive_variables("request")
def _adopt_orphan_contract(client, error, request: ContractRequest):
    """The provider already holds this board in this group although we do not: an earlier
    attempt whose answer was lost (timeout) created it. Adopt it with the credentials just
    entered (validated again) instead of refusing the admin's retry."""
    if "group_id" not in (error.field_errors or {}) or error.status != 400:
        return None
    page = client.list_contracts(channel_id=request.channel_id, group_id=request.group_id)
    orphan = next((c for c in page.contracts if c.channel_id == request.channel_id), None)
    if orphan is None:
        return None
    logger.info("adopting provider contract %s left by an unanswered attempt", orphan.contract_id)
    return client.update_contract(
        orphan.contract_id, alias=request.alias, credentials=dict(request.credentials)
    )


def _forget_remote_group(client, remote_group) -> None:
    if remote_group is None:
        return
    try:
        client.delete_group(remote_group.idx)
    except provider_errors.ProviderError:
        # Left at the provider; a retry adopts it by name.
        logger.warning("could not remove provider group idx %s", remote_group.idx)


def _forget_remote_contract(client, provider_contract_id: str) -> None:
    try:
        client.delete_contract(provider_contract_id)
    except provider_errors.ProviderError:
        logger.warning("could not remove provider contract %s", provider_contract_id)


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
    _require_feature(org)
    changed: list[str] = []
    kwargs = {}
    if alias is not None and alias.strip() != contract.alias:
        kwargs["alias"] = alias.strip()[:100] or contract.channel.name
        changed.append("alias")
    plans: list[_CredentialPlan] = []
    if credentials:
        try:
            details = channel_details(contract.channel.provider_id)
        except provider_errors.ProviderError as error:
            raise _provider_refusal(error) from None
        plans = _plan_credentials(details.credentials, credentials, partial=True)
        if plans:
            kwargs["credentials"] = {plan.name: plan.value for plan in plans}
            changed.extend(plan.name for plan in plans)
    if not kwargs:
        return contract
    try:
        remote = provider_client(org=org).update_contract(contract.provider_contract_id, **kwargs)
    except provider_errors.ProviderRejected as error:
        raise ValidationError(_rejection_to_errors(error)) from None
    except provider_errors.ProviderError as error:
        raise _provider_refusal(error) from None
    with transaction.atomic():
        if "alias" in changed:
            contract.alias = alias.strip()[:100]
        errors = list(getattr(remote, "errors", None) or [])
        contract.status = ContractStatus.NEEDS_ATTENTION if errors else ContractStatus.READY
        contract.provider_errors = _jsonable(errors)
        contract.save(update_fields=["alias", "status", "provider_errors", "updated_at"])
        _store_credentials(contract, plans)
        _record(
            contract,
            org=org,
            by=by,
            action=ContractAction.CHANGED,
            detail=_("changed: %(fields)s") % {"fields": ", ".join(changed)},
        )
    return contract


def contract_delete_blockers(*, contract: Contract) -> list[str]:
    """Why ``contract`` cannot be deleted now (empty when it can), from LIVE_USE_CHECKS."""
    reasons: list[str] = []
    for check in LIVE_USE_CHECKS:
        reasons.extend(check(contract))
    return reasons


def contract_delete(*, contract: Contract, by: User) -> None:
    org = contract.organization
    _require_feature(org)
    blockers = contract_delete_blockers(contract=contract)
    if blockers:
        raise ValidationError(blockers, code="in_use")
    try:
        provider_client(org=org).delete_contract(contract.provider_contract_id)
    except provider_errors.ProviderNotFound:
        pass  # already gone at the provider
    except provider_errors.ProviderError as error:
        raise _provider_refusal(error) from None
    with transaction.atomic():
        label = _contract_label(contract)
        _record(contract, org=org, by=by, action=ContractAction.DELETED, label=label)
        contract.delete()


def contract_record_use(*, contract: Contract, by: User | None, campaign_reference: str):
    """For the campaigns app: the contract was used to order ``campaign_reference``."""
    return _record(
        contract,
        org=contract.organization,
        by=by,
        action=ContractAction.USED,
        detail=str(campaign_reference),
    )


def contract_credentials_reveal(*, contract: Contract) -> dict[str, str]:
    """The decrypted credentials, only to send them to the provider again. Raises
    ``crypto.CredentialDecryptionError`` when one cannot be opened."""
    return {
        credential.name: crypto.decrypt(crypto.Sealed(credential.key_id, credential.ciphertext))
        for credential in contract.credentials.all()
    }


# --- key rotation --------------------------------------------------------------------------


@dataclass
class RotationResult:
    rotated: int = 0
    unchanged: int = 0
    failed: list[int] = dataclasses.field(default_factory=list)


def credentials_rotate() -> RotationResult:
    """Re-encrypt every stored credential under the newest key. A value that cannot be opened
    is reported by id and left as it is; the others are still rotated."""
    result = RotationResult()
    newest = crypto.keyring().newest_id
    for credential in ContractCredential.objects.only("pk", "key_id", "ciphertext").iterator():
        if credential.key_id == newest:
            result.unchanged += 1
            continue
        try:
            sealed = crypto.reseal(crypto.Sealed(credential.key_id, credential.ciphertext))
        except crypto.CredentialDecryptionError:
            result.failed.append(credential.pk)
            continue
        # Only replace the value we read: a concurrent edit wins.
        ContractCredential.objects.filter(
            pk=credential.pk, key_id=credential.key_id, ciphertext=credential.ciphertext
        ).update(key_id=sealed.key_id, ciphertext=sealed.ciphertext)
        result.rotated += 1
    return result


# --- contracts saved before the provider knew them (demo data) -------------------------------


def contract_is_pending(contract: Contract) -> bool:
    return contract.is_pending_registration


@sensitive_variables("credentials", "request")
def contract_register_pending(*, contract: Contract) -> Contract:
    """Register at the provider a contract that was saved locally first (demo data is
    seeded while the sandbox is not running). Idempotent: a registered contract is left as
    it is, and one the provider already holds for that board and group is adopted.

    Credentials are sent without validation: demo values are not real accounts."""
    if not contract_is_pending(contract):
        return contract
    org = contract.organization
    client = provider_client(org=org, priority=Priority.BACKGROUND)
    details = channel_details(contract.channel.provider_id)
    credentials = contract_credentials_reveal(contract=contract)
    group = _ensure_provider_group(contract.group)
    request = ContractRequest(
        channel_id=contract.channel.provider_id,
        credentials=credentials,
        alias=contract.alias or contract.channel.name,
        group_id=group.provider_group_id,
        followed_instructions=True if details.manual_setup_required else None,
        posting_duration_days=contract.posting_duration_days,
        validate_credentials=False,
    )
    try:
        remote = client.create_contract(request)
    except provider_errors.ProviderRejected as error:
        remote = _adopt_orphan_contract(client, error, request)
        if remote is None:
            raise
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not contract_is_pending(locked):  # registered meanwhile by another run
            if locked.provider_contract_id != str(remote.contract_id):
                _forget_remote_contract(client, str(remote.contract_id))
            return locked
        locked.provider_contract_id = str(remote.contract_id)
        locked.product_id = str(remote.product.product_id) if remote.product else ""
        locked.posting_requirements = [facet.to_dict() for facet in details.posting_requirements]
        locked.status = ContractStatus.NEEDS_ATTENTION if remote.errors else ContractStatus.READY
        locked.provider_errors = _jsonable(list(remote.errors or []))
        locked.save()
    return locked
