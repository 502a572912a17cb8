"""The provider's endpoints (the subset in provider-api.md) as plain functions.

Each handler takes the ``App`` and a ``Request`` and returns a ``Response``; raising
``ApiError`` answers with that error. Routing, auth, limits and faults live in server.py.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import contracts, facets, groups, ordering, taxonomy
from .app import App
from .common import CUSTOMER_ERROR, ApiError, drf_page, int_param, not_found


@dataclass
class Request:
    method: str
    path: str
    query: dict
    params: dict
    headers: dict
    body: object = None
    lang: str = "en"
    customer_id: str | None = None
    token: str | None = None


@dataclass
class Response:
    status: int
    body: object = None  # JSON-able, or bytes/str for non-JSON answers
    headers: dict = field(default_factory=dict)
    content_type: str = "application/json"


def ok(body, status: int = 200, **headers) -> Response:
    return Response(status, body, headers)


def _object_body(req: Request) -> dict:
    if not isinstance(req.body, dict):
        raise ApiError(400, {"requestBody": "Expected a JSON object."})
    return req.body


# --- channels and taxonomy -------------------------------------------------------------


def channels_list(app: App, req: Request) -> Response:
    ids = None
    if req.query.get("channel_ids"):
        try:
            ids = {int(x) for x in req.query["channel_ids"].split(",") if x.strip()}
        except ValueError:
            raise ApiError(400, {"channel_ids": ["A valid integer is required."]}) from None
    found = app.catalogue.search(req.query.get("search"), ids)
    page = drf_page(found, app.settings.public_url, req.path, req.query, default_limit=25)
    page["results"] = [app.catalogue.summary(c) for c in page["results"]]
    return ok(page)


def channel_detail(app: App, req: Request) -> Response:
    raw = req.params["id"]
    channel = app.catalogue.by_id.get(int(raw)) if raw.isdigit() else None
    if channel is None:
        raise not_found()
    return ok(app.catalogue.details(channel, req.lang, req.customer_id))


def industries(app: App, req: Request) -> Response:
    """A plain list, paged with ``limit`` (default 50, at most 100) and ``offset``."""
    limit = int_param(req.query, "limit", 50, minimum=1, maximum=100)
    offset = int_param(req.query, "offset", 0)
    return ok(taxonomy.industries(req.lang)[offset : offset + limit])


def job_functions(app: App, req: Request) -> Response:
    return ok(taxonomy.job_functions(req.lang))


def education_levels(app: App, req: Request) -> Response:
    return ok(taxonomy.education_levels())


def seniority(app: App, req: Request) -> Response:
    return ok(taxonomy.seniority_levels())


# --- groups and contracts --------------------------------------------------------------


def groups_list(app: App, req: Request) -> Response:
    return ok(groups.list_groups(app.store, req.customer_id, req.query))


def groups_create(app: App, req: Request) -> Response:
    return ok(groups.create_group(app.store, req.customer_id, _object_body(req)), 201)


def group_get(app: App, req: Request) -> Response:
    return ok(groups.get_group(app.store, req.customer_id, req.params["group_idx"]))


def group_update(app: App, req: Request) -> Response:
    return ok(
        groups.update_group(
            app.store,
            req.customer_id,
            req.params["group_idx"],
            _object_body(req),
            partial=req.method == "PATCH",
        )
    )


def group_delete(app: App, req: Request) -> Response:
    groups.delete_group(app.store, req.customer_id, req.params["group_idx"])
    return Response(204)


def contracts_list(app: App, req: Request) -> Response:
    return ok(
        contracts.list_contracts(
            app.store,
            app.catalogue,
            app.profile,
            req.customer_id,
            req.query,
            req.lang,
            app.settings.public_url,
            req.path,
        )
    )


def contracts_create(app: App, req: Request) -> Response:
    with _error_details(app):
        contract = contracts.create_contract(
            app.store,
            app.catalogue,
            app.profile,
            req.customer_id,
            _object_body(req),
            req.lang,
            app.clock.now(),
        )
    return ok(contract, 201)


def contract_get(app: App, req: Request) -> Response:
    return ok(
        contracts.get_contract(
            app.store,
            app.catalogue,
            app.profile,
            req.customer_id,
            req.params["contract_id"],
            req.lang,
        )
    )


def contract_update(app: App, req: Request) -> Response:
    with _error_details(app):
        contract = contracts.update_contract(
            app.store,
            app.catalogue,
            app.profile,
            req.customer_id,
            req.params["contract_id"],
            _object_body(req),
            req.lang,
        )
    return ok(contract)


@contextmanager
def _error_details(app: App):
    """The guides' contract errors also list each problem as ``errorDetails``."""
    try:
        yield
    except ApiError as error:
        if app.profile.error_details and error.status == 400 and isinstance(error.body, dict):
            error.body = {**error.body, "errorDetails": _details(error.body)}
        raise


