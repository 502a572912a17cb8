"""Sandbox-only endpoints under ``/_sandbox/``: control knobs for tests and the HTML pages.

Control endpoints need the partner token (so a stray browser cannot reset the sandbox) but
are not rate limited and never hit injected faults. Pages (boards, OAuth consent, logos)
are public, like a job board's pages.
"""

import re
from urllib.parse import urlsplit

from . import oauth, pages
from .api import Request, Response, ok
from .app import App
from .clock import iso
from .common import ApiError, not_found
from .faults import FaultError
from .i18n import LANGUAGES


def _body(req: Request) -> dict:
    if req.body in (None, b"", ""):
        return {}
    if not isinstance(req.body, dict):
        raise ApiError(400, {"requestBody": "Expected a JSON object."})
    return req.body


def _number(body: dict, key: str, kind=float, minimum=0):
    try:
        value = kind(body[key])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, {key: ["A valid number is required."]}) from None
    if value < minimum:
        raise ApiError(400, {key: [f"Must be at least {minimum}."]})
    return value


def healthz(app: App, req: Request) -> Response:
    return ok({"status": "ok", "now": iso(app.clock.now())})


def faults_list(app: App, req: Request) -> Response:
    return ok({"faults": app.faults.list()})


def faults_add(app: App, req: Request) -> Response:
    try:
        return ok(app.faults.add(_body(req)), 201)
    except FaultError as exc:
        raise ApiError(400, {"detail": str(exc)}) from None


def faults_clear(app: App, req: Request) -> Response:
    app.faults.clear()
    return Response(204)


def rate_limit_get(app: App, req: Request) -> Response:
    return ok({"limit": app.limiter.limit, "window": app.limiter.window})


def rate_limit_set(app: App, req: Request) -> Response:
    body = _body(req)
    limit = _number(body, "limit", int, 1)
    window = _number(body, "window", float, 0.001) if "window" in body else app.limiter.window
    app.limiter.configure(limit, window)
    app.limiter.reset(restore=False)
    return ok({"limit": limit, "window": window})


def clock_get(app: App, req: Request) -> Response:
    return ok({"now": iso(app.clock.now())})


def clock_tick(app: App, req: Request) -> Response:
    changed = app.campaigns.tick()
    return ok({"now": iso(app.clock.now()), "changed": changed})


def clock_advance(app: App, req: Request) -> Response:
    seconds = _number(_body(req), "seconds", float, 0)
    app.clock.advance(seconds)
    changed = app.campaigns.tick()
    return ok({"now": iso(app.clock.now()), "changed": changed})


def reset(app: App, req: Request) -> Response:
    app.reset()
    return ok({"status": "reset"})


def stats(app: App, req: Request) -> Response:
    with app.store.lock:
        counters = dict(app.store.stats)
        served, throttled = counters.get("requests_served", 0), counters.get("throttled", 0)
        return ok(
            {
                # authenticated API requests, 429s included; "allowed" used the budget
                "requests_served": served,
                "requests_allowed": served - throttled,
                "throttled": throttled,
                "orders_total": sum(app.store.orders_by_reference.values()),
                "orders_by_reference": dict(app.store.orders_by_reference),
                "campaigns": len(app.store.campaigns),
                "contracts": len(app.store.contracts),
                "requests_by_route": {
                    k[6:]: v for k, v in counters.items() if k.startswith("route ")
                },
                "faults_triggered": counters.get("faults_triggered", 0),
                "webhooks_sent": counters.get("webhooks_sent", 0),
                "webhooks_failed": counters.get("webhooks_failed", 0),
            }
        )


def _contract_set(app: App, req: Request, field: str, value) -> Response:
    """Set one field of the contract named in the path, as the board's side changed it."""
    with app.store.lock:
        contract = app.store.contracts.get(req.params["contract_id"])
        if contract is None:
            raise not_found()
        contract[field] = value
        app.store.save("contract", contract["contract_id"], contract)
    return ok({"contract_id": contract["contract_id"], field: value})


