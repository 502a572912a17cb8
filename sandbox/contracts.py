"""Contracts of a customer, with the provider's rules.

Rules: one contract per channel per group; ``followed_instructions``
only (and then necessarily ``true``) for boards with a manual setup; posting duration -1
(no custom duration) or 7..365 days; the group of a contract never changes.
"""

import base64
import datetime
import hashlib
import re
import uuid
from decimal import Decimal, InvalidOperation

from . import facets, oauth
from .boards import CREDENTIAL_SCHEMES, Channel
from .catalogue import Catalogue
from .clock import iso
from .common import ApiError, drf_page, not_found
from .groups import group_json
from .i18n import msg, text
from .profiles import Profile
from .store import Store

SECRET_NAMES = {"password", "api_key", "secret", "access_token"}


def encrypt(contract_id: str, name: str, value: str) -> str:
    """Opaque stand-in for the provider's encrypted values (it never gives them back)."""
    digest = hashlib.sha256(f"{contract_id}:{name}:{value}".encode()).digest()
    return "gAAAAAB" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def contract_json(
    store: Store,
    catalogue: Catalogue,
    profile: Profile,
    contract: dict,
    lang: str,
    summary: bool = False,
) -> dict:
    """A contract as the provider shows it. ``posting_requirements`` is the facet list in
    the guides and ``{name: label}`` in the OpenAPI document; the guides' list summaries
    carry neither it nor the credentials."""
    channel = catalogue.by_id[contract["channel_id"]]
    customer = store.customer(contract["customer_id"])
    group = next(g for g in customer["groups"] if g["id"] == contract["group_id"])
    channel_facets = catalogue.facets(channel)
    if profile.contract_facets_as_list:
        requirements = facets.render(channel_facets, lang)
    else:
        requirements = {f["name"]: text(f["label"], lang) for f in channel_facets}
    data = {
        "contract_id": contract["contract_id"],
        "channel_id": channel.id,
        "alias": contract["alias"],
        "class_name": "".join(ch for ch in channel.name if ch.isalnum()) + "Contract",
        "customer_id": contract["customer_id"],
        "igb_customer_id": contract["customer_id"],
        "product": catalogue.product(channel),
        "group": group_json(group, contract["customer_id"]),
        "group_id": group["id"],
        "posting_duration_days": contract["posting_duration_days"],
        "labels": contract.get("labels"),
        "facets": None,
        # Stored as written (the guides: "returns it verbatim"), {} when none.
        "posting_requirements_defaults": dict(contract.get("posting_requirements_defaults") or {}),
        # Worded in the asker's language, as the provider words its messages
        # (Accept-Language); an error given in one language only is shown in it.
        "errors": [text(error, lang) for error in contract["errors"]],
    }
    for name in IMMUTABLE_TERMS:
        if contract.get(name) is not None or profile.contract_terms_null:
            data[name] = contract.get(name)
    if not summary or not profile.contract_facets_as_list:
        data["posting_requirements"] = requirements
    if not summary:
        data["credentials"] = dict(contract["credentials"])
    return data


def _channel(catalogue: Catalogue, raw) -> Channel:
    if raw is None:
        raise ApiError(400, {"channel_id": ["This field is required."]})
    try:
        channel_id = int(raw)
    except (TypeError, ValueError):
        raise ApiError(400, {"channel_id": ["A valid integer is required."]}) from None
    channel = catalogue.by_id.get(channel_id)
    if channel is None:
        raise ApiError(400, {"channel_id": [f'Invalid pk "{raw}" - object does not exist.']})
    return channel


def _duration(payload: dict, default: int) -> int:
    raw = payload.get("posting_duration_days", default)
    if raw is None:
        return default
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | str)
        or not str(raw).lstrip("-").isdigit()
    ):
        raise ApiError(400, {"posting_duration_days": ["A valid integer is required."]})
    days = int(raw)
    if days != -1 and not 7 <= days <= 365:
        raise ApiError(
            400,
            {
                "posting_duration_days": [
                    "Ensure this value is between 7 and 365 (or -1 for no custom duration)."
                ]
            },
        )
    return days


