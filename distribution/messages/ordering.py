"""What an order carries to the provider (``POST /campaigns/order``), in our own names."""

from dataclasses import dataclass, field


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
    contract_id: str = ""  # empty for a board ordered without a contract (none of ours)
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
