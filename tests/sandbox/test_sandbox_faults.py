"""Injected faults: every kind, before and after the real work, matching rules."""

import time

import pytest
import requests
from conftest import NAUKRI, NAUKRI_REQUIREMENTS


def order_request(hapi):
    contract = hapi.create_contract(NAUKRI)
    return hapi.order_body((contract, NAUKRI_REQUIREMENTS))


def test_error_for_a_number_of_times(hapi, sandbox):
    sandbox.add_fault(method="GET", path="/products/industries/", kind="error", status=503, times=2)
    statuses = [hapi.get("/products/industries/").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert sandbox.faults() == []


def test_error_after_processing_still_creates_the_order(hapi, sandbox):
    body = order_request(hapi)
    sandbox.add_fault(
        method="POST",
        path="/campaigns/order",
        kind="error",
        status=502,
        after_processing=True,
        times=1,
    )
    assert hapi.post("/campaigns/order", body).status_code == 502
    assert sandbox.stats()["orders_by_reference"] == {body["orderReference"]: 1}
    found = hapi.get("/campaigns?label[jobcast]=yes").json()["data"]
    assert [c["orderReference"] for c in found] == [body["orderReference"]]


def test_error_before_processing_creates_nothing(hapi, sandbox):
    body = order_request(hapi)
    sandbox.add_fault(method="POST", path="/campaigns/order", kind="error", times=1)
    assert hapi.post("/campaigns/order", body).status_code == 500
    assert sandbox.stats()["orders_total"] == 0


def test_latency(hapi, sandbox):
    sandbox.add_fault(path="/products/industries/", kind="latency", seconds=0.4, times=1)
    started = time.monotonic()
    assert hapi.get("/products/industries/").status_code == 200
    assert time.monotonic() - started >= 0.4


@pytest.mark.parametrize("after", [False, True])
def test_timeout_outlives_the_client_but_the_work_happens(hapi, sandbox, after):
    body = order_request(hapi)
    sandbox.add_fault(
        method="POST",
        path="/campaigns/order",
        kind="timeout",
        seconds=1.0,
        after_processing=after,
        times=1,
    )
    with pytest.raises(requests.exceptions.ReadTimeout):
        hapi.post("/campaigns/order", body, timeout=0.3)
    deadline = time.monotonic() + 3
    while sandbox.stats()["orders_total"] == 0:  # before-processing work runs after the sleep
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert sandbox.stats()["orders_by_reference"] == {body["orderReference"]: 1}


@pytest.mark.parametrize("after, orders", [(False, 0), (True, 1)])
def test_drop_closes_without_an_answer(hapi, sandbox, after, orders):
    body = order_request(hapi)
    sandbox.add_fault(
        method="POST", path="/campaigns/order", kind="drop", after_processing=after, times=1
    )
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(
            hapi.url + "/campaigns/order",
            json=body,
            timeout=5,
            headers={"X-Auth-Token": sandbox.token, "X-Customer-Id": hapi.customer_id},
        )
    assert sandbox.stats()["orders_total"] == orders
    assert hapi.get("/igb/contracts/groups/").status_code == 200  # the server carries on


@pytest.mark.parametrize("after, orders", [(False, 0), (True, 1)])
def test_malformed_answer(hapi, sandbox, after, orders):
    body = order_request(hapi)
    sandbox.add_fault(
        method="POST", path="/campaigns/order", kind="malformed", after_processing=after, times=1
    )
    response = hapi.post("/campaigns/order", body)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert sandbox.stats()["orders_total"] == orders


def test_ratelimit_fault(hapi, sandbox):
    sandbox.add_fault(path="/campaigns", kind="ratelimit", seconds=3, times=1)
    response = hapi.get("/campaigns")
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert hapi.get("/campaigns").status_code == 200


def test_matching_by_method_and_regex(hapi, sandbox):
    campaign_id, _, _ = hapi.naukri_campaign()
    sandbox.add_fault(method="GET", path=r"^/campaigns/[^/]+/status$", kind="error")
    assert hapi.get(f"/campaigns/{campaign_id}/status").status_code == 500
    assert hapi.get(f"/campaigns/{campaign_id}").status_code == 200
    assert hapi.post("/campaigns/validate-campaign/", {"campaign": {}}).status_code == 422
    listed = sandbox.faults()
    assert len(listed) == 1 and listed[0]["triggered"] == 1 and listed[0]["times"] is None
    sandbox.clear_faults()
    assert hapi.get(f"/campaigns/{campaign_id}/status").status_code == 200


def test_faults_never_touch_control_endpoints(sandbox):
    sandbox.add_fault(path="/", kind="error")
    assert sandbox.stats()["faults_triggered"] == 0
    sandbox.clear_faults()


def test_bad_fault_definitions_are_400(sandbox):
    for fault in (
        {"kind": "explode"},
        {"kind": "error", "path": "^(("},
        {"kind": "error", "times": 0},
    ):
        response = sandbox.session.post(sandbox.url + "/_sandbox/faults", json=fault, timeout=5)
        assert response.status_code == 400
