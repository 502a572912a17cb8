"""Every provider endpoint the sandbox serves answers as documented: exactly as the OpenAPI
document says in the ``openapi`` profile, and as the document plus the guides' documented
variants say in the ``guides`` profile (``tests/openapi_schema.py``)."""

import jsonschema
import pytest
from conftest import INDEED, NAUKRI, NAUKRI_REQUIREMENTS, ZOO

from sandbox.api import ROUTES
from tests.fixtures.sandbox import both_profiles
from tests.openapi_schema import find_template, validate_request, validate_response


class Recorder:
    """Wraps the test client and keeps every (method, template, status, body)."""

    def __init__(self, hapi):
        self.hapi = hapi
        self.calls = []

    def __call__(self, method, path, json=None, valid_request=True, **kwargs):
        if json is not None and valid_request:
            validate_request(method, find_template(path), json)
        response = self.hapi.request(method, path, json=json, **kwargs)
        body = response.json() if response.content else None
        self.calls.append((method, find_template(path), response.status_code, body))
        return response


def run_scenario(hapi, sandbox) -> list:
    call = Recorder(hapi)
    call("GET", "/products/channels/mocs/?limit=5")
    call("GET", "/products/channels/mocs/?search=stepstone")
    for channel in (NAUKRI, 1004, 1006, 1010, ZOO):
        call("GET", f"/products/channels/mocs/{channel}/")
    call("GET", f"/products/channels/mocs/{ZOO}/", headers={"Accept-Language": "fr"})
    call("GET", "/products/industries/")
    call("GET", "/products/job-functions/")
    call("GET", "/taxonomy/education-levels")
    call("GET", "/taxonomy/seniority")
    call("GET", "/igb/contracts/groups/")
    group = call("POST", "/igb/contracts/groups/", {"name": "Agencies"}).json()
    call("GET", f"/igb/contracts/groups/{group['idx']}/")
    call("PATCH", f"/igb/contracts/groups/{group['idx']}/", {"name": "Partners"})
    call("PUT", f"/igb/contracts/groups/{group['idx']}/", {"name": "Partners 2"})
    contract = call(
        "POST",
        "/contracts/",
        {
            "channel_id": NAUKRI,
            "credentials": {"username": "u", "password": "s3cret"},
            "credentials_validation": "if_supported",
            "posting_duration_days": 30,
        },
    ).json()
    spare = call(
        "POST",
        "/contracts/",
        {"channel_id": INDEED, "group_id": group["id"], "credentials": {"api_key": "k-123456"}},
    ).json()
    cid = contract["contract_id"]
    call("GET", "/contracts/")
    call("GET", f"/contracts/single/{cid}/")
    call("GET", f"/contracts/{cid}/")
    call("PATCH", f"/contracts/single/{cid}/", {"alias": "Naukri IN"})
    call("GET", f"/contracts/posting-requirements/{cid}/location/?term=pune")
    call("POST", f"/contracts/posting-requirements/{cid}/location/", {"term": "pune"})
    call("DELETE", f"/contracts/{spare['contract_id']}/")
    call("DELETE", f"/igb/contracts/groups/{group['idx']}/")

    body = hapi.order_body((contract, NAUKRI_REQUIREMENTS))
    validate_request("POST", "/campaigns/order", body)
    bad = hapi.order_body((contract, {}))
    bad["postingDetails"]["title"] = ""
    bad["targetGroup"]["industry"] = [{"vonqId": "7", "description": "x"}]
    call("POST", "/campaigns/order", bad, valid_request=False)  # 422
    call("POST", "/campaigns/validate-campaign/", {"campaign": body})
    call("POST", "/campaigns/validate-campaign/", {"campaign": bad}, valid_request=False)
    campaign_id = call("POST", "/campaigns/order", body).json()["campaignId"]
    call("POST", "/campaigns/order", body)  # 422 duplicate
    group2 = hapi.create_group("Other")
    other = hapi.create_contract(INDEED, group_id=group2["id"])
    call(
        "POST", "/campaigns/order", hapi.order_body((contract, NAUKRI_REQUIREMENTS), (other, {}))
    )  # 403
    for _ in range(2):
        call("GET", f"/campaigns/{campaign_id}")
        call("GET", f"/campaigns/{campaign_id}/status")
        call("GET", "/campaigns?limit=1&sortBy=modifiedOn.asc")
        sandbox.advance_to_online()
    product_id = hapi.campaign(campaign_id)["orderedProductsSpecs"][0]["productId"]
    call(
        "PATCH",
        f"/campaigns/{campaign_id}/edit",
        {"orderedProductsSpecs": [{"productId": product_id, "statusDescription": "ok"}]},
    )
    call(
        "PUT",
        f"/campaigns/{campaign_id}/product_cancellation",
        {"campaignId": campaign_id, "productId": product_id, "status": "offline"},
    )
    call(
        "PUT",
        f"/campaigns/{campaign_id}/product_cancellation",
        {"campaignId": campaign_id, "productId": product_id, "status": "offline"},
    )  # 400: no longer online
    call(
        "PUT",
        f"/campaigns/{campaign_id}/cancellation",
        {"campaignId": campaign_id, "status": "offline"},
    )
    call(
        "PUT",
        f"/campaigns/{campaign_id}/cancellation",
        {"campaignId": campaign_id, "status": "online"},
        valid_request=False,
    )  # 400
    missing = "00000000-0000-0000-0000-000000000000"
    call(
        "PUT", f"/campaigns/{missing}/cancellation", {"campaignId": missing, "status": "offline"}
    )  # 404
    call(
        "PUT",
        f"/campaigns/{missing}/product_cancellation",
        {"campaignId": missing, "productId": missing, "status": "offline"},
    )  # 404
    # a failed product carries status texts with markup
    failed = hapi.order(
        hapi.order_body((contract, NAUKRI_REQUIREMENTS), postingDetails={"title": "[fail]"})
    )["campaignId"]
    sandbox.advance_to_online()
    call("GET", f"/campaigns/{failed}")
    call("GET", f"/campaigns/{failed}/status")
    call("GET", "/campaigns")
    return call.calls


