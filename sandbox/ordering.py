"""Validation of ``POST /campaigns/order`` bodies, with errors mirrored by position.

Error messages follow the provider's (``This value should not be blank.``). Posting
requirement errors of product ``i`` come in ``orderedProductsSpecs[i]`` as the profile says:
the guides' ``{"credentials": {}, "posting_requirements": {"<facet>": "<message>"}}``, or the
OpenAPI document's ``postingRequirements: ["<facet>: <message>", ...]``.
"""

import re

from . import facets, taxonomy
from .catalogue import Catalogue
from .common import is_uuid
from .i18n import msg, text
from .profiles import Profile
from .store import Store

EMPLOYMENT_TYPES = {
    "permanent",
    "temporary",
    "fixed_term",
    "fixed_term_with_option_for_permanent",
    "freelance",
    "traineeship",
    "internship",
}
CURRENCIES = {"EUR", "USD", "GBP", "AUD"}
PERIODS = {"hourly", "monthly", "yearly"}
UTM_RE = re.compile(r"^([%.\-_!*a-zA-Z0-9]{1,}=[%.\-_!*+,;$\(\)a-zA-Z0-9]{1,}[&]{0,}){1,}$")
TARGET_GROUP_MISSING = {
    "educationLevel": "A Target Group entity should contain an EducationLevel",
    "seniority": "A Target Group entity should contain a Seniority",
    "industry": "A Target Group entity should contain a Industry",
    "jobCategory": "A Target Group entity should contain a JobCategory",
}


class MixedGroups(Exception):
    """The contracts of one order come from different contract groups."""


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(errors: dict, obj: dict, key: str, lang: str, required=True, max_len=None):
    value = obj.get(key)
    if _blank(value):
        if required:
            errors[key] = [msg("blank", lang)]
        return
    if not isinstance(value, str):
        errors[key] = [msg("string", lang)]
    elif max_len and len(value) > max_len:
        errors[key] = [f"This value is too long. It should have {max_len} characters or less."]


def _url(errors: dict, obj: dict, key: str, lang: str, required=True):
    value = obj.get(key)
    if _blank(value):
        if required:
            errors[key] = [msg("blank", lang)]
    elif not isinstance(value, str) or not value.isascii() or not facets.is_url(value):
        errors[key] = [msg("url", lang)]


def _int(errors: dict, obj: dict, key: str, lang: str, lo=None, hi=None, required=True):
    value = obj.get(key)
    if value is None:
        if required:
            errors[key] = [msg("blank", lang)]
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = [msg("int", lang)]
    elif (lo is not None and value < lo) or (hi is not None and value > hi):
        errors[key] = [f"This value should be between {lo} and {hi}."]


def _object(errors: dict, body: dict, key: str, lang: str, required=True) -> dict | None:
    value = body.get(key)
    if value is None:
        if required:
            errors[key] = [msg("blank", lang)]
        return None
    if not isinstance(value, dict):
        errors[key] = [msg("invalid", lang)]
        return None
    return value


def _nest(errors: dict, key: str, sub: dict) -> None:
    if sub:
        errors[key] = sub


