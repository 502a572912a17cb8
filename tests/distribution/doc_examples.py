"""The provider's documentation examples (``tests/provider_docs/examples``): loading them,
building our messages from a documented request, and comparing what we would send with it."""

import json
from functools import cache
from pathlib import Path

from distribution.messages import (
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

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "provider_docs" / "examples"

# Order fields the provider documents and Jobcast does not send (nothing we offer needs
# them): a documented request may carry them, our body leaves them out.
ORDER_NOT_SENT = {"currency", "paymentMethod", "walletId", "poNumber", "directApply"}
DETAILS_NOT_SENT = {"weeklyWorkingMinutes"}
SPEC_NOT_SENT = {"postingRequirementsLabels"}
# Fields we send that a documented request may leave out (they have documented defaults).
LOCATION_ADDED = {"allowsRemoteWork"}


def example_paths() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("*.json"))


@cache
def example(name: str) -> dict:
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def order_from_document(body: dict) -> OrderRequest:
    """Our OrderRequest for a documented order body (its optional parts as given)."""
    details = body.get("postingDetails") or {}
    location = details.get("workingLocation") or {}
    hours = details.get("weeklyWorkingHours") or {}
    contact = details.get("contactInfo")
    salary = details.get("salaryIndication")
    organization = details.get("organization") or {}
    recruiter = body.get("recruiterInfo") or {}
    target = body.get("targetGroup") or {}

    def refs(name):
        return [
            TaxonomyRef(vonq_id=item["vonqId"], description=item["description"])
            for item in target.get(name) or []
        ]

    return OrderRequest(
        company_id=body.get("companyId", ""),
        campaign_name=body.get("campaignName", ""),
        order_reference=body.get("orderReference", ""),
        labels=dict(body.get("labels") or {}),
        recruiter=RecruiterInfo(
            id=recruiter.get("id", ""),
            name=recruiter.get("name", ""),
            email=recruiter.get("emailAddress", ""),
        ),
        posting=PostingDetails(
            title=details.get("title", ""),
            description=details.get("description", ""),
            organization_name=organization.get("name", ""),
            organization_logo=organization.get("companyLogo", ""),
            working_location=WorkingLocation(
                address_line1=location.get("addressLine1", ""),
                address_line2=location.get("addressLine2", ""),
                postcode=location.get("postcode", ""),
                city=location.get("city", ""),
                country=location.get("country", ""),
                allows_remote_work=bool(location.get("allowsRemoteWork")),
            ),
            years_of_experience=details.get("yearsOfExperience", 0),
            employment_type=details.get("employmentType", ""),
            job_page_url=details.get("jobPageUrl", ""),
            application_url=details.get("applicationUrl", ""),
            weekly_working_hours=WeeklyWorkingHours(
                from_hours=hours.get("from"), to_hours=hours.get("to")
            ),
            contact_info=ContactInfo(
                name=contact.get("name", ""),
                email=contact.get("emailAddress", ""),
                phone=contact.get("phoneNumber", ""),
            )
            if contact
            else None,
            salary_indication=SalaryIndication(
                period=salary["period"],
                from_amount=salary["range"].get("from"),
                to_amount=salary["range"]["to"],
                currency=salary["range"].get("currency", "EUR"),
            )
            if salary
            else None,
        ),
        target_group=TargetGroup(
            education_level=refs("educationLevel"),
            seniority=refs("seniority"),
            industry=refs("industry"),
            job_category=refs("jobCategory"),
        ),
        products=products_from_document(body),
    )


def products_from_document(body: dict) -> list[OrderedProductSpec]:
    """The ordered products, each with its documented spec (a bare product has none)."""
    specs = {spec["productId"]: spec for spec in body.get("orderedProductsSpecs") or []}
    products = body.get("orderedProducts") or list(specs)
    return [
        OrderedProductSpec(
            product_id=product_id,
            contract_id=specs.get(product_id, {}).get("contractId", ""),
            posting_requirements=dict(specs.get(product_id, {}).get("postingRequirements") or {}),
            utm=specs.get(product_id, {}).get("utm", ""),
            posting_duration_days=specs.get(product_id, {}).get("postingDurationDays"),
        )
        for product_id in products
    ]


def order_as_we_send_it(body: dict) -> dict:
    """A documented order without the parts Jobcast does not send."""
    order = {k: v for k, v in body.items() if k not in ORDER_NOT_SENT}
    if "postingDetails" in order:
        order["postingDetails"] = {
            k: v for k, v in order["postingDetails"].items() if k not in DETAILS_NOT_SENT
        }
    if "orderedProductsSpecs" in order:
        order["orderedProductsSpecs"] = [
            {k: v for k, v in spec.items() if k not in SPEC_NOT_SENT}
            for spec in order["orderedProductsSpecs"]
        ]
    return order


def without_added_defaults(ours: dict, documented: dict) -> dict:
    """Our order without the defaulted fields we add where the example leaves them out."""
    location = (documented.get("postingDetails") or {}).get("workingLocation") or {}
    if "postingDetails" not in ours or set(location) & LOCATION_ADDED:
        return ours
    details = dict(ours["postingDetails"])
    details["workingLocation"] = {
        k: v for k, v in details["workingLocation"].items() if k not in LOCATION_ADDED
    }
    return {**ours, "postingDetails": details}


def without(document, keys: set[str]):
    """``document`` without ``keys`` at any depth (what one side does not carry)."""
    if isinstance(document, dict):
        return {k: without(v, keys) for k, v in document.items() if k not in keys}
    if isinstance(document, list):
        return [without(item, keys) for item in document]
    return document