@both_profiles
def test_every_response_matches_the_documentation(hapi, sandbox):
    calls = run_scenario(hapi, sandbox)
    assert len(calls) > 40
    validated = set()
    for method, template, status, body in calls:
        validate_response(method, template, status, body, variant=sandbox.profile)
        validated.add((method, template, status))
    served = {(r.method, r.template) for r in ROUTES}
    success = {(m, t) for m, t, s in validated if 200 <= s < 300}
    assert served == success, served ^ success
    statuses = {(m, t, s) for m, t, s in validated}
    for expected in (
        ("POST", "/campaigns/order", 422),
        ("POST", "/campaigns/order", 403),
        ("PUT", "/campaigns/{campaignId}/cancellation", 400),
        ("PUT", "/campaigns/{campaignId}/cancellation", 404),
        ("PUT", "/campaigns/{campaignId}/product_cancellation", 400),
        ("PUT", "/campaigns/{campaignId}/product_cancellation", 404),
    ):
        assert expected in statuses


def test_validator_catches_wrong_shapes():
    with pytest.raises(jsonschema.ValidationError, match="campaignId"):
        validate_response("POST", "/campaigns/order", 201, {"campaignId": 5})
    with pytest.raises(jsonschema.ValidationError, match="not documented"):
        validate_response("POST", "/campaigns/order", 418, {})
    with pytest.raises(jsonschema.ValidationError):
        validate_response("GET", "/igb/contracts/groups/", 200, [{"idx": 0, "name": "x"}])
    # nullable fields accept null, other fields do not
    validate_response(
        "GET",
        "/products/channels/mocs/",
        200,
        {"count": 0, "next": None, "previous": None, "results": []},
    )
    with pytest.raises(jsonschema.ValidationError):
        validate_response("GET", "/products/channels/mocs/", 200, {"count": None, "results": []})
    with pytest.raises(jsonschema.ValidationError, match="request"):
        validate_request("POST", "/campaigns/order", {"companyId": "x"})
    assert find_template("/campaigns/order") == "/campaigns/order"
    assert find_template("/campaigns/abc/status?x=1") == "/campaigns/{campaignId}/status"