def _posting_details(pd: dict, lang: str) -> dict:
    e: dict = {}
    _text(e, pd, "title", lang, max_len=255)
    _text(e, pd, "description", lang, max_len=65535)
    org = _object(e, pd, "organization", lang)
    if org is not None:
        oe: dict = {}
        _text(oe, org, "name", lang)
        _url(oe, org, "companyLogo", lang)
        _nest(e, "organization", oe)
    loc = _object(e, pd, "workingLocation", lang)
    if loc is not None:
        le: dict = {}
        for key in ("addressLine1", "postcode", "city", "country"):
            _text(le, loc, key, lang)
        _text(le, loc, "addressLine2", lang, required=False)
        if loc.get("allowsRemoteWork") is not None:
            _int(le, loc, "allowsRemoteWork", lang, 0, 1)
        _nest(e, "workingLocation", le)
    contact = _object(e, pd, "contactInfo", lang, required=False)
    if contact is not None:
        ce: dict = {}
        _text(ce, contact, "name", lang, required=False)
        email = contact.get("emailAddress")
        if not _blank(email) and not facets.EMAIL_RE.match(str(email)):
            ce["emailAddress"] = [msg("email", lang)]
        _text(ce, contact, "phoneNumber", lang, required=False, max_len=40)
        _nest(e, "contactInfo", ce)
    _int(e, pd, "yearsOfExperience", lang, 0, 100)
    if pd.get("employmentType") not in EMPLOYMENT_TYPES:
        e["employmentType"] = (
            ["A Posting needs a type of employment"]
            if _blank(pd.get("employmentType"))
            else [msg("invalid", lang)]
        )
    hours, minutes = pd.get("weeklyWorkingHours"), pd.get("weeklyWorkingMinutes")
    if hours is None and minutes is None:
        e["weeklyWorkingHours"] = {"to": [msg("blank", lang)]}
    elif hours is not None and minutes is not None:
        e["weeklyWorkingHours"] = {
            "to": ["Give weeklyWorkingHours or weeklyWorkingMinutes, not both."]
        }
    else:
        key, top = (
            ("weeklyWorkingHours", 168) if hours is not None else ("weeklyWorkingMinutes", 10080)
        )
        value = hours if hours is not None else minutes
        he: dict = {}
        if not isinstance(value, dict):
            he["to"] = [msg("invalid", lang)]
        else:
            _int(he, value, "to", lang, 1, top)
            _int(he, value, "from", lang, 0, top, required=False)
            if not he and value.get("from") is not None and value["from"] > value["to"]:
                he["from"] = ["This value should be less than or equal to 'to'."]
        _nest(e, key, he)
    salary = _object(e, pd, "salaryIndication", lang, required=False)
    if salary is not None:
        se: dict = {}
        if salary.get("period") not in PERIODS:
            se["period"] = ["A SalaryIndication needs a period"]
        rng = salary.get("range")
        re_: dict = {}
        if not isinstance(rng, dict):
            re_["to"] = [msg("blank", lang)]
        else:
            for key in ("from", "to"):
                value = rng.get(key)
                if value is None:
                    if key == "to":
                        re_["to"] = [msg("blank", lang)]
                elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    re_[key] = [msg("float", lang)]
            if not re_ and rng.get("from") is not None and rng["from"] > rng["to"]:
                re_["from"] = ["This value should be less than or equal to 'to'."]
            if rng.get("currency") is not None and (
                not isinstance(rng["currency"], str) or len(rng["currency"]) != 3
            ):
                re_["currency"] = [msg("invalid", lang)]
        _nest(se, "range", re_)
        _nest(e, "salaryIndication", se)
    _url(e, pd, "jobPageUrl", lang)
    _url(e, pd, "applicationUrl", lang)
    return e


def _target_group(tg: dict, lang: str) -> dict:
    e: dict = {}
    missing = 0
    for key, valid in taxonomy.VALID_IDS.items():
        entries = tg.get(key)
        if not entries:
            e[str(missing)] = TARGET_GROUP_MISSING[key]
            missing += 1
            continue
        if not isinstance(entries, list):
            e[str(missing)] = TARGET_GROUP_MISSING[key]
            missing += 1
            continue
        items = []
        for position, entry in enumerate(entries):
            ie: dict = {}
            if position > 0:
                ie["vonqId"] = [msg("one_value", lang)]
            elif not isinstance(entry, dict):
                ie["vonqId"] = [msg("invalid", lang)]
            else:
                vonq_id = entry.get("vonqId")
                if _blank(vonq_id):
                    ie["vonqId"] = [msg("blank", lang)]
                elif not str(vonq_id).isdigit() or int(vonq_id) not in valid:
                    ie["vonqId"] = [msg("vonq_id", lang, value=vonq_id)]
                if _blank(entry.get("description")):
                    ie["description"] = [msg("blank", lang)]
            items.append(ie)
        if any(items):
            e[key] = items
    return e


def _labels(labels, lang: str) -> list[str]:
    if labels is None:
        return []
    if not isinstance(labels, dict):
        return [msg("invalid", lang)]
    if len(labels) > 5:
        return ["A campaign can have at most 5 labels."]
    for key, value in labels.items():
        if not isinstance(value, str) or len(key) > 32 or len(value) > 32:
            return ["Label keys and values are strings of at most 32 characters."]
    return []


