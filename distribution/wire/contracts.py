"""Contract groups, contracts and facet autocomplete, both ways."""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from distribution.messages import (
    ContractPage,
    ContractRequest,
    FacetOption,
    ProviderContract,
    ProviderGroup,
    facets_from_list,
)
from distribution.values import number, text

from .catalogue import decode_product
from .decoding import ShapeError, field, moment, page_items, require_object

# The guides' spelling (``06-contracts/notes.md``). The OpenAPI document's
# ``CredentialsValidationEnum.IF_SUPPORTED`` is a generator artifact the guides never use.
VALIDATE_IF_SUPPORTED = "if_supported"


# --- groups ----------------------------------------------------------------------------------


def group_body(name: str) -> dict:
    """``POST /igb/contracts/groups/`` and ``PATCH .../{group_idx}/``."""
    return {"name": name}


def decode_group(item) -> ProviderGroup:
    item = require_object(item, "a contract group")
    idx = item.get("idx")
    if idx is None or isinstance(idx, bool) or number(idx, default=-1) < 0:
        raise ShapeError(f"a group's idx is {idx!r}", expected="a contract group with an 'idx'")
    return ProviderGroup(
        id=text(field(item, "id", "a contract group")),
        idx=number(idx),
        name=text(item.get("name")),
    )


def decode_groups(data) -> list[ProviderGroup]:
    """``GET /igb/contracts/groups/``: a list (a page is read too)."""
    return [decode_group(item) for item in page_items(data, "the group list")[0]]


# --- contracts -------------------------------------------------------------------------------


def contract_body(request: ContractRequest) -> dict:
    """``POST /contracts/``. ``credentials_validation`` is the guides' ``if_supported`` or
    left out (no check), ``followed_instructions`` only for boards that need it."""
    body: dict = {"channel_id": int(request.channel_id), "credentials": dict(request.credentials)}
    if request.validate_credentials:
        body["credentials_validation"] = VALIDATE_IF_SUPPORTED
    if request.alias:
        body["alias"] = request.alias
    if request.group_id:
        body["group_id"] = str(request.group_id)
    if request.followed_instructions is not None:
        body["followed_instructions"] = bool(request.followed_instructions)
    if request.posting_duration_days is not None:
        body["posting_duration_days"] = int(request.posting_duration_days)
    if request.credits is not None:
        body["credits"] = int(request.credits)
    if request.expiry_date is not None:
        # The guides type it a datetime: the start of the day, UTC.
        body["expiry_date"] = f"{request.expiry_date.isoformat()}T00:00:00Z"
    if request.purchase_price_amount is not None and request.purchase_price_currency:
        body["purchase_price"] = {
            "amount": float(request.purchase_price_amount),
            "currency": request.purchase_price_currency.upper(),
        }
    return body


def contract_update_body(
    *,
    alias: str | None = None,
    credentials: dict[str, str] | None = None,
    posting_duration_days: int | None = None,
    validate_credentials: bool = True,
) -> dict:
    """``PATCH /contracts/single/{contract_id}/``: only what changes."""
    body: dict = {}
    if alias is not None:
        body["alias"] = alias
    if credentials is not None:
        body["credentials"] = dict(credentials)
        if validate_credentials:
            body["credentials_validation"] = VALIDATE_IF_SUPPORTED
    if posting_duration_days is not None:
        body["posting_duration_days"] = int(posting_duration_days)
    return body


def decode_contract(item) -> ProviderContract:
    """A contract (create, get, update, and the list's summaries). Its
    ``posting_requirements`` is a list of facets in the guides and an object of labels in
    the OpenAPI document; summaries leave it out."""
    item = require_object(item, "a contract")
    group = item.get("group")
    days = item.get("posting_duration_days")
    labels, facets = _posting_requirements(item.get("posting_requirements"))
    credentials = item.get("credentials") or {}
    if not isinstance(credentials, Mapping):
        raise ShapeError("credentials is not an object", expected="credentials as an object")
    return ProviderContract(
        contract_id=text(field(item, "contract_id", "a contract")),
        channel_id=number(field(item, "channel_id", "a contract")),
        alias=text(item.get("alias")),
        group=decode_group(group) if group else None,
        product=decode_product(item.get("product")),
        posting_duration_days=None if days in (None, -1, "") else number(days),
        posting_requirements=labels,
        errors=[text(error) for error in item.get("errors") or []],
        errors_reported="errors" in item,
        credentials={text(k): text(v) for k, v in credentials.items()},
        facets=facets,
        posting_requirements_defaults=_requirement_defaults(item),
        **_terms(item),
    )