def contract_errors(app: App, req: Request) -> Response:
    """Fill (or clear) a contract's ``errors``, as when a board deactivates an account.

    Each error is a string (the same in every language) or its words per language,
    ``{"en": "...", "fr": "..."}`` (``en`` required): the API then answers each asker in
    the language of its ``Accept-Language``, as the provider words its messages."""
    errors = _body(req).get("errors", [])
    if not isinstance(errors, list) or not all(_is_error_text(e) for e in errors):
        raise ApiError(
            400, {"errors": ['Expected a list of strings or of {"en": .., "fr": ..} objects.']}
        )
    return _contract_set(app, req, "errors", errors)


def _is_error_text(value) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and isinstance(value.get("en"), str)
        and set(value) <= set(LANGUAGES)
        and all(isinstance(words, str) for words in value.values())
    )


def contract_credits(app: App, req: Request) -> Response:
    """Set a contract's remaining ``credits`` (null: unlimited), as when the board's account
    is used up elsewhere or topped up."""
    credits = _body(req).get("credits")
    if credits is not None and (
        isinstance(credits, bool) or not isinstance(credits, int) or credits < 0
    ):
        raise ApiError(400, {"credits": ["Expected a non-negative integer or null."]})
    return _contract_set(app, req, "credits", credits)


def webhook_get(app: App, req: Request) -> Response:
    return ok(app.webhooks.public_config())


def webhook_set(app: App, req: Request) -> Response:
    body = _body(req)
    changes = {}
    if "url" in body:
        url = body["url"]
        if url is not None and urlsplit(str(url)).scheme not in ("http", "https"):
            raise ApiError(400, {"url": ["Enter an http(s) URL or null."]})
        changes["url"] = url
    for key in ("duplicate_ratio", "timeout"):
        if key in body:
            changes[key] = _number(body, key)
    app.webhooks.configure(**changes)
    return ok(app.webhooks.public_config())


def behaviour_get(app: App, req: Request) -> Response:
    return ok(
        {
            "profile": app.profile.name,
            "ignore_date_filters": app.ignore_date_filters,
            "oauth_fragment": app.oauth_fragment,
            "partner_campaign_list": app.partner_campaign_list,
        }
    )


def behaviour_set(app: App, req: Request) -> Response:
    """Flip run-time switches: ``ignore_date_filters`` makes the campaign list ignore its
    date filters, as a service that does not know the spelling sent would;
    ``oauth_fragment`` makes the consent page hand the token back in the URL fragment;
    ``partner_campaign_list``: the campaign list without X-Customer-Id lists every
    customer's campaigns ("all" or true: the guides' reading), is refused with a 403
    ("refuse" or false: the OpenAPI document's), or answers an empty list ("empty")."""
    body = _body(req)
    if "ignore_date_filters" in body:
        app.ignore_date_filters = bool(body["ignore_date_filters"])
    if "oauth_fragment" in body:
        app.oauth_fragment = bool(body["oauth_fragment"])
    if "partner_campaign_list" in body:
        value = body["partner_campaign_list"]
        modes = {True: "all", False: "refuse", "all": "all", "refuse": "refuse", "empty": "empty"}
        if not isinstance(value, bool | str) or value not in modes:
            raise ApiError(
                400, {"partner_campaign_list": ['true, false, "all", "refuse" or "empty".']}
            )
        app.partner_campaign_list = modes[value]
    return behaviour_get(app, req)


# --- pages -----------------------------------------------------------------------------


def html(status: int, text: str, **headers) -> Response:
    return Response(status, text, headers, "text/html; charset=utf-8")


def redirect(location: str) -> Response:
    return Response(302, b"", {"Location": location}, "text/plain")


def _posting(app: App, req: Request):
    with app.store.lock:
        campaign = app.store.campaigns.get(req.params["campaign"])
        product = next(
            (
                p
                for p in (campaign or {}).get("products", [])
                if p["productId"] == req.params["product"]
            ),
            None,
        )
        if product is None:
            raise not_found()
        return campaign, product


