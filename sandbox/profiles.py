"""The two ways the sandbox can answer where the provider's two sources disagree.

``guides`` (the default) behaves as the provider's written guides describe the real service;
``openapi`` answers in the OpenAPI document's shapes. Everything the sources agree on is the
same in both. The table of differences is in the provider docs README kept with the tests
(``tests/provider_docs/README.md``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    # The campaign list's "modified since / until" filters: the one spelling honoured (the
    # other one, like any unknown parameter, is silently ignored).
    modified_gte: str
    modified_lte: str
    created_gte: str
    created_lte: str
    # A contract's posting_requirements: the facet list (guides) or {name: label} (OpenAPI).
    contract_facets_as_list: bool
    # credentials_validation values accepted as "validate" (null/absent never validates).
    validate_values: frozenset[str]
    disable_values: frozenset[str]
    # validate-campaign on an invalid campaign: 422 (guides) or 200 (OpenAPI).
    invalid_campaign_status: int
    # Autocomplete answers a list of options (guides) or one option object (OpenAPI).
    autocomplete_as_list: bool
    # product_cancellation requires the campaignId in its body (guides).
    product_cancellation_needs_campaign_id: bool
    # Posting requirement errors of an order: {name: "message"} beside credentials
    # (guides) or ["name: message", ...] (OpenAPI).
    requirement_errors_as_object: bool
    # Field errors of contract creation also come as errorDetails [{path, code, message}].
    error_details: bool
    # A contract's terms not given (expiry_date, credits, purchase_price): null (guides) or
    # left out (OpenAPI, where none of them is nullable).
    contract_terms_null: bool = True
    # GET /campaigns without X-Customer-Id lists every customer's campaigns (the guides'
    # authentication.md and entities.md: the partner-level "listing all campaigns across
    # customers"), or is refused with 403 "X-Customer-Id header required" (the OpenAPI
    # document's security for that operation is customer-level only, and extra/api-map.yaml
    # names only /me and /users as partner-level).
    partner_campaign_list: bool = True


GUIDES = Profile(
    name="guides",
    modified_gte="modifiedOn_gte",
    modified_lte="modifiedOn_lte",
    created_gte="createdOn_gte",
    created_lte="createdOn_lte",
    contract_facets_as_list=True,
    validate_values=frozenset({"if_supported"}),
    disable_values=frozenset(),
    invalid_campaign_status=422,
    autocomplete_as_list=True,
    product_cancellation_needs_campaign_id=True,
    requirement_errors_as_object=True,
    error_details=True,
)

OPENAPI = Profile(
    name="openapi",
    modified_gte="modifiedOn.gte",
    modified_lte="modifiedOn.lte",
    created_gte="createdOn.gte",
    created_lte="createdOn.lte",
    contract_facets_as_list=False,
    # The document's enum, and the guides' spelling that clients are told to send.
    validate_values=frozenset({"CredentialsValidationEnum.IF_SUPPORTED", "if_supported"}),
    disable_values=frozenset({"CredentialsValidationEnum.DISABLED"}),
    invalid_campaign_status=200,
    autocomplete_as_list=False,
    product_cancellation_needs_campaign_id=False,
    requirement_errors_as_object=False,
    error_details=False,
    contract_terms_null=False,
    partner_campaign_list=False,
)

PROFILES = {profile.name: profile for profile in (GUIDES, OPENAPI)}