def _requirement_defaults(item: Mapping) -> dict[str, object]:
    """``posting_requirements_defaults``: an object, or null/absent for none. Only a
    convenience for forms, so a value we cannot read counts as none rather than failing the
    whole contract (its health and terms still matter)."""
    defaults = item.get("posting_requirements_defaults")
    if not isinstance(defaults, Mapping):
        return {}
    return {text(name): value for name, value in defaults.items()}


def requirement_defaults_body(defaults: Mapping[str, object]) -> dict:
    """``PATCH /contracts/single/{contract_id}/`` with the whole set of defaults: the
    provider replaces the object, so a name left out has no default any more."""
    return {"posting_requirements_defaults": dict(defaults)}


def _terms(item: Mapping) -> dict:
    """``credits``, ``expiry_date`` and ``purchase_price``: informative, so a value we
    cannot read is left unknown (None) rather than failing the whole contract."""
    credits = item.get("credits")
    if isinstance(credits, bool) or not isinstance(credits, int | float):
        credits = None
    expiry = moment(item.get("expiry_date"))
    price = item.get("purchase_price")
    amount, currency = None, ""
    if isinstance(price, Mapping):
        try:
            amount = Decimal(str(price.get("amount"))).quantize(Decimal("0.01"))
        except InvalidOperation:
            amount = None
        currency = text(price.get("currency")).upper()[:3] if amount is not None else ""
        if amount is not None and not amount.is_finite():
            amount, currency = None, ""
    return {
        "credits": None if credits is None else max(0, int(credits)),
        "expiry_date": expiry.astimezone(datetime.UTC).date() if expiry else None,
        "purchase_price_amount": amount,
        "purchase_price_currency": currency,
    }


def _posting_requirements(value) -> tuple[dict[str, str], list]:
    if value is None:
        return {}, []
    if isinstance(value, list):
        try:
            facets = facets_from_list(value)
        except ValueError as error:
            raise ShapeError(
                f"posting_requirements: {error}",
                expected="posting_requirements as a list of facets or an object of labels",
            ) from None
        return {facet.name: facet.label for facet in facets}, facets
    if isinstance(value, Mapping):
        return {text(name): text(label) for name, label in value.items()}, []
    raise ShapeError(
        f"posting_requirements is a {type(value).__name__}",
        expected="posting_requirements as a list of facets or an object of labels",
    )


def decode_contract_page(data) -> ContractPage:
    items, count, _has_next = page_items(data, "the contract list")
    contracts = [decode_contract(item) for item in items]
    return ContractPage(count=len(contracts) if count is None else count, contracts=contracts)


# --- autocomplete ----------------------------------------------------------------------------


def autocomplete_body(
    term: str | list[str] | None,
    *,
    campaign_id: str | None = None,
    credentials: dict[str, str] | None = None,
) -> dict:
    """``{term}`` (a list for multi-term facets); an empty body lists every option of a
    facet with a small fixed set; ``campaignId`` while editing a campaign; ``credentials``
    only when asking by channel id, before the contract exists."""
    body: dict = {}
    if term is not None and term != "":
        body["term"] = list(term) if isinstance(term, list | tuple) else str(term)
    if credentials:
        body["credentials"] = dict(credentials)
    if campaign_id:
        body["campaignId"] = str(campaign_id)
    return body


def contract_list_params(
    *,
    channel_id: int | None = None,
    group_id: str | None = None,
    labels: dict[str, str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict:
    params: dict = {"limit": int(limit), "offset": int(offset)}
    if channel_id is not None:
        params["channel_id"] = int(channel_id)
    if group_id:
        params["group_id"] = str(group_id)
    for key, value in (labels or {}).items():
        params[f"label[{key}]"] = value
    return params


def decode_options(data) -> list[FacetOption]:
    """Autocomplete answers: a list of options (the guides), a page ``{results}``, or a
    single option object (the OpenAPI document)."""
    if isinstance(data, Mapping) and "key" in data and "results" not in data:
        items = [data]
    else:
        items = page_items(data, "the autocomplete answer")[0]
    try:
        return [FacetOption.from_dict(item) for item in items]
    except ValueError as error:
        raise ShapeError(str(error), expected="options with a 'key' and a 'label'") from None