def board_page(app: App, req: Request) -> Response:
    campaign, product = _posting(app, req)
    with app.store.lock:
        status, text = pages.board_page(product["name"], campaign, product)
    return html(status, text)


def board_apply(app: App, req: Request) -> Response:
    found = app.campaigns.click(req.params["campaign"], req.params["product"])
    if found is None:
        raise not_found()
    campaign, product = found
    if product["status"] != "online":
        return html(
            410,
            pages.message_page(
                "Job no longer available", "This job is no longer available on this board."
            ),
        )
    target = (campaign["postingDetails"] or {}).get("applicationUrl") or "/"
    return redirect(pages.add_query(target, product["utm"] or ""))


def _consent_input(app: App, source: dict):
    raw_channel = str(source.get("channel_id") or "")
    channel = app.catalogue.by_id.get(int(raw_channel)) if raw_channel.isdigit() else None
    callback = str(source.get("callbackUrl") or "")
    if channel is None or urlsplit(callback).scheme not in ("http", "https"):
        return None, callback
    return channel, callback


BAD_CONSENT = ("Cannot connect", "This link needs a known channel_id and an http(s) callbackUrl.")


def consent_page(app: App, req: Request) -> Response:
    channel, callback = _consent_input(app, req.query)
    if channel is None:
        return html(400, pages.message_page(*BAD_CONSENT))
    return html(200, pages.consent_page(channel.name, channel.id, callback))


def consent_decide(app: App, req: Request) -> Response:
    form = req.body if isinstance(req.body, dict) else {}
    channel, callback = _consent_input(app, form)
    if channel is None:
        return html(400, pages.message_page(*BAD_CONSENT))
    token = oauth.issue(channel.id) if form.get("decision") == "allow" else None
    return redirect(pages.consent_redirect(callback, token, fragment=app.oauth_fragment))


def logo(app: App, req: Request) -> Response:
    raw = req.params["id"]
    channel = app.catalogue.by_id.get(int(raw)) if raw.isdigit() else None
    if channel is None:
        raise not_found()
    return Response(
        200,
        pages.logo_svg(channel.id, channel.name),
        {"Cache-Control": "max-age=86400"},
        "image/svg+xml",
    )


def _r(method, path, handler, auth=True):
    regex = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", path)
    return method, re.compile(f"^{regex}$"), handler, auth


CONTROL_ROUTES = [
    _r("GET", "/_sandbox/healthz", healthz, auth=False),
    _r("GET", "/_sandbox/faults", faults_list),
    _r("POST", "/_sandbox/faults", faults_add),
    _r("DELETE", "/_sandbox/faults", faults_clear),
    _r("GET", "/_sandbox/rate-limit", rate_limit_get),
    _r("POST", "/_sandbox/rate-limit", rate_limit_set),
    _r("GET", "/_sandbox/clock", clock_get),
    _r("POST", "/_sandbox/clock/tick", clock_tick),
    _r("POST", "/_sandbox/clock/advance", clock_advance),
    _r("POST", "/_sandbox/reset", reset),
    _r("GET", "/_sandbox/stats", stats),
    _r("POST", "/_sandbox/contracts/{contract_id}/errors", contract_errors),
    _r("POST", "/_sandbox/contracts/{contract_id}/credits", contract_credits),
    _r("GET", "/_sandbox/webhook", webhook_get),
    _r("POST", "/_sandbox/webhook", webhook_set),
    _r("GET", "/_sandbox/behaviour", behaviour_get),
    _r("POST", "/_sandbox/behaviour", behaviour_set),
    _r("GET", "/_sandbox/boards/{campaign}/{product}/?", board_page, auth=False),
    _r("GET", "/_sandbox/boards/{campaign}/{product}/apply/?", board_apply, auth=False),
    _r("POST", "/_sandbox/boards/{campaign}/{product}/apply/?", board_apply, auth=False),
    _r("GET", "/_sandbox/oauth/consent/?", consent_page, auth=False),
    _r("POST", "/_sandbox/oauth/consent/?", consent_decide, auth=False),
    _r("GET", r"/_sandbox/logos/{id}\.svg", logo, auth=False),
]
