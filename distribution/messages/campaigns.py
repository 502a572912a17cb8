"""Campaigns as the provider reports them: statuses, job ad links, clicks."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class CampaignStatus(StrEnum):
    IN_PROGRESS = "in progress"
    ONLINE = "online"  # at least one board is online
    OFFLINE = "offline"


class ProductStatus(StrEnum):
    """One board of a campaign: ``in progress`` → ``online`` | ``not processed`` (a
    permanent failure); ``online`` → ``offline`` (expired or cancelled)."""

    IN_PROGRESS = "in progress"
    ONLINE = "online"
    OFFLINE = "offline"
    NOT_PROCESSED = "not processed"


@dataclass(frozen=True)
class ProviderProductStatus:
    product_id: str
    status: ProductStatus
    contract_id: str | None = None
    status_description: str = ""
    status_solution: str = ""  # may contain markup: show as text
    status_raw_error: str = ""  # may contain markup: show as text
    delivered_on: datetime | None = None
    job_board_link: str = ""  # http(s) only
    clicks: int | None = None


@dataclass(frozen=True)
class ProviderCampaign:
    campaign_id: str
    name: str
    order_reference: str
    labels: dict[str, str]
    status: CampaignStatus
    created_on: datetime | None
    modified_on: datetime | None
    products: list[ProviderProductStatus]
    # The X-Customer-Id it was ordered with ("" when the answer does not say): what a
    # partner-level list is checked against before a campaign is applied.
    customer_id: str = ""


@dataclass(frozen=True)
class ProviderCampaignStatus:
    campaign_id: str
    status: CampaignStatus
    products: list[ProviderProductStatus]


@dataclass(frozen=True)
class CampaignPage:
    total: int
    campaigns: list[ProviderCampaign]


@dataclass(frozen=True)
class CampaignNotification:
    """A provider webhook: which campaign changed (a hint to fetch it, nothing more)."""

    request_id: str  # the same notification may come twice: deduplicate by it
    campaign_id: str
    modified_on: str = ""  # as the provider wrote it
