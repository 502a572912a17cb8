"""The provider client: the only code in Jobcast that talks to the job distribution provider.

Typed messages in and out (``distribution.messages``), explicit connect and read timeouts,
every failure mapped to one of ``distribution.errors``, every call counted against the shared
rate limiter first. Credentials and the partner token are never logged: a log line says which
endpoint was called, how it ended and how long it took, nothing else.
"""

import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import (
    ProviderAuthenticationError,
    ProviderForbidden,
    ProviderNotFound,
    ProviderProtocolError,
    ProviderRateLimited,
    ProviderRejected,
    ProviderUnavailable,
    describe_field_errors,
    normalize_field_errors,
)
from .messages import (
    CampaignPage,
    ChannelDetail,
    ChannelPage,
    ChannelSummary,
    ContractPage,
    ContractRequest,
    CredentialDefinition,
    CredentialKind,
    CredentialOption,
    DisplayCondition,
    Facet,
    FacetOption,
    FacetRule,
    OrderRequest,
    Product,
    ProviderCampaign,
    ProviderCampaignStatus,
    ProviderContract,
    ProviderGroup,
    ProviderProductStatus,
    TaxonomyEntry,
)
from .ratelimit import Priority, RateLimiter, rate_limiter

__all__ = ["Priority", "ProviderClient", "provider_client"]

log = logging.getLogger(__name__)

_SECRET_WORDS = {"password", "passwd", "pwd", "secret", "token", "key", "apikey", "pin"}
_SECRET_JOINED = re.compile(r"password|passwd|secret|token|apikey|api_key|private")

VALIDATE_CREDENTIALS = "CredentialsValidationEnum.IF_SUPPORTED"
SKIP_CREDENTIAL_VALIDATION = "CredentialsValidationEnum.DISABLED"


def provider_client(
    *, org=None, language: str = "en", priority: Priority = Priority.INTERACTIVE
) -> "ProviderClient":
    """A client configured from settings; ``org`` makes it customer-scoped (X-Customer-Id)."""
    return ProviderClient(
        base_url=settings.PROVIDER_BASE_URL,
        token=settings.PROVIDER_TOKEN,
        customer_id=str(org.provider_customer_id) if org is not None else None,
        language=language,
        priority=priority,
        connect_timeout=float(settings.PROVIDER_CONNECT_TIMEOUT),
        read_timeout=float(settings.PROVIDER_READ_TIMEOUT),
        rate_wait=float(
            settings.PROVIDER_RATE_WAIT_INTERACTIVE
            if priority == Priority.INTERACTIVE
            else settings.PROVIDER_RATE_WAIT_BACKGROUND
        ),
    )