IMMUTABLE_TERMS = ("credits", "expiry_date", "purchase_price")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _terms(payload: dict) -> dict:
    """The optional terms given at creation (the guides' names), checked strictly:
    ``credits`` a non-negative integer, ``expiry_date`` an ISO 8601 date or datetime,
    ``purchase_price`` ``{amount: number >= 0, currency: ISO 4217 code}``; null means none."""
    errors: dict = {}
    credits = payload.get("credits")
    if credits is not None and (isinstance(credits, bool) or not isinstance(credits, int)):
        errors["credits"] = ["A valid integer is required."]
    elif credits is not None and credits < 0:
        errors["credits"] = ["Ensure this value is greater than or equal to 0."]
    expiry = payload.get("expiry_date")
    if expiry is not None:
        try:
            if not isinstance(expiry, str):
                raise ValueError
            expiry = datetime.datetime.fromisoformat(expiry.replace("Z", "+00:00")).isoformat()
        except ValueError:
            errors["expiry_date"] = [
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
            ]
    price = payload.get("purchase_price")
    if price is not None:
        problems: dict = {}
        if not isinstance(price, dict):
            errors["purchase_price"] = {"non_field_errors": ["Expected a dictionary."]}
        else:
            unknown = set(price) - {"amount", "currency"}
            if unknown:
                problems["non_field_errors"] = [f"Unknown fields: {', '.join(sorted(unknown))}."]
            amount = price.get("amount")
            try:
                if isinstance(amount, bool) or not isinstance(amount, int | float | str):
                    raise InvalidOperation
                value = Decimal(str(amount))
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            except InvalidOperation:
                problems["amount"] = ["A valid non-negative number is required."]
            currency = price.get("currency")
            if not isinstance(currency, str) or not CURRENCY_RE.match(currency):
                problems["currency"] = ["A three-letter ISO 4217 currency code is required."]
            if problems:
                errors["purchase_price"] = problems
            else:
                price = {"amount": float(value), "currency": currency}
    if errors:
        raise ApiError(400, errors)
    return {"credits": credits, "expiry_date": expiry, "purchase_price": price}


