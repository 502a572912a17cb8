"""The order body (``POST /campaigns/order``, and ``validate-campaign``'s ``campaign``)."""

from distribution.messages import (
    OrderedProductSpec,
    OrderRequest,
    PostingDetails,
    TaxonomyRef,
)


def order_body(order: OrderRequest) -> dict:
    """The provider's order body for ``order``; optional parts we do not have are left out
    rather than sent empty."""
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
        "postingDetails": _posting_details(order.posting),
        "targetGroup": {
            "educationLevel": _refs(order.target_group.education_level),
            "seniority": _refs(order.target_group.seniority),
            "industry": _refs(order.target_group.industry),
            "jobCategory": _refs(order.target_group.job_category),
        },
        "orderedProducts": [spec.product_id for spec in order.products],
    }
    # A spec that would say nothing but its productId is left out: a product without a
    # contract, requirements or UTM needs none.
    specs = [item for item in map(_spec, order.products) if len(item) > 1]
    if specs:
        body["orderedProductsSpecs"] = specs
    if order.labels:
        body["labels"] = dict(order.labels)
    return _drop_empty(body)  # campaignName and orderReference are optional


def _posting_details(posting: PostingDetails) -> dict:
    location = posting.working_location
    hours = posting.weekly_working_hours
    details: dict = {
        "title": posting.title,
        "description": posting.description,
        "organization": _drop_empty(
            {"name": posting.organization_name, "companyLogo": posting.organization_logo}
        ),
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
        "weeklyWorkingHours": _drop_empty({"from": hours.from_hours, "to": hours.to_hours}),
        "jobPageUrl": posting.job_page_url,
        "applicationUrl": posting.application_url,
    }
    if posting.contact_info is not None:
        contact = posting.contact_info
        details["contactInfo"] = _drop_empty(
            {"name": contact.name, "emailAddress": contact.email, "phoneNumber": contact.phone}
        )
    if posting.salary_indication is not None:
        salary = posting.salary_indication
        details["salaryIndication"] = {
            "period": salary.period,
            "range": _drop_empty(
                {"from": salary.from_amount, "to": salary.to_amount, "currency": salary.currency}
            ),
        }
    return details


def _spec(spec: OrderedProductSpec) -> dict:
    item: dict = {"productId": spec.product_id}
    if spec.contract_id:
        item["contractId"] = spec.contract_id
    if spec.contract_id or spec.posting_requirements:
        # A contract's requirements go even when empty: the board may have none.
        item["postingRequirements"] = dict(spec.posting_requirements)
    if spec.utm:
        item["utm"] = spec.utm
    if spec.posting_duration_days is not None:
        item["postingDurationDays"] = int(spec.posting_duration_days)
    return item


def _refs(items: list[TaxonomyRef]) -> list[dict]:
    """Taxonomy ids go as strings (``vonqId``), as both sources show them."""
    return [{"vonqId": str(ref.vonq_id), "description": ref.description} for ref in items]


def _drop_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", {}, [])}