def _details(errors: dict, prefix: str = "") -> list[dict]:
    found = []
    for key, value in errors.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            found += _details(value, path)
        else:
            for message in value if isinstance(value, list) else [value]:
                found.append(
                    {"path": path, "code": "invalid", "message": str(message), "params": []}
                )
    return found


def contract_delete(app: App, req: Request) -> Response:
    contracts.delete_contract(app.store, req.customer_id, req.params["contract_id"])
    return Response(204)


def autocomplete(app: App, req: Request) -> Response:
    """Options of a facet for a contract id (or a channel id, with ``credentials`` in the
    body), filtered by ``term``: a string, or a list for facets that depend on several
    others (``autocomplete.parameters_source``)."""
    ref = req.params["channel_id_or_contract_id"]
    name = req.params["posting_requirement_name"]
    body = req.body if isinstance(req.body, dict) else {}
    if ref.isdigit():
        channel = app.catalogue.by_id.get(int(ref))
        if channel is not None and not isinstance(body.get("credentials"), dict):
            raise ApiError(400, {"credentials": ["Give the credentials with a channel id."]})
    else:
        with app.store.lock:
            contract = app.store.contracts.get(ref)
            owned = contract is not None and contract["customer_id"] == req.customer_id
        channel = app.catalogue.by_id[contract["channel_id"]] if owned else None
    if channel is None:
        raise not_found()
    facet = next((f for f in app.catalogue.facets(channel) if f["name"] == name), None)
    if facet is None or not facets.option_list(facet):
        raise not_found()
    term = body.get("term", req.query.get("term", req.query.get("search")))
    try:
        found = facets.autocomplete(facet, term, req.lang)
    except facets.TermError as error:
        raise ApiError(400, {"term": [str(error)]}) from None
    if app.profile.autocomplete_as_list:
        return ok(found)
    # The OpenAPI document describes the answer as one option object.
    return ok(found[0] if found else [])


# --- campaigns -------------------------------------------------------------------------

MIXED_GROUPS = "All contracts of a campaign must belong to the same contract group."


def campaigns_order(app: App, req: Request) -> Response:
    body = _object_body(req)
    try:
        errors, resolved = ordering.validate(
            app.store, app.catalogue, app.profile, req.customer_id, body, req.lang
        )
    except ordering.MixedGroups:
        raise ApiError(403, {"error": MIXED_GROUPS}) from None
    if errors:
        raise ApiError(422, errors)
    if req.query.get("validateOnly") == "true":
        return ok({"errors": {"orderedProductsSpecs": [{} for _ in resolved]}, "has_errors": False})
    with app.order_lock:
        age = app.seen_recently(req.customer_id, body)
        if age is not None:
            raise ApiError(
                422,
                {
                    "orderReference": [
                        f"An identical order was received {age:.0f} seconds ago; it was not "
                        "created again."
                    ]
                },
            )
        campaign = app.campaigns.create(req.customer_id, body, resolved)
        app.remember_order(req.customer_id, body)
    return ok(
        {"campaignId": campaign["campaignId"]}, 201, Location=f"/campaigns/{campaign['campaignId']}"
    )


def campaigns_validate(app: App, req: Request) -> Response:
    """``{errors, has_errors}``: an invalid campaign is a 422 in the guides and a 200 in the
    OpenAPI document (which also lists ``errorDetails`` and ``status_code``)."""
    campaign = _object_body(req).get("campaign")
    if not isinstance(campaign, dict):
        raise ApiError(400, {"campaign": ["This field is required."]})
    try:
        errors, resolved = ordering.validate(
            app.store, app.catalogue, app.profile, req.customer_id, campaign, req.lang
        )
    except ordering.MixedGroups:
        raise ApiError(403, {"error": MIXED_GROUPS}) from None
    body = {
        "errors": errors or {"orderedProductsSpecs": [{} for _ in resolved]},
        "has_errors": bool(errors),
    }
    status = app.profile.invalid_campaign_status if errors else 200
    if app.profile.name == "openapi":
        body.update(errorDetails=[], status_code=422 if errors else 200)
    return ok(body, status)


def campaigns_list(app: App, req: Request) -> Response:
    """One customer's campaigns, or, without X-Customer-Id, what ``partner_campaign_list``
    says: every customer's ("all"), a 403 ("refuse"), or an empty list ("empty": a service
    that answers the partner level without showing it anything)."""
    if req.customer_id is None and app.partner_campaign_list == "refuse":
        raise ApiError(403, CUSTOMER_ERROR)
    if req.customer_id is None and app.partner_campaign_list == "empty":
        return ok({"total": 0, "limit": 50, "offset": 0, "meta": {}, "data": []})
    filters = None if app.ignore_date_filters else app.profile
    return ok(app.campaigns.list(req.customer_id, req.query, req.lang, filters))