def validate(
    store: Store, catalogue: Catalogue, profile: Profile, customer_id: str, body: dict, lang: str
) -> tuple[dict, list[dict]]:
    """Return ``(errors, resolved)`` where ``resolved[i]`` pairs spec ``i`` with its contract.

    Raises ``MixedGroups`` when the order's contracts come from different groups.
    """
    errors: dict = {}
    _text(errors, body, "companyId", lang)
    _text(errors, body, "campaignName", lang, required=False, max_len=255)
    _text(errors, body, "orderReference", lang, required=False, max_len=80)
    if body.get("currency") is not None and body["currency"] not in CURRENCIES:
        errors["currency"] = [msg("invalid", lang)]
    label_errors = _labels(body.get("labels"), lang)
    if label_errors:
        errors["labels"] = label_errors
    recruiter = _object(errors, body, "recruiterInfo", lang)
    if recruiter is not None:
        re_: dict = {}
        _text(re_, recruiter, "name", lang)
        email = recruiter.get("emailAddress")
        if not _blank(email) and not facets.EMAIL_RE.match(str(email)):
            re_["emailAddress"] = [msg("email", lang)]
        _nest(errors, "recruiterInfo", re_)
    pd = _object(errors, body, "postingDetails", lang)
    if pd is not None:
        _nest(errors, "postingDetails", _posting_details(pd, lang))
    tg = _object(errors, body, "targetGroup", lang)
    if tg is not None:
        _nest(errors, "targetGroup", _target_group(tg, lang))

    products = body.get("orderedProducts")
    product_errors = []
    if not isinstance(products, list) or not products:
        product_errors.append("An Order must have at least 1 orderedProduct")
        products = []
    elif not all(isinstance(p, str) and p in catalogue.by_product for p in products):
        product_errors.append(msg("invalid", lang))
    specs = body.get("orderedProductsSpecs") or []
    if not isinstance(specs, list):
        errors["orderedProductsSpecs"] = [{"productId": [msg("invalid", lang)]}]
        specs = []
    with store.lock:
        resolved = [_resolve(store, customer_id, spec) for spec in specs]
    groups = {r["contract"]["group_id"] for r in resolved if r["contract"]}
    if len(groups) > 1:
        raise MixedGroups()
    spec_errors = [
        _spec(catalogue, profile, spec, r, products, lang)
        for spec, r in zip(specs, resolved, strict=True)
    ]
    if any(spec_errors):
        errors["orderedProductsSpecs"] = spec_errors
    specced = {s.get("productId") for s in specs if isinstance(s, dict)}
    for product_id in products:
        if product_id in catalogue.by_product and product_id not in specced:
            product_errors.append(
                f"Product {product_id} is a My Contracts product: give its "
                "contractId in orderedProductsSpecs."
            )
    if product_errors:
        errors["orderedProducts"] = product_errors
    return errors, resolved


def _resolve(store: Store, customer_id: str, spec) -> dict:
    contract = None
    if isinstance(spec, dict) and is_uuid(spec.get("contractId")):
        found = store.contracts.get(spec["contractId"])
        if found is not None and found["customer_id"] == customer_id:
            contract = found
    return {"spec": spec, "contract": contract}


def _spec(
    catalogue: Catalogue, profile: Profile, spec, resolved: dict, products: list, lang: str
) -> dict:
    if not isinstance(spec, dict):
        return {"productId": [msg("invalid", lang)]}
    e: dict = {}
    product_id = spec.get("productId")
    if _blank(product_id):
        e["productId"] = [msg("blank", lang)]
    elif product_id not in products:
        e["productId"] = ["This product is not in orderedProducts."]
    contract = resolved["contract"]
    if _blank(spec.get("contractId")):
        e["contractId"] = [msg("blank", lang)]
    elif contract is None:
        e["contractId"] = ["Contract not found."]
    elif "productId" not in e and catalogue.by_id[contract["channel_id"]].product_id != product_id:
        e["contractId"] = ["This contract is not for this product."]
    elif contract["errors"]:
        problems = "; ".join(text(error, lang) for error in contract["errors"])
        e["contractId"] = [f"This contract is not ready: {problems}"]
    elif contract.get("credits") == 0:
        e["contractId"] = ["This contract has no credits left."]
    utm = spec.get("utm")
    if utm is not None and (not isinstance(utm, str) or not UTM_RE.match(utm)):
        e["utm"] = [msg("invalid", lang)]
    days = spec.get("postingDurationDays")
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or (days != -1 and not 7 <= days <= 365)
    ):
        e["postingDurationDays"] = ["Allowed values are -1 or between 7 and 365."]
    values = spec.get("postingRequirements") or {}
    if not isinstance(values, dict):
        e["postingRequirements"] = [msg("invalid", lang)]
    elif contract is not None:
        channel = catalogue.by_id[contract["channel_id"]]
        problems = facets.validate(catalogue.facets(channel), values, lang)
        if problems and profile.requirement_errors_as_object:
            e["credentials"] = {}
            e["posting_requirements"] = {name: " ".join(ms) for name, ms in problems.items()}
        elif problems:
            e["postingRequirements"] = [f"{name}: {m}" for name, ms in problems.items() for m in ms]
    return e