class ProviderClient:
    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        customer_id: str | None = None,
        language: str = "en",
        priority: Priority = Priority.INTERACTIVE,
        connect_timeout: float = 3.05,
        read_timeout: float = 35.0,
        rate_wait: float = 10.0,
        limiter: RateLimiter | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.customer_id = customer_id
        self.language = (language or "en")[:2]
        self.priority = Priority(priority)
        self.timeout = (connect_timeout, read_timeout)
        self.rate_wait = rate_wait
        self._limiter = limiter
        self._session = requests.Session()

    def __repr__(self) -> str:
        return (
            f"<ProviderClient {self.base_url} customer={self.customer_id} "
            f"language={self.language} priority={self.priority}>"
        )

    @property
    def limiter(self) -> RateLimiter:
        return self._limiter or rate_limiter()

    # --- catalogue -----------------------------------------------------------------------

    def list_channels(self, *, search: str = "", limit: int = 100, offset: int = 0) -> ChannelPage:
        params = {"limit": limit, "offset": offset}
        if search:
            params["search"] = search
        data = self._call("GET", "/products/channels/mocs/", params=params)
        with _parsing("GET /products/channels/mocs/"):
            return ChannelPage(
                count=int(data["count"]),
                channels=[_channel_summary(item) for item in data["results"]],
                has_next=bool(data.get("next")),
            )

    def get_channel(self, channel_id: int) -> ChannelDetail:
        data = self._call("GET", f"/products/channels/mocs/{int(channel_id)}/")
        with _parsing("GET /products/channels/mocs/{id}/"):
            return _channel_detail(data)

    def list_industries(self) -> list[TaxonomyEntry]:
        return self._bilingual_tree("/products/industries/")

    def list_job_functions(self) -> list[TaxonomyEntry]:
        return self._bilingual_tree("/products/job-functions/")

    def list_education_levels(self) -> list[TaxonomyEntry]:
        return self._multilingual_list("/taxonomy/education-levels")

    def list_seniorities(self) -> list[TaxonomyEntry]:
        return self._multilingual_list("/taxonomy/seniority")

    # --- contract groups -----------------------------------------------------------------

    def list_groups(self) -> list[ProviderGroup]:
        data = self._call("GET", "/igb/contracts/groups/")
        with _parsing("GET /igb/contracts/groups/"):
            return [_group(item) for item in _results(data)]

    def create_group(self, name: str) -> ProviderGroup:
        data = self._call("POST", "/igb/contracts/groups/", body={"name": name})
        with _parsing("POST /igb/contracts/groups/"):
            return _group(data)

    def rename_group(self, idx: int, name: str) -> ProviderGroup:
        data = self._call("PATCH", f"/igb/contracts/groups/{int(idx)}/", body={"name": name})
        with _parsing("PATCH /igb/contracts/groups/{idx}/"):
            return _group(data)

    def delete_group(self, idx: int) -> None:
        self._call("DELETE", f"/igb/contracts/groups/{int(idx)}/")

    # --- contracts -----------------------------------------------------------------------

    def create_contract(self, request: ContractRequest) -> ProviderContract:
        body: dict = {
            "channel_id": int(request.channel_id),
            "credentials": dict(request.credentials),
            "credentials_validation": (
                VALIDATE_CREDENTIALS if request.validate_credentials else SKIP_CREDENTIAL_VALIDATION
            ),
        }
        if request.alias:
            body["alias"] = request.alias
        if request.group_id:
            body["group_id"] = str(request.group_id)
        if request.followed_instructions is not None:
            body["followed_instructions"] = bool(request.followed_instructions)
        if request.posting_duration_days is not None:
            body["posting_duration_days"] = int(request.posting_duration_days)
        data = self._call("POST", "/contracts/", body=body)
        with _parsing("POST /contracts/"):
            return _contract(data)

    def get_contract(self, contract_id: str) -> ProviderContract:
        data = self._call("GET", f"/contracts/single/{_segment(contract_id)}/")
        with _parsing("GET /contracts/single/{contract_id}/"):
            return _contract(data)

    def update_contract(
        self,
        contract_id: str,
        *,
        alias: str | None = None,
        credentials: dict[str, str] | None = None,
        posting_duration_days: int | None = None,
        validate_credentials: bool = True,
    ) -> ProviderContract:
        body: dict = {}
        if alias is not None:
            body["alias"] = alias
        if credentials is not None:
            body["credentials"] = dict(credentials)
            body["credentials_validation"] = (
                VALIDATE_CREDENTIALS if validate_credentials else SKIP_CREDENTIAL_VALIDATION
            )
        if posting_duration_days is not None:
            body["posting_duration_days"] = int(posting_duration_days)
        data = self._call("PATCH", f"/contracts/single/{_segment(contract_id)}/", body=body)
        with _parsing("PATCH /contracts/single/{contract_id}/"):
            return _contract(data)

    def delete_contract(self, contract_id: str) -> None:
        self._call("DELETE", f"/contracts/{_segment(contract_id)}/")

    def list_contracts(
        self,
        *,
        channel_id: int | None = None,
        group_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ContractPage:
        params: dict = {"limit": limit, "offset": offset}
        if channel_id is not None:
            params["channel_id"] = int(channel_id)
        if group_id:
            params["group_id"] = str(group_id)
        data = self._call("GET", "/contracts/", params=params)
        with _parsing("GET /contracts/"):
            return ContractPage(
                count=int(data["count"]), contracts=[_contract(item) for item in data["results"]]
            )

    def autocomplete(self, contract_id: str, name: str, term: str) -> list[FacetOption]:
        path = f"/contracts/posting-requirements/{_segment(contract_id)}/{_segment(name)}/"
        data = self._call("POST", path, body={"term": term})
        with _parsing("POST /contracts/posting-requirements/{id}/{name}/"):
            return [_facet_option(item) for item in _results(data)]

    # --- campaigns -----------------------------------------------------------------------

    def validate_campaign(self, order: OrderRequest) -> dict[str, object]:
        """Field errors the provider finds in ``order`` (empty when it would accept it)."""
        try:
            data = self._call(
                "POST", "/campaigns/validate-campaign/", body={"campaign": order_body(order)}
            )
        except ProviderRejected as error:
            if error.status in (400, 422) and not isinstance(error, ProviderForbidden):
                return error.field_errors
            raise
        with _parsing("POST /campaigns/validate-campaign/"):
            if not data.get("has_errors"):
                return {}
            return normalize_field_errors(data.get("errors") or {"": ["Invalid campaign."]})

    def order_campaign(self, order: OrderRequest) -> str:
        """Order the campaign; returns its campaignId. May take up to 30 s. A timeout or 5xx
        leaves the outcome unknown: look the order up by its order reference label."""
        data = self._call("POST", "/campaigns/order", body=order_body(order))
        with _parsing("POST /campaigns/order"):
            return str(data["campaignId"])

    def find_campaigns_by_label(self, key: str, value: str) -> list[ProviderCampaign]:
        params = {f"label[{key}]": value, "limit": 50, "offset": 0}
        data = self._call("GET", "/campaigns", params=params)
        with _parsing("GET /campaigns"):
            return [_campaign(item) for item in data["data"]]

    def get_campaign(self, campaign_id: str) -> ProviderCampaign:
        data = self._call("GET", f"/campaigns/{_segment(campaign_id)}")
        with _parsing("GET /campaigns/{campaignId}"):
            return _campaign(data["data"])

    def get_campaign_status(self, campaign_id: str) -> ProviderCampaignStatus:
        data = self._call("GET", f"/campaigns/{_segment(campaign_id)}/status")
        with _parsing("GET /campaigns/{campaignId}/status"):
            status = data["data"]
            return ProviderCampaignStatus(
                campaign_id=str(status["campaignId"]),
                status=str(status["status"]),
                products=[
                    _product_status(item) for item in status.get("orderedProductsStatuses") or []
                ],
            )

    def list_campaigns_modified_since(
        self, since: datetime, *, limit: int = 100, offset: int = 0
    ) -> CampaignPage:
        params = {
            "sortBy": "modifiedOn.asc",
            "modifiedOn.gte": _iso(since),
            "limit": limit,
            "offset": offset,
        }
        data = self._call("GET", "/campaigns", params=params)
        with _parsing("GET /campaigns"):
            return CampaignPage(
                total=int(data["total"]), campaigns=[_campaign(item) for item in data["data"]]
            )

    def cancel_campaign(self, campaign_id: str) -> None:
        self._call(
            "PUT",
            f"/campaigns/{_segment(campaign_id)}/cancellation",
            body={"campaignId": str(campaign_id), "status": "offline"},
        )

    def cancel_product(self, campaign_id: str, product_id: str) -> None:
        self._call(
            "PUT",
            f"/campaigns/{_segment(campaign_id)}/product_cancellation",
            body={"productId": str(product_id), "status": "offline"},
        )

    # --- transport -----------------------------------------------------------------------

    def _headers(self, language: str | None) -> dict[str, str]:
        headers = {
            "X-Auth-Token": self._token,
            "Accept": "application/json",
            "Accept-Language": language or self.language,
            "User-Agent": "Jobcast/1",
        }
        if self.customer_id:
            headers["X-Customer-Id"] = self.customer_id
        return headers

    def _call(self, method: str, path: str, *, params=None, body=None, language=None):
        """Send one request and return its decoded JSON (None for an empty answer)."""
        self.limiter.acquire(self.priority, timeout=self.rate_wait)
        headers = self._headers(language)
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        started = time.monotonic()
        try:
            response = self._session.request(
                method,
                self.base_url + path,
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout as error:
            log.warning("provider %s %s timed out", method, path)
            raise ProviderUnavailable(
                _(
                    "The job distribution provider did not answer in time (%(seconds)s s). "
                    "Try again in a few minutes."
                )
                % {"seconds": self._timeout_hit(error)}
            ) from error
        except requests.RequestException as error:
            log.warning("provider %s %s failed: %s", method, path, type(error).__name__)
            raise ProviderUnavailable(
                _(
                    "The job distribution provider could not be reached (%(reason)s). "
                    "Try again in a few minutes."
                )
                % {"reason": _connection_reason(error)}
            ) from error
        elapsed_ms = (time.monotonic() - started) * 1000
        log.info("provider %s %s -> %s in %.0f ms", method, path, response.status_code, elapsed_ms)
        return _decode(response, f"{method} {path}")

    def _timeout_hit(self, error: requests.Timeout):
        connect, read = self.timeout
        return f"{connect:g}" if isinstance(error, requests.ConnectTimeout) else f"{read:g}"

    def _bilingual_tree(self, path: str) -> list[TaxonomyEntry]:
        english = self._call("GET", path, language="en")
        french = self._call("GET", path, language="fr")
        with _parsing(f"GET {path}"):
            french_names = {}

            def collect(items):
                for item in items:
                    french_names[int(item["id"])] = str(item["name"])
                    collect(item.get("children") or [])

            collect(_results(french))

            def entry(item) -> TaxonomyEntry:
                provider_id = int(item["id"])
                return TaxonomyEntry(
                    id=provider_id,
                    name_en=str(item["name"]),
                    name_fr=french_names.get(provider_id, ""),
                    children=[entry(child) for child in item.get("children") or []],
                )

            return [entry(item) for item in _results(english)]

    def _multilingual_list(self, path: str) -> list[TaxonomyEntry]:
        data = self._call("GET", path)
        with _parsing(f"GET {path}"):
            entries = []
            for item in _results(data):
                names = item["name"]
                if isinstance(names, str):
                    names = [{"languageCode": "en", "value": names}]
                by_language = {str(n["languageCode"])[:2]: str(n["value"]) for n in names}
                entries.append(
                    TaxonomyEntry(
                        id=int(item["id"]),
                        name_en=by_language.get("en") or next(iter(by_language.values()), ""),
                        name_fr=by_language.get("fr", ""),
                    )
                )
            return entries


# --- answers to exceptions ---------------------------------------------------------------


def _decode(response: requests.Response, what: str):
    status = response.status_code
    if 200 <= status < 300:
        if status == 204 or not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            raise ProviderProtocolError(
                _(
                    "The job distribution provider sent an answer we cannot read (not JSON) "
                    "to %(what)s. Try again later; if it persists, contact support."
                )
                % {"what": what}
            ) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if status == 401:
        raise ProviderAuthenticationError(
            _(
                "The job distribution provider refused our partner token (401). An operator "
                "must check the PROVIDER_TOKEN setting."
            )
        )
    if status == 429:
        retry_after = _retry_after(response.headers.get("Retry-After"))
        raise ProviderRateLimited(
            _(
                "The job distribution provider is receiving too many calls from us; "
                "try again in %(seconds)d seconds."
            )
            % {"seconds": max(1, round(retry_after))},
            retry_after=retry_after,
        )
    if status >= 500:
        raise ProviderUnavailable(
            _(
                "The job distribution provider has a problem on its side (%(status)d). "
                "Try again in a few minutes."
            )
            % {"status": status}
        )
    if 400 <= status < 500:
        errors = normalize_field_errors(body) if body is not None else {}
        details = describe_field_errors(errors)
        if status == 404:
            cls, message = ProviderNotFound, _("The job distribution provider does not know it.")
        elif status == 403:
            cls = ProviderForbidden
            message = _("The job distribution provider does not allow this.")
        elif status == 413:
            cls, message = ProviderRejected, _("The request is too large for the provider.")
        elif status == 415:
            cls = ProviderRejected
            message = _("The provider does not accept the request's content type.")
        else:
            cls = ProviderRejected
            message = _("The job distribution provider refused the request.")
        if details:
            message = f"{message} {details}"
        raise cls(message, field_errors=errors, status=status)
    raise ProviderProtocolError(
        _("The job distribution provider answered %(what)s with an unexpected status %(status)d.")
        % {"what": what, "status": status}
    )


def _retry_after(value: str | None) -> float:
    if not value:
        return float(getattr(settings, "PROVIDER_RATE_WINDOW", 60))
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return float(getattr(settings, "PROVIDER_RATE_WINDOW", 60))
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


def _connection_reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.exceptions.ChunkedEncodingError | ConnectionResetError):
        return _("the connection was dropped while reading the answer")
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        if "RemoteDisconnected" in text or "Connection aborted" in text:
            return _("the connection was closed without an answer")
        return _("connection refused or network unreachable")
    return type(error).__name__


@contextmanager
def _parsing(what: str) -> Iterator[None]:
    """A well-formed JSON answer of the wrong shape is a protocol error, never a crash."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ProviderProtocolError(
            _(
                "The job distribution provider's answer to %(what)s is not what we expect "
                "(%(problem)s). Try again later; if it persists, contact support."
            )
            % {"what": what, "problem": f"{type(error).__name__}: {error}"[:120]}
        ) from error


# --- provider JSON to messages -----------------------------------------------------------


def _segment(value) -> str:
    return quote(str(value), safe="")


def _results(data):
    return data["results"] if isinstance(data, dict) and "results" in data else list(data)


def _text(value) -> str:
    return "" if value is None else str(value)


def _logo(value) -> str:
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("url"):
                return str(item["url"])
        return ""
    return _text(value)


def _channel_summary(item: dict) -> ChannelSummary:
    return ChannelSummary(
        provider_id=int(item["id"]),
        name=str(item["name"]),
        url=_text(item.get("url")),
        type=_text(item.get("type")),
        logo_url=_logo(item.get("logo_url")),
        mc_enabled=bool(item.get("mc_enabled", True)),
    )


def credential_kind(name: str, *, url: str = "", options=None) -> CredentialKind:
    if url:
        return CredentialKind.OAUTH
    if options:
        return CredentialKind.SELECT
    lowered = name.lower()
    if set(re.split(r"[^a-z0-9]+", lowered)) & _SECRET_WORDS or _SECRET_JOINED.search(lowered):
        return CredentialKind.SECRET
    return CredentialKind.TEXT


def _credential(item: dict) -> CredentialDefinition:
    options = [
        CredentialOption(key=str(o["key"]), label=_text(o.get("label")) or str(o["key"]))
        for o in item.get("options") or []
    ]
    url = _text(item.get("url"))
    name = str(item["name"])
    return CredentialDefinition(
        name=name,
        label=_text(item.get("label")) or name,
        kind=credential_kind(name, url=url, options=options),
        sort=int(item.get("sort") or 0),
        description=_text(item.get("description")),
        url=url,
        options=options,
    )


def _facet_option(item: dict) -> FacetOption:
    return FacetOption(
        key=str(item["key"]),
        label=_text(item.get("label")) or str(item["key"]),
        sort=_text(item.get("sort")),
        default=bool(item.get("default")),
        parent=None if item.get("parent") in (None, "") else str(item["parent"]),
    )


def _facet(item: dict) -> Facet:
    rules = []
    for rule in item.get("rules") or []:
        if isinstance(rule, dict):
            rules.append(FacetRule(rule=str(rule["rule"]), data=_text(rule.get("data"))))
    display = item.get("display_rules") or {}
    conditions = [
        DisplayCondition(facet=str(c["facet"]), op=str(c["op"]), value=c.get("value"))
        for c in (display.get("show") or [] if isinstance(display, dict) else [])
    ]
    return Facet(
        name=str(item["name"]),
        label=_text(item.get("label")) or str(item["name"]),
        type=str(item.get("type") or "TEXT").upper(),
        sort=_text(item.get("sort")),
        required=bool(item.get("required")),
        message=_text(item.get("message")),
        options=[_facet_option(o) for o in item.get("options") or []],
        rules=rules,
        autocomplete=bool(item.get("autocomplete")),
        display_rules=conditions,
    )


def _product(item) -> Product | None:
    if not item or not item.get("product_id"):
        return None
    return Product(product_id=str(item["product_id"]), title=_text(item.get("title")))


def _channel_detail(data: dict) -> ChannelDetail:
    summary = _channel_summary(data)
    return ChannelDetail(
        provider_id=summary.provider_id,
        name=summary.name,
        url=summary.url,
        type=summary.type,
        logo_url=summary.logo_url,
        mc_enabled=summary.mc_enabled,
        manual_setup_required=bool(data.get("manual_setup_required")),
        setup_instructions=_text(data.get("setup_instructions")),
        credentials=sorted(
            (_credential(c) for c in data.get("contract_credentials") or []),
            key=lambda c: c.sort,
        ),
        posting_requirements=[_facet(f) for f in data.get("posting_requirements") or []],
        product=_product(data.get("product")),
    )


def _group(item: dict) -> ProviderGroup:
    return ProviderGroup(id=str(item["id"]), idx=int(item["idx"]), name=str(item["name"]))


def _contract(item: dict) -> ProviderContract:
    group = item.get("group")
    days = item.get("posting_duration_days")
    return ProviderContract(
        contract_id=str(item["contract_id"]),
        channel_id=int(item["channel_id"]),
        alias=_text(item.get("alias")),
        group=_group(group) if group else None,
        product=_product(item.get("product")),
        posting_duration_days=None if days in (None, -1) else int(days),
        posting_requirements={
            str(k): _text(v) for k, v in (item.get("posting_requirements") or {}).items()
        },
        errors=[_text(e) for e in item.get("errors") or []],
        credentials={str(k): _text(v) for k, v in (item.get("credentials") or {}).items()},
    )


def _datetime(value) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _product_status(item: dict, clicks: int | None = None) -> ProviderProductStatus:
    return ProviderProductStatus(
        product_id=str(item["productId"]),
        status=str(item.get("status") or "in progress"),
        contract_id=None if item.get("contractId") is None else str(item["contractId"]),
        status_description=_text(item.get("statusDescription")),
        status_solution=_text(item.get("statusSolution")),
        status_raw_error=_text(item.get("statusRawError")),
        delivered_on=_datetime(item.get("deliveredOn")),
        job_board_link=_text(item.get("jobBoardLink")),
        clicks=clicks,
    )


def _campaign(item: dict) -> ProviderCampaign:
    clicks = {
        str(p["productId"]): int(p["clicks"])
        for p in item.get("postings") or []
        if p.get("clicks") is not None
    }
    return ProviderCampaign(
        campaign_id=str(item["campaignId"]),
        name=_text(item.get("campaignName")),
        order_reference=_text(item.get("orderReference")),
        labels={str(k): _text(v) for k, v in (item.get("labels") or {}).items()},
        status=str(item.get("status") or "in progress"),
        created_on=_datetime(item.get("createdOn")),
        modified_on=_datetime(item.get("modifiedOn")),
        products=[
            _product_status(spec, clicks.get(str(spec["productId"])))
            for spec in item.get("orderedProductsSpecs") or []
        ],
    )


# --- messages to provider JSON -----------------------------------------------------------


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}


def order_body(order: OrderRequest) -> dict:
    """The provider's order body (``POST /campaigns/order``) for ``order``."""
    posting = order.posting
    location = posting.working_location
    details: dict = {
        "title": posting.title,
        "description": posting.description,
        "organization": {
            "name": posting.organization_name,
            "companyLogo": posting.organization_logo,
        },
        "workingLocation": _drop_empty(
            {
                "addressLine1": location.address_line1,
                "addressLine2": location.address_line2,
                "postcode": location.postcode,
                "city": location.city,
                "country": location.country,
            }
        )
        | {"allowsRemoteWork": 1 if location.allows_remote_work else 0},
        "yearsOfExperience": int(posting.years_of_experience),
        "employmentType": posting.employment_type,
        "weeklyWorkingHours": _drop_empty(
            {
                "from": posting.weekly_working_hours.from_hours,
                "to": posting.weekly_working_hours.to_hours,
            }
        ),
        "jobPageUrl": posting.job_page_url,
        "applicationUrl": posting.application_url,
    }
    if posting.contact_info is not None:
        details["contactInfo"] = _drop_empty(
            {
                "name": posting.contact_info.name,
                "emailAddress": posting.contact_info.email,
                "phoneNumber": posting.contact_info.phone,
            }
        )
    if posting.salary_indication is not None:
        salary = posting.salary_indication
        details["salaryIndication"] = {
            "period": salary.period,
            "range": _drop_empty(
                {"from": salary.from_amount, "to": salary.to_amount, "currency": salary.currency}
            ),
        }

    def refs(items):
        return [{"vonqId": str(ref.vonq_id), "description": ref.description} for ref in items]

    specs = []
    for spec in order.products:
        item = {
            "productId": spec.product_id,
            "contractId": spec.contract_id,
            "postingRequirements": dict(spec.posting_requirements),
        }
        if spec.utm:
            item["utm"] = spec.utm
        if spec.posting_duration_days is not None:
            item["postingDurationDays"] = int(spec.posting_duration_days)
        specs.append(item)
    body = {
        "companyId": order.company_id,
        "campaignName": order.campaign_name,
        "orderReference": order.order_reference,
        "recruiterInfo": _drop_empty(
            {
                "id": order.recruiter.id,
                "name": order.recruiter.name,
                "emailAddress": order.recruiter.email,
            }
        ),
        "postingDetails": details,
        "targetGroup": {
            "educationLevel": refs(order.target_group.education_level),
            "seniority": refs(order.target_group.seniority),
            "industry": refs(order.target_group.industry),
            "jobCategory": refs(order.target_group.job_category),
        },
        "orderedProducts": [spec.product_id for spec in order.products],
        "orderedProductsSpecs": specs,
    }
    if order.labels:
        body["labels"] = dict(order.labels)
    return body
