"""Typed messages exchanged with the provider: what the client takes and gives back.

Field names here are ours (snake_case); ``distribution.wire`` maps them to and from the
provider's own names. Anything carrying credentials keeps them out of ``repr``. One module
per concept: the catalogue, facets (posting requirements), contracts, orders, campaigns.
"""

from .campaigns import (
    CampaignNotification,
    CampaignPage,
    CampaignStatus,
    ProductStatus,
    ProviderCampaign,
    ProviderCampaignStatus,
    ProviderProductStatus,
)
from .catalogue import (
    ChannelDetail,
    ChannelPage,
    ChannelSummary,
    CredentialDefinition,
    CredentialKind,
    CredentialOption,
    Product,
    TaxonomyEntry,
)
from .contracts import ContractPage, ContractRequest, ProviderContract, ProviderGroup
from .facets import (
    Autocomplete,
    DisplayCondition,
    DisplayOperator,
    Facet,
    FacetOption,
    FacetRule,
    FacetType,
    RuleKind,
    TermSource,
    condition_holds,
    facets_from_list,
    is_empty_value,
    visible_facet_names,
)
from .ordering import (
    ContactInfo,
    OrderedProductSpec,
    OrderRequest,
    PostingDetails,
    RecruiterInfo,
    SalaryIndication,
    TargetGroup,
    TaxonomyRef,
    WeeklyWorkingHours,
    WorkingLocation,
)

__all__ = [
    "Autocomplete",
    "CampaignNotification",
    "CampaignPage",
    "CampaignStatus",
    "ChannelDetail",
    "ChannelPage",
    "ChannelSummary",
    "ContactInfo",
    "ContractPage",
    "ContractRequest",
    "CredentialDefinition",
    "CredentialKind",
    "CredentialOption",
    "DisplayCondition",
    "DisplayOperator",
    "Facet",
    "FacetOption",
    "FacetRule",
    "FacetType",
    "OrderRequest",
    "OrderedProductSpec",
    "PostingDetails",
    "Product",
    "ProductStatus",
    "ProviderCampaign",
    "ProviderCampaignStatus",
    "ProviderContract",
    "ProviderGroup",
    "ProviderProductStatus",
    "RecruiterInfo",
    "RuleKind",
    "SalaryIndication",
    "TargetGroup",
    "TaxonomyEntry",
    "TaxonomyRef",
    "TermSource",
    "WeeklyWorkingHours",
    "WorkingLocation",
    "condition_holds",
    "facets_from_list",
    "is_empty_value",
    "visible_facet_names",
]
