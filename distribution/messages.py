"""Typed messages exchanged with the provider: what the client takes and gives back.

Field names here are ours (snake_case); ``distribution.client`` maps them to and from the
provider's own names. Anything carrying credentials keeps them out of ``repr``.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

# --- catalogue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelSummary:
    provider_id: int
    name: str
    url: str = ""
    type: str = ""
    logo_url: str = ""
    mc_enabled: bool = True


@dataclass(frozen=True)
class ChannelPage:
    count: int
    channels: list[ChannelSummary]
    has_next: bool = False


@dataclass(frozen=True)
class CredentialOption:
    key: str
    label: str


class CredentialKind(StrEnum):
    OAUTH = "oauth"
    SELECT = "select"
    SECRET = "secret"  # noqa: S105 - a kind of input, not a password
    TEXT = "text"


@dataclass(frozen=True)
class CredentialDefinition:
    """One credential a board needs for a contract. ``kind`` is derived (the provider sends
    none): ``oauth`` when it has a url, ``select`` when it has options, ``secret`` for
    secret-looking names (masked input, never shown back), else ``text``."""

    name: str
    label: str
    kind: CredentialKind
    sort: int = 0
    description: str = ""
    url: str = ""
    options: list[CredentialOption] = field(default_factory=list)


@dataclass(frozen=True)
class FacetOption:
    key: str
    label: str
    sort: str = ""
    default: bool = False
    parent: str | None = None


@dataclass(frozen=True)
class FacetRule:
    """``rule`` is maxlength, minlength, maxitems, minitems, int, float, regex, date, email
    or url; ``data`` its argument as the provider gives it (a string)."""

    rule: str
    data: str = ""


@dataclass(frozen=True)
class DisplayCondition:
    """Show the facet only if facet ``facet`` satisfies ``op`` (equal, in, notempty,
    contains) with ``value``. All conditions of a facet must hold."""

    facet: str
    op: str
    value: object = None


@dataclass(frozen=True)
class Facet:
    """A board's extra posting field. ``type``: TEXT, TEXTAREA, HTMLAREA, TEXTEXPAND, SELECT,
    MULTIPLE, HIER, AUTOCOMPLETE, DATE, STATISCH (display-only)."""

    name: str
    label: str
    type: str
    sort: str = ""
    required: bool = False
    message: str = ""
    options: list[FacetOption] = field(default_factory=list)
    rules: list[FacetRule] = field(default_factory=list)
    autocomplete: bool = False
    display_rules: list[DisplayCondition] = field(default_factory=list)


@dataclass(frozen=True)
class Product:
    product_id: str
    title: str = ""


@dataclass(frozen=True)
class ChannelDetail:
    provider_id: int
    name: str
    url: str
    type: str
    logo_url: str
    mc_enabled: bool
    manual_setup_required: bool
    setup_instructions: str  # HTML from the provider: sanitise before rendering
    credentials: list[CredentialDefinition]
    posting_requirements: list[Facet]
    product: Product | None


@dataclass(frozen=True)
class TaxonomyEntry:
    id: int
    name_en: str
    name_fr: str = ""
    children: list["TaxonomyEntry"] = field(default_factory=list)


# --- contract groups and contracts ---------------------------------------------------------


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


@dataclass(frozen=True)
class ProviderContract:
    contract_id: str
    channel_id: int
    alias: str
    group: ProviderGroup | None
    product: Product | None
    posting_duration_days: int | None
    # facet name → label, as the provider summarises a contract's posting requirements
    posting_requirements: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # text values come back encrypted by the provider, select values in clear
    credentials: dict[str, str] = field(repr=False, default_factory=dict)

    @property
    def is_ready(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ContractPage:
    count: int
    contracts: list[ProviderContract]


# --- ordering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecruiterInfo:
    id: str
    name: str
    email: str = ""


@dataclass(frozen=True)
class WorkingLocation:
    address_line1: str
    postcode: str
    city: str
    country: str
    address_line2: str = ""
    allows_remote_work: bool = False


@dataclass(frozen=True)
class ContactInfo:
    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class WeeklyWorkingHours:
    to_hours: int
    from_hours: int | None = None


@dataclass(frozen=True)
class SalaryIndication:
    period: str  # hourly | monthly | yearly
    to_amount: float
    from_amount: float | None = None
    currency: str = "EUR"


@dataclass(frozen=True)
class PostingDetails:
    title: str
    description: str  # limited HTML
    organization_name: str
    organization_logo: str  # a public URL
    working_location: WorkingLocation
    years_of_experience: int
    employment_type: str  # permanent, temporary, fixed_term, ... (the provider's values)
    job_page_url: str
    application_url: str
    weekly_working_hours: WeeklyWorkingHours
    contact_info: ContactInfo | None = None
    salary_indication: SalaryIndication | None = None


@dataclass(frozen=True)
class TaxonomyRef:
    vonq_id: int | str
    description: str


@dataclass(frozen=True)
class TargetGroup:
    education_level: list[TaxonomyRef]
    seniority: list[TaxonomyRef]
    industry: list[TaxonomyRef]
    job_category: list[TaxonomyRef]


@dataclass(frozen=True)
class OrderedProductSpec:
    product_id: str
    contract_id: str
    posting_requirements: dict[str, object] = field(default_factory=dict)
    utm: str = ""
    posting_duration_days: int | None = None


@dataclass(frozen=True)
class OrderRequest:
    company_id: str
    campaign_name: str
    order_reference: str  # our stable reference: how a lost answer is found again
    recruiter: RecruiterInfo
    posting: PostingDetails
    target_group: TargetGroup
    products: list[OrderedProductSpec]
    labels: dict[str, str] = field(default_factory=dict)


# --- campaigns -----------------------------------------------------------------------------


class CampaignStatus(StrEnum):
    IN_PROGRESS = "in progress"
    ONLINE = "online"
    OFFLINE = "offline"


class ProductStatus(StrEnum):
    IN_PROGRESS = "in progress"
    ONLINE = "online"
    OFFLINE = "offline"
    NOT_PROCESSED = "not processed"


@dataclass(frozen=True)
class ProviderProductStatus:
    product_id: str
    status: str  # a ProductStatus value
    contract_id: str | None = None
    status_description: str = ""
    status_solution: str = ""  # may contain markup: show as text
    status_raw_error: str = ""  # may contain markup: show as text
    delivered_on: datetime | None = None
    job_board_link: str = ""
    clicks: int | None = None


@dataclass(frozen=True)
class ProviderCampaign:
    campaign_id: str
    name: str
    order_reference: str
    labels: dict[str, str]
    status: str  # a CampaignStatus value
    created_on: datetime | None
    modified_on: datetime | None
    products: list[ProviderProductStatus]


@dataclass(frozen=True)
class ProviderCampaignStatus:
    campaign_id: str
    status: str
    products: list[ProviderProductStatus]


@dataclass(frozen=True)
class CampaignPage:
    total: int
    campaigns: list[ProviderCampaign]