def campaign_get(app: App, req: Request) -> Response:
    with app.store.lock:
        campaign = app.campaigns.find(req.customer_id, req.params["campaignId"])
        return ok({"data": app.campaigns.to_json(campaign, req.lang)})


def campaign_status(app: App, req: Request) -> Response:
    with app.store.lock:
        campaign = app.campaigns.find(req.customer_id, req.params["campaignId"])
        return ok(app.campaigns.status_json(campaign, req.lang))


def campaign_cancel(app: App, req: Request) -> Response:
    """Only an online campaign can be cancelled; for one that is not, the request is
    accepted and ignored unless ``errorOnCancelCampaign=true`` asks for a 400."""
    explicit = req.query.get("errorOnCancelCampaign", "").lower() == "true"
    campaign_id = req.params["campaignId"]
    app.campaigns.cancel(req.customer_id, campaign_id, _object_body(req), explicit=explicit)
    return ok({"campaignId": campaign_id}, 202, Location=f"/campaigns/{campaign_id}/status")


def campaign_cancel_product(app: App, req: Request) -> Response:
    campaign_id = req.params["campaignId"]
    app.campaigns.cancel_product(
        req.customer_id,
        campaign_id,
        _object_body(req),
        needs_campaign_id=app.profile.product_cancellation_needs_campaign_id,
    )
    return ok({"campaignId": campaign_id}, 202, Location=f"/campaigns/{campaign_id}/status")


def campaign_edit(app: App, req: Request) -> Response:
    campaign = app.campaigns.edit(req.customer_id, req.params["campaignId"], _object_body(req))
    with app.store.lock:
        return ok({"data": app.campaigns.to_json(campaign, req.lang)})


# --- routing table ---------------------------------------------------------------------

UUIDISH = r"[^/]+"


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # the provider's OpenAPI path, used for stats and documentation
    pattern: re.Pattern
    handler: object
    customer: bool = True  # X-Customer-Id required
    body: str = "drf"  # "json" (application/json only) or "drf" (json, form, multipart)


def route(method, template, handler, customer=True, body="drf") -> Route:
    """The path exactly as documented: a trailing slash where the template has one, and only
    there (the real service answers 404 to the other spelling)."""
    regex = re.sub(
        r"\{([\w-]+)\}",
        lambda m: f"(?P<{m.group(1).replace('-', '_')}>{UUIDISH})",
        template,
    )
    return Route(method, template, re.compile(f"^{regex}$"), handler, customer, body)


ROUTES = [
    route("GET", "/products/channels/mocs/", channels_list, customer=False),
    route("GET", "/products/channels/mocs/{id}/", channel_detail, customer=False),
    route("GET", "/products/industries/", industries, customer=False),
    route("GET", "/products/job-functions/", job_functions, customer=False),
    route("GET", "/taxonomy/education-levels", education_levels, customer=False),
    route("GET", "/taxonomy/seniority", seniority, customer=False),
    route("GET", "/igb/contracts/groups/", groups_list),
    route("POST", "/igb/contracts/groups/", groups_create),
    route("GET", "/igb/contracts/groups/{group_idx}/", group_get),
    route("PATCH", "/igb/contracts/groups/{group_idx}/", group_update),
    route("PUT", "/igb/contracts/groups/{group_idx}/", group_update),
    route("DELETE", "/igb/contracts/groups/{group_idx}/", group_delete),
    route("GET", "/contracts/", contracts_list),
    route("POST", "/contracts/", contracts_create),
    route("GET", "/contracts/single/{contract_id}/", contract_get),
    route("PATCH", "/contracts/single/{contract_id}/", contract_update),
    route("GET", "/contracts/{contract_id}/", contract_get),
    route("DELETE", "/contracts/{contract_id}/", contract_delete),
    route(
        "GET",
        "/contracts/posting-requirements/{channel_id_or_contract_id}/{posting-requirement-name}/",
        autocomplete,
    ),
    route(
        "POST",
        "/contracts/posting-requirements/{channel_id_or_contract_id}/{posting-requirement-name}/",
        autocomplete,
    ),
    route("GET", "/campaigns", campaigns_list, customer=False),  # checked by the handler
    route("POST", "/campaigns/order", campaigns_order, body="json"),
    route("POST", "/campaigns/validate-campaign/", campaigns_validate),
    route("GET", "/campaigns/{campaignId}", campaign_get),
    route("GET", "/campaigns/{campaignId}/status", campaign_status),
    route("PUT", "/campaigns/{campaignId}/cancellation", campaign_cancel, body="json"),
    route(
        "PUT", "/campaigns/{campaignId}/product_cancellation", campaign_cancel_product, body="json"
    ),
    route("PATCH", "/campaigns/{campaignId}/edit", campaign_edit),
]
