"""Campaigns: statuses and the list answer, validation, take-down requests."""

import logging
from collections.abc import Mapping
from datetime import datetime

from django.utils.translation import gettext as _

from distribution.errors import normalize_field_errors
from distribution.messages import (
    CampaignNotification,
    CampaignPage,
    CampaignStatus,
    ProductStatus,
    ProviderCampaign,
    ProviderCampaignStatus,
    ProviderProductStatus,
)
from distribution.values import number, text, web_url

from .decoding import ShapeError, field, iso, moment, require_list, require_object

log = logging.getLogger(__name__)

# Both spellings of the "modified since" filter: the guides' (``modifiedOn_gte``) and the
# OpenAPI document's (``modifiedOn.gte``). A service ignores the one it does not know, so
# the caller must not trust either: it stops paging by the ``modifiedOn`` values it reads.
MODIFIED_SINCE_PARAMS = ("modifiedOn_gte", "modifiedOn.gte")
SORT_MODIFIED_ASC = "modifiedOn.asc"
SORT_MODIFIED_DESC = "modifiedOn.desc"
SORT_CREATED_DESC = "createdOn.desc"


def decode_order_answer(data) -> str:
    """``POST /campaigns/order`` → 201 ``{campaignId}``."""
    return text(field(require_object(data, "the order answer"), "campaignId", "the order answer"))


def decode_validation(data) -> dict:
    """``validate-campaign``'s answer ``{errors, has_errors}`` as field errors (empty when
    valid). The provider answers 200 (OpenAPI document) or 422 (guides) when invalid."""
    data = require_object(data, "the validation answer")
    if "has_errors" not in data and "errors" not in data:
        raise ShapeError(
            "the validation answer has neither 'errors' nor 'has_errors'",
            expected="a validation answer {errors, has_errors}",
        )
    if not data.get("has_errors") and not data.get("errorDetails"):
        return {}
    errors = normalize_field_errors(data)
    return errors or {"": [_("The provider found the campaign invalid but named no field.")]}


def decode_campaign_answer(data) -> ProviderCampaign:
    """``GET /campaigns/{campaignId}`` → ``{data: campaign}``."""
    return decode_campaign(require_object(data, "the campaign answer").get("data"))


