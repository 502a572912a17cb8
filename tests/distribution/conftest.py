"""Helpers for the distribution tests: a client bound to the sandbox, orders and contracts
the sandbox accepts (its famous boards have fixed ids)."""

import uuid

import pytest

from distribution.client import provider_client
from distribution.messages import (
    ContactInfo,
    ContractRequest,
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

NAUKRI, BAYT, COMPUTRABAJO, LINKEDIN, INDEED, STEPSTONE, VDAB, ZOO = (
    1001, 1002, 1003, 1004, 1005, 1006, 1010, 1099,
)  # fmt: skip
NAUKRI_CREDENTIALS = {"username": "recruiter", "password": "s3cret-pass"}
NAUKRI_REQUIREMENTS = {"industry-naukri": "it-software", "location": "in-pune"}


@pytest.fixture
def api(provider, org):
    """A customer-scoped client for ``org``, talking to the sandbox."""
    return provider_client(org=org)


def naukri_contract(api, **overrides):
    request = ContractRequest(
        channel_id=NAUKRI, credentials=dict(NAUKRI_CREDENTIALS), alias="Naukri", **overrides
    )
    return api.create_contract(request)


def make_order(*items, **overrides) -> OrderRequest:
    """``items``: (contract, posting requirements) pairs."""
    fields = {
        "company_id": "acme",
        "campaign_name": "Backend developer",
        "order_reference": f"jobcast-{uuid.uuid4()}",
        "labels": {"jobcast-campaign": uuid.uuid4().hex[:12]},
        "recruiter": RecruiterInfo(id="u1", name="Rae Cruiter", email="rae@acme.test"),
        "posting": PostingDetails(
            title="Backend developer",
            description="<p>Build <strong>things</strong>.</p>",
            organization_name="Acme",
            organization_logo="https://acme.test/logo.png",
            working_location=WorkingLocation(
                address_line1="1 Main St", postcode="411001", city="Pune", country="IN"
            ),
            years_of_experience=3,
            employment_type="permanent",
            job_page_url="https://acme.test/jobs/1",
            application_url="https://acme.test/jobs/1/apply",
            weekly_working_hours=WeeklyWorkingHours(from_hours=32, to_hours=40),
            contact_info=ContactInfo(name="Rae", email="rae@acme.test"),
            salary_indication=SalaryIndication(
                period="yearly", from_amount=50000, to_amount=70000, currency="EUR"
            ),
        ),
        "target_group": TargetGroup(
            education_level=[TaxonomyRef(2, "Bachelor / Graduate")],
            seniority=[TaxonomyRef(3, "Mid-Senior level")],
            industry=[TaxonomyRef(14, "Information Technology")],
            job_category=[TaxonomyRef(211, "Backend Development")],
        ),
        "products": [
            OrderedProductSpec(
                product_id=contract.product.product_id,
                contract_id=contract.contract_id,
                posting_requirements=dict(requirements),
                utm="utm_source=jobcast&utm_medium=job_board",
                posting_duration_days=30,
            )
            for contract, requirements in items
        ],
    }
    fields.update(overrides)
    return OrderRequest(**fields)