def _requirement_defaults(catalogue: Catalogue, channel: Channel, raw, lang: str) -> dict:
    """``posting_requirements_defaults``: an object (null clears it) of the board's own
    requirement names; each value has the shape and passes the checks an order's value of
    that facet would (options, rules), but nothing is required. A null or empty value
    removes that name's default."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApiError(
            400,
            {"posting_requirements_defaults": {"non_field_errors": ["Expected a dictionary."]}},
        )
    by_name = {f["name"]: f for f in catalogue.facets(channel) if f["type"] != "STATISCH"}
    errors: dict[str, list[str]] = {}
    stored = {}
    for name, value in raw.items():
        facet = by_name.get(name)
        if facet is None:
            errors[name] = [f'"{name}" is not a posting requirement of this channel.']
            continue
        if facets.is_empty(value) and value != 0:
            continue
        problems = facets.check_value(facet, value, lang)
        if problems:
            errors[name] = problems
        else:
            stored[name] = value
    if errors:
        raise ApiError(400, {"posting_requirements_defaults": errors})
    return stored


def _validation_mode(profile: Profile, payload: dict) -> bool:
    """Whether to check the credentials with the board: ``if_supported`` (the guides' only
    value; the OpenAPI profile also takes the document's enum). Absent or null: no check."""
    mode = payload.get("credentials_validation")
    if mode is None or mode in profile.disable_values:
        return False
    if mode in profile.validate_values:
        return True
    raise ApiError(400, {"credentials_validation": [f'"{mode}" is not a valid choice.']})


def _credentials(
    channel: Channel, contract_id: str, given, previous: dict, validate: bool, lang: str
) -> dict:
    """Check and store credentials; text values are kept only in their opaque form."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise ApiError(400, {"credentials": {"non_field_errors": ["Expected a dictionary."]}})
    errors: dict[str, list[str]] = {}
    stored = dict(previous)
    for spec in CREDENTIAL_SCHEMES[channel.credentials]:
        name = spec["name"]
        if name not in given:
            if name not in stored:
                errors[name] = [msg("required", lang)]
            continue
        value = given[name]
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = [msg("required", lang)]
            continue
        value = str(value)
        if spec["options"]:
            keys = [o["key"] for o in spec["options"]]
            if value not in keys:
                errors[name] = [msg("choice", lang, value=value)]
            else:
                stored[name] = value
            continue
        if value == previous.get(name):
            continue  # the client sent back the opaque value it was given: unchanged
        if validate and channel.validates:
            if spec["url"] and not oauth.verify(channel.id, value):
                errors[name] = [msg("bad_oauth", lang)]
                continue
            if value.lower() == "wrong" or (name in SECRET_NAMES and len(value) < 4):
                errors[name] = [msg("bad_credentials", lang)]
                continue
        stored[name] = encrypt(contract_id, name, value)
    if errors:
        raise ApiError(400, {"credentials": errors})
    return stored


def create_contract(
    store: Store,
    catalogue: Catalogue,
    profile: Profile,
    customer_id: str,
    payload: dict,
    lang: str,
    now,
) -> dict:
    channel = _channel(catalogue, payload.get("channel_id"))
    with store.lock:
        customer = store.customer(customer_id)
        group_id = payload.get("group_id")
        if group_id in (None, ""):
            group = next(g for g in customer["groups"] if g["idx"] == 0)
        else:
            group = next((g for g in customer["groups"] if g["id"] == group_id), None)
            if group is None:
                raise ApiError(
                    400, {"group_id": [f'Invalid pk "{group_id}" - object does not exist.']}
                )
        for other in store.contracts.values():
            if (
                other["customer_id"] == customer_id
                and other["group_id"] == group["id"]
                and other["channel_id"] == channel.id
            ):
                raise ApiError(
                    400,
                    {
                        "group_id": [
                            "The contract for the same channel already exists in this group."
                        ]
                    },
                )
        _check_followed_instructions(channel, payload)
        alias = payload.get("alias", channel.name)
        if not isinstance(alias, str) or not alias.strip():
            raise ApiError(400, {"alias": ["This field may not be blank."]})
        labels = payload.get("labels")
        if labels is not None and not isinstance(labels, dict):
            raise ApiError(400, {"labels": ["Expected a dictionary of items."]})
        days = _duration(payload, -1)
        terms = _terms(payload)
        defaults = _requirement_defaults(
            catalogue, channel, payload.get("posting_requirements_defaults"), lang
        )
        contract_id = str(uuid.uuid4())
        credentials = _credentials(
            channel,
            contract_id,
            payload.get("credentials"),
            {},
            _validation_mode(profile, payload),
            lang,
        )
        contract = {
            "contract_id": contract_id,
            "customer_id": customer_id,
            "channel_id": channel.id,
            "alias": alias.strip(),
            "credentials": credentials,
            "group_id": group["id"],
            "posting_duration_days": days,
            "labels": labels,
            "posting_requirements_defaults": defaults,
            **terms,
            "errors": [],
            "created_on": iso(now),
        }
        store.save("contract", contract_id, contract)
        return contract_json(store, catalogue, profile, contract, lang)


def _check_followed_instructions(channel: Channel, payload: dict) -> None:
    followed = payload.get("followed_instructions")
    if channel.manual_setup is None:
        if followed is not None:
            raise ApiError(
                400,
                {
                    "followed_instructions": [
                        "This channel has no manual setup: do not send followed_instructions."
                    ]
                },
            )
    elif followed is not True:
        raise ApiError(
            400,
            {
                "followed_instructions": [
                    "This channel needs a manual setup: confirm you followed its setup "
                    "instructions."
                ]
            },
        )


def find_contract(store: Store, customer_id: str, contract_id: str) -> dict:
    contract = store.contracts.get(contract_id)
    if contract is None or contract["customer_id"] != customer_id:
        raise not_found()
    return contract


def get_contract(store, catalogue, profile, customer_id, contract_id, lang) -> dict:
    with store.lock:
        contract = find_contract(store, customer_id, contract_id)
        return contract_json(store, catalogue, profile, contract, lang)


def update_contract(
    store: Store,
    catalogue: Catalogue,
    profile: Profile,
    customer_id: str,
    contract_id: str,
    payload: dict,
    lang: str,
) -> dict:
    with store.lock:
        contract = find_contract(store, customer_id, contract_id)
        channel = catalogue.by_id[contract["channel_id"]]
        if "group_id" in payload and payload["group_id"] != contract["group_id"]:
            raise ApiError(400, {"group_id": ["The group of a contract cannot be changed."]})
        if "channel_id" in payload and str(payload["channel_id"]) != str(channel.id):
            raise ApiError(400, {"channel_id": ["The channel of a contract cannot be changed."]})
        if "followed_instructions" in payload:
            _check_followed_instructions(channel, payload)
        for name in IMMUTABLE_TERMS:
            if name in payload and payload[name] != contract.get(name):
                raise ApiError(400, {name: ["This field cannot be changed after creation."]})
        changes = {}
        if "alias" in payload:
            alias = payload["alias"]
            if not isinstance(alias, str) or not alias.strip():
                raise ApiError(400, {"alias": ["This field may not be blank."]})
            changes["alias"] = alias.strip()
        if "posting_duration_days" in payload:
            changes["posting_duration_days"] = _duration(payload, -1)
        if "labels" in payload:
            changes["labels"] = payload["labels"]
        if "posting_requirements_defaults" in payload:
            changes["posting_requirements_defaults"] = _requirement_defaults(
                catalogue, channel, payload["posting_requirements_defaults"], lang
            )
        if "credentials" in payload:
            changes["credentials"] = _credentials(
                channel,
                contract_id,
                payload["credentials"],
                contract["credentials"],
                _validation_mode(profile, payload),
                lang,
            )
        contract.update(changes)
        store.save("contract", contract_id, contract)
        return contract_json(store, catalogue, profile, contract, lang)


def delete_contract(store: Store, customer_id: str, contract_id: str) -> None:
    with store.lock:
        find_contract(store, customer_id, contract_id)
        store.delete("contract", contract_id)


def list_contracts(
    store: Store,
    catalogue: Catalogue,
    profile: Profile,
    customer_id: str,
    query: dict,
    lang: str,
    base: str,
    path: str,
) -> dict:
    with store.lock:
        customer = store.customer(customer_id)
        items = [c for c in store.contracts.values() if c["customer_id"] == customer_id]
        if query.get("channel_id"):
            items = [c for c in items if str(c["channel_id"]) == query["channel_id"]]
        if query.get("group_id"):
            items = [c for c in items if c["group_id"] == query["group_id"]]
        if query.get("group_idx") not in (None, ""):
            ids = {g["id"] for g in customer["groups"] if str(g["idx"]) == query["group_idx"]}
            items = [c for c in items if c["group_id"] in ids]
        if query.get("id"):
            items = [c for c in items if c["contract_id"] == query["id"]]
        term = (query.get("search") or query.get("channel_name") or "").lower()
        if term:
            items = [
                c
                for c in items
                if term in c["alias"].lower()
                or term in catalogue.by_id[c["channel_id"]].name.lower()
            ]
        items.sort(key=lambda c: c["created_on"])
        page = drf_page(items, base, path, query, default_limit=50)
        page["results"] = [
            contract_json(store, catalogue, profile, c, lang, summary=True) for c in page["results"]
        ]
        return page