def decode_campaign(item) -> ProviderCampaign:
    """One campaign. A board whose entry cannot be read (no ``productId``, an undocumented
    status) is left out and logged, so that the rest of the campaign still applies."""
    item = require_object(item, "a campaign")
    campaign_id = text(field(item, "campaignId", "a campaign"))
    clicks = _clicks(item.get("postings"), campaign_id)
    products = _products(item.get("orderedProductsSpecs"), campaign_id, clicks)
    labels = item.get("labels") or {}
    return ProviderCampaign(
        campaign_id=campaign_id,
        name=text(item.get("campaignName")),
        order_reference=text(item.get("orderReference")),
        labels=(
            {text(k): text(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {}
        ),
        status=_campaign_status(item.get("status"), products, campaign_id),
        created_on=moment(item.get("createdOn")),
        modified_on=moment(item.get("modifiedOn")),
        products=products,
        customer_id=text(item.get("customerId")),
    )


def decode_campaign_status(data) -> ProviderCampaignStatus:
    """``GET /campaigns/{campaignId}/status`` → ``{data: {campaignId, status,
    orderedProductsStatuses}}``."""
    status = require_object(require_object(data, "the status answer").get("data"), "its data")
    campaign_id = text(field(status, "campaignId", "the status answer"))
    products = _products(status.get("orderedProductsStatuses"), campaign_id, {})
    return ProviderCampaignStatus(
        campaign_id=campaign_id,
        status=_campaign_status(status.get("status"), products, campaign_id),
        products=products,
    )


def decode_campaign_page(data) -> CampaignPage:
    """``GET /campaigns`` → ``{total, limit, offset, data: [campaign, ...]}``. A campaign
    that cannot be read is left out and logged; the others still count."""
    data = require_object(data, "the campaign list")
    items = require_list(data.get("data"), "the campaign list's data")
    campaigns = []
    for item in items:
        try:
            campaigns.append(decode_campaign(item))
        except ShapeError as error:
            log.warning("provider campaign list: an entry was skipped: %s", error)
    total = data.get("total")
    return CampaignPage(
        total=number(total) if total is not None else len(items), campaigns=campaigns
    )


def campaign_list_params(
    *,
    since: datetime | None = None,
    sort: str = SORT_MODIFIED_ASC,
    limit: int = 50,
    offset: int = 0,
    labels: Mapping[str, str] | None = None,
) -> dict:
    params: dict = {"sortBy": sort, "limit": int(limit), "offset": int(offset)}
    if since is not None:
        for name in MODIFIED_SINCE_PARAMS:
            params[name] = iso(since)
    for key, value in (labels or {}).items():
        params[f"label[{key}]"] = value
    return params


def decode_cancellation_answer(data, campaign_id: str) -> None:
    """202 ``{campaignId}`` (or an empty body): anything naming another campaign is wrong."""
    if data in (None, "", {}):
        return
    answered = require_object(data, "the cancellation answer").get("campaignId")
    if answered is not None and text(answered) != text(campaign_id):
        raise ShapeError(
            f"the answer names campaign {answered!r}", expected="the campaign cancelled"
        )


def decode_notification(data) -> CampaignNotification:
    """What the provider posts to our callback URL: ``{request_id, campaign_id,
    modified_on}``. A hint only: the campaign itself is fetched afterwards."""
    data = require_object(data, "the notification")
    return CampaignNotification(
        request_id=text(field(data, "request_id", "the notification")).strip(),
        campaign_id=text(field(data, "campaign_id", "the notification")).strip(),
        modified_on=text(data.get("modified_on")),
    )


def cancellation_body(campaign_id: str) -> dict:
    return {"campaignId": str(campaign_id), "status": "offline"}


def product_cancellation_body(campaign_id: str, product_id: str) -> dict:
    """The guides require ``campaignId`` here too (the OpenAPI example leaves it out)."""
    return {"campaignId": str(campaign_id), "productId": str(product_id), "status": "offline"}


# --- statuses ------------------------------------------------------------------------------


def product_status(value) -> ProductStatus:
    """``in progress`` as documented, and the ``in_progress`` spelling of the guides' state
    diagrams; anything else is a shape error."""
    spelled = text(value).strip().lower().replace("_", " ")
    try:
        return ProductStatus(spelled)
    except ValueError:
        raise ShapeError(
            f"status {value!r}",
            expected="a status among " + ", ".join(repr(s.value) for s in ProductStatus),
        ) from None


def _campaign_status(value, products: list[ProviderProductStatus], campaign_id: str):
    """The campaign's status is an aggregate of its boards' statuses: an undocumented value
    is derived from them instead (and logged) rather than losing the boards' news."""
    spelled = text(value).strip().lower().replace("_", " ")
    try:
        return CampaignStatus(spelled)
    except ValueError:
        log.warning("provider campaign %s: undocumented status %r", campaign_id, value)
    statuses = {product.status for product in products}
    if ProductStatus.ONLINE in statuses:
        return CampaignStatus.ONLINE
    if ProductStatus.IN_PROGRESS in statuses:
        return CampaignStatus.IN_PROGRESS
    return CampaignStatus.OFFLINE


def _products(items, campaign_id: str, clicks: dict[str, int]) -> list[ProviderProductStatus]:
    products = []
    for item in require_list(items or [], "the campaign's products"):
        try:
            products.append(_product(item, clicks))
        except ShapeError as error:
            log.warning("provider campaign %s: a board was skipped: %s", campaign_id, error)
    return products


def _product(item, clicks: dict[str, int]) -> ProviderProductStatus:
    item = require_object(item, "an ordered product")
    product_id = text(field(item, "productId", "an ordered product"))
    contract_id = item.get("contractId")
    return ProviderProductStatus(
        product_id=product_id,
        status=product_status(item.get("status") or ProductStatus.IN_PROGRESS),
        contract_id=None if contract_id in (None, "") else text(contract_id),
        status_description=text(item.get("statusDescription")),
        status_solution=text(item.get("statusSolution")),
        status_raw_error=text(item.get("statusRawError")),
        delivered_on=moment(item.get("deliveredOn")),
        job_board_link=web_url(item.get("jobBoardLink")),
        clicks=clicks.get(product_id),
    )


def _clicks(postings, campaign_id: str) -> dict[str, int]:
    """Clicks per product from ``postings`` (cumulative); entries without a productId or a
    number of clicks tell us nothing and are skipped."""
    clicks = {}
    for posting in postings if isinstance(postings, list) else []:
        if not isinstance(posting, Mapping) or not posting.get("productId"):
            log.info("provider campaign %s: a posting without productId was skipped", campaign_id)
            continue
        value = posting.get("clicks")
        if isinstance(value, int | float) and not isinstance(value, bool):
            clicks[text(posting["productId"])] = int(value)
    return clicks
