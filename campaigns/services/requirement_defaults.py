"""A contract's default values for its board's own requirements.

An admin sets them once per contract; the provider stores them as the contract's
``posting_requirements_defaults`` and returns them verbatim, but never applies them to an
order itself (its guides: "Defaults are not auto-applied"). So the wizard offers them: a
draft's board field with no value yet starts from the contract's default.

This lives in campaigns, not contracts, because the values are the wizard's own: kept as
the draft keeps them (a picked suggestion with its label) and sent as an order sends them
(``order_value``); contracts may not import campaigns.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from accounts.models import User
from campaigns.models import CampaignDraft
from campaigns.services.requirements import contract_facets, order_value
from contracts.access import my_own_contracts_require
from contracts.models import Contract, ContractAction
from contracts.refusals import provider_messages, provider_refusal_message
from contracts.services.contracts import contract_record_event
from distribution.client import provider_client
from distribution.errors import ProviderError, ProviderRejected
from distribution.messages.facets import is_empty_value

logger = logging.getLogger(__name__)

PROVIDER_FIELD = "posting_requirements_defaults"


def contract_requirement_defaults_set(*, contract: Contract, by: User, values: dict) -> Contract:
    """Replace the contract's defaults with ``values`` (the form's native values by facet
    name; an empty value means no default). The provider checks them as it checks an
    order's values; what it accepted is kept on the contract and recorded in the audit
    trail. A refusal raises ``ValidationError`` keyed by facet name, each message once; an
    outage raises one that says nothing was changed."""
    my_own_contracts_require(contract.organization)
    facets = {facet.name: facet for facet in contract_facets(contract) if facet.takes_value}
    wanted = {
        name: value
        for name, value in values.items()
        if name in facets and not (is_empty_value(value) and value != 0)
    }
    sent = {name: order_value(facets[name], value) for name, value in wanted.items()}
    sent = {name: value for name, value in sent.items() if value is not None}
    try:
        remote = provider_client(org=contract.organization).contract_set_requirement_defaults(
            contract.provider_contract_id, sent
        )
    except ProviderRejected as error:
        raise ValidationError(_refusal_errors(error, set(facets))) from None
    except ProviderError as error:
        raise ValidationError(provider_refusal_message(error), code="unavailable") from None
    accepted = {name: wanted[name] for name in remote.posting_requirements_defaults if name in sent}
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        previous = locked.requirement_defaults or {}
        changed = sorted(
            name
            for name in set(previous) | set(accepted)
            if previous.get(name) != accepted.get(name)
        )
        locked.requirement_defaults = accepted
        locked.save(update_fields=["requirement_defaults", "updated_at"])
        if changed:
            # Names only: a default may be free text, and the trail never holds values.
            contract_record_event(
                contract=locked, by=by, action=ContractAction.DEFAULTS, detail=", ".join(changed)
            )
    contract.requirement_defaults = accepted
    logger.info("requirement defaults of contract %s set: %s", contract.pk, ", ".join(changed))
    return contract


def _refusal_errors(error: ProviderRejected, names: set[str]) -> dict[str, list[str]]:
    """The provider's refusal at the facets it names; the rest (an unknown name, another
    field) as general errors. Each message once."""
    mapped: dict[str, list[str]] = {}
    for key, value in (error.field_errors or {}).items():
        if key == PROVIDER_FIELD and isinstance(value, dict):
            for name, inner in value.items():
                target = name if name in names else NON_FIELD_ERRORS
                mapped.setdefault(target, []).extend(provider_messages(inner))
        elif key != "errorDetails":
            mapped.setdefault(NON_FIELD_ERRORS, []).extend(provider_messages(value))
    if not mapped:
        mapped[NON_FIELD_ERRORS] = [provider_refusal_message(error)]
    return {target: list(dict.fromkeys(messages)) for target, messages in mapped.items()}


# --- the wizard ------------------------------------------------------------------------------


def draft_requirement_defaults(*, draft: CampaignDraft, contract: Contract) -> dict:
    """The contract's defaults that pre-fill this board's fields in the draft: those for
    fields the draft has no value for, until the recruiter has saved the step for this
    board once (from then on the draft holds their choice, a cleared default included). A
    value that Order again or Repost restored is a value: never replaced."""
    defaults = contract.requirement_defaults or {}
    if not defaults or str(contract.pk) in draft.data.get("requirements_saved", []):
        return {}
    current = draft.data.get("requirements", {}).get(str(contract.pk), {})
    return {
        name: value
        for name, value in defaults.items()
        if is_empty_value(current.get(name)) and current.get(name) != 0
    }


def values_from_default(contract: Contract, values: dict) -> set[str]:
    """The names whose value is the contract's default (the wizard says so beside them)."""
    defaults = contract.requirement_defaults or {}
    return {name for name, value in values.items() if name in defaults and defaults[name] == value}
