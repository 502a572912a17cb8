"""Fixtures for the sandbox's own tests: a small HAPI client bound to the test sandbox."""

import sys
import uuid
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

NAUKRI, LINKEDIN, INDEED, STEPSTONE, VDAB, ZOO = 1001, 1004, 1005, 1006, 1010, 1099
VALID_CREDENTIALS = {
    NAUKRI: {"username": "recruiter", "password": "s3cret-pass"},
    INDEED: {"api_key": "key-123456"},
    STEPSTONE: {"account_type": "premium", "account_id": "acc-1", "password": "s3cret-pass"},
    VDAB: {"api_key": "key-123456"},
    ZOO: {"api_key": "key-123456"},
    1009: {"username": "u", "password": "s3cret-pass"},
}
NAUKRI_REQUIREMENTS = {"industry-naukri": "it-software", "location": "in-pune"}


def pytest_configure(config):
    # The project's tests/conftest.py normally loads the plugin; running this folder alone
    # (or before that conftest exists) must work too.
    if not config.pluginmanager.has_plugin("tests.fixtures.sandbox"):
        config.pluginmanager.import_plugin("tests.fixtures.sandbox")


class Hapi:
    """Calls the sandbox as the product would, for one customer."""

    def __init__(self, sandbox, customer_id: str):
        self.sandbox = sandbox
        self.url = sandbox.url
        self.customer_id = customer_id
        self.session = sandbox.session

    def headers(self, **extra) -> dict:
        return {"X-Customer-Id": self.customer_id, **extra}

    def request(self, method: str, path: str, *, customer=True, headers=None, **kwargs):
        all_headers = self.headers() if customer else {}
        all_headers.update(headers or {})
        return self.session.request(
            method,
            self.url + path,
            headers=all_headers,
            timeout=kwargs.pop("timeout", 10),
            **kwargs,
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def channel(self, channel_id: int, lang: str = "en") -> dict:
        response = self.get(
            f"/products/channels/mocs/{channel_id}/", headers={"Accept-Language": lang}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def create_contract(
        self, channel_id: int = NAUKRI, group_id: str | None = None, **extra
    ) -> dict:
        payload = {
            "channel_id": channel_id,
            "credentials": VALID_CREDENTIALS.get(channel_id, {"api_key": "key-123456"}),
            "credentials_validation": "if_supported",
            **extra,
        }
        if group_id:
            payload["group_id"] = group_id
        response = self.post("/contracts/", payload)
        assert response.status_code == 201, response.text
        return response.json()

    def create_group(self, name: str) -> dict:
        response = self.post("/igb/contracts/groups/", {"name": name})
        assert response.status_code == 201, response.text
        return response.json()

    def order_body(self, *items, **overrides) -> dict:
        """``items``: (contract, postingRequirements[, spec overrides]) tuples."""
        specs = []
        for item in items:
            contract, requirements = item[0], item[1]
            spec = {
                "productId": contract["product"]["product_id"],
                "contractId": contract["contract_id"],
                "postingRequirements": requirements,
                "utm": "utm_source=jobcast&utm_medium=job_board",
            }
            if len(item) > 2:
                spec.update(item[2])
            specs.append(spec)
        body = {
            "companyId": "acme",
            "campaignName": "Backend developer",
            "orderReference": f"jobcast-{uuid.uuid4()}",
            "labels": {"jobcast": "yes"},
            "recruiterInfo": {"id": "u1", "name": "Rae Cruiter", "emailAddress": "rae@acme.test"},
            "postingDetails": {
                "title": "Backend developer",
                "description": "<p>Build <strong>things</strong>.</p><script>alert(1)</script>",
                "organization": {"name": "Acme", "companyLogo": "https://acme.test/logo.png"},
                "workingLocation": {
                    "addressLine1": "1 Main St",
                    "postcode": "411001",
                    "city": "Pune",
                    "country": "IN",
                    "allowsRemoteWork": 0,
                },
                "contactInfo": {"name": "Rae", "emailAddress": "rae@acme.test"},
                "yearsOfExperience": 3,
                "employmentType": "permanent",
                "weeklyWorkingHours": {"from": 32, "to": 40},
                "salaryIndication": {
                    "period": "yearly",
                    "range": {"from": 50000, "to": 70000, "currency": "EUR"},
                },
                "jobPageUrl": "https://acme.test/jobs/1",
                "applicationUrl": "https://acme.test/jobs/1/apply",
            },
            "targetGroup": {
                "educationLevel": [{"vonqId": "2", "description": "Bachelor"}],
                "seniority": [{"vonqId": "3", "description": "Mid-Senior level"}],
                "industry": [{"vonqId": "14", "description": "Information Technology"}],
                "jobCategory": [{"vonqId": "211", "description": "Backend Development"}],
            },
            "orderedProducts": [s["productId"] for s in specs],
            "orderedProductsSpecs": specs,
        }
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                body[key] = {**body[key], **value}
            else:
                body[key] = value
        return body

    def order(self, body: dict, expect: int = 201, query: str = ""):
        response = self.post("/campaigns/order" + query, body)
        assert response.status_code == expect, response.text
        return response.json()

    def naukri_campaign(self, **overrides) -> tuple[str, dict, dict]:
        contract = self.create_contract(NAUKRI)
        body = self.order_body((contract, dict(NAUKRI_REQUIREMENTS)), **overrides)
        return self.order(body)["campaignId"], contract, body

    def campaign(self, campaign_id: str, lang: str = "en") -> dict:
        response = self.get(f"/campaigns/{campaign_id}", headers={"Accept-Language": lang})
        assert response.status_code == 200, response.text
        return response.json()["data"]


@pytest.fixture
def hapi(sandbox):
    return Hapi(sandbox, f"customer-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def other_hapi(sandbox):
    return Hapi(sandbox, f"other-{uuid.uuid4().hex[:8]}")
