"""Contract groups and contracts, as sent to and received from the provider."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from .catalogue import Product
from .facets import Facet


@dataclass(frozen=True)
class ProviderGroup:
    id: str  # uuid
    idx: int
    name: str


@dataclass(frozen=True)
class ContractRequest:
    channel_id: int
    credentials: dict[str, str] = field(repr=False, default_factory=dict)
    alias: str = ""
    group_id: str | None = None  # provider group uuid; None: the default group
    followed_instructions: bool | None = None  # only for channels with a manual setup
    posting_duration_days: int | None = None  # 7..365, None: the board's default
    validate_credentials: bool = True
    # Terms the provider takes only at creation (they cannot change afterwards).
    credits: int | None = None
    expiry_date: datetime.date | None = None
    purchase_price_amount: Decimal | None = None
    purchase_price_currency: str = ""  # ISO 4217, with an amount


@dataclass(frozen=True)
class ProviderContract:
    contract_id: str
    channel_id: int
    alias: str
    group: ProviderGroup | None
    product: Product | None
    posting_duration_days: int | None
    # Facet name → label. The provider answers either a list of facets (its guides) or an
    # object of labels (its OpenAPI document); both end up here.
    posting_requirements: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # text values come back encrypted by the provider, select values in clear
    credentials: dict[str, str] = field(repr=False, default_factory=dict)
    # The full facets when the provider sent them (the guides' list shape), else empty.
    facets: list[Facet] = field(default_factory=list)
    # Terms set at creation; ``credits`` is what remains. None: not given (no limit).
    credits: int | None = None
    expiry_date: datetime.date | None = None
    purchase_price_amount: Decimal | None = None
    purchase_price_currency: str = ""
    # Default values of the board's requirements (facet name → the provider's value), as
    # the provider stores and returns them; it never applies them to orders itself.
    posting_requirements_defaults: dict[str, object] = field(default_factory=dict)
    # Whether the answer carried ``errors`` at all (the guides' list summaries leave it out:
    # then nothing is known about them).
    errors_reported: bool = True

    @property
    def is_ready(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ContractPage:
    count: int
    contracts: list[ProviderContract]
