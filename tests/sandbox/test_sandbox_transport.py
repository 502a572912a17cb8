"""Auth, customer header, errors of the transport, rate limiting, CLI and process handling."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from conftest import REPO_ROOT

from sandbox.config import parse
from tests.fixtures.sandbox import SandboxProcess, both_profiles


def test_missing_or_wrong_token_is_401(sandbox):
    for headers in ({}, {"X-Auth-Token": "nope"}):
        response = requests.get(
            sandbox.url + "/products/channels/mocs/", headers=headers, timeout=5
        )
        assert response.status_code == 401
        assert response.json() == {"authentication": "Authentication Required"}


def test_customer_scoped_calls_need_customer_id(hapi):
    for method, path in (
        ("GET", "/igb/contracts/groups/"),
        ("GET", "/contracts/"),
        ("POST", "/campaigns/order"),
    ):
        response = hapi.request(method, path, customer=False, json={})
        assert response.status_code == 403, path
        assert response.json() == {"detail": "X-Customer-Id header required"}


@both_profiles
def test_the_campaign_list_at_the_partner_level_follows_the_profile(sandbox, hapi, other_hapi):
    """The guides list every customer's campaigns for the partner token alone; the OpenAPI
    document's security for the list is customer-level only: 403, as for the other calls."""
    ours = hapi.naukri_campaign()[0]
    theirs = other_hapi.naukri_campaign()[0]
    response = hapi.get("/campaigns", customer=False, params={"limit": 100})
    if sandbox.profile == "guides":
        assert response.status_code == 200
        listed = {c["campaignId"]: c["customerId"] for c in response.json()["data"]}
        assert listed[ours] == hapi.customer_id
        assert listed[theirs] == other_hapi.customer_id
    else:
        assert response.status_code == 403
        assert response.json() == {"detail": "X-Customer-Id header required"}
    # A customer still sees only its own campaigns.
    own = hapi.get("/campaigns", params={"limit": 100}).json()["data"]
    assert [c["campaignId"] for c in own] == [ours]


def test_the_partner_level_campaign_list_can_be_switched_off_at_run_time(sandbox, hapi):
    hapi.naukri_campaign()
    assert sandbox.partner_campaign_list(False)["partner_campaign_list"] == "refuse"
    assert hapi.get("/campaigns", customer=False).status_code == 403
    sandbox.partner_campaign_list("empty")
    answer = hapi.get("/campaigns", customer=False)
    assert answer.status_code == 200 and answer.json()["data"] == []
    refused = sandbox.session.post(
        f"{sandbox.url}/_sandbox/behaviour", json={"partner_campaign_list": "sometimes"}, timeout=10
    )
    assert refused.status_code == 400
    sandbox.reset()
    assert hapi.get("/campaigns", customer=False).json()["total"] == 0  # reset forgot it
    hapi.naukri_campaign()
    assert hapi.get("/campaigns", customer=False).json()["total"] == 1


def test_catalogue_does_not_need_customer_id(hapi):
    assert hapi.get("/products/channels/mocs/", customer=False).status_code == 200


def test_new_customer_gets_default_group(hapi):
    groups = hapi.get("/igb/contracts/groups/").json()
    assert [(g["idx"], g["name"]) for g in groups] == [(0, "Default")]
    assert groups[0]["igb_customer_id"] == hapi.customer_id


def test_unknown_path_and_unknown_id_are_404(hapi):
    assert hapi.get("/nothing/here").status_code == 404
    response = hapi.get("/campaigns/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert hapi.get("/products/channels/mocs/999999/").json() == {"detail": "Not found."}


def test_paths_are_exact_and_unknown_parameters_ignored(hapi):
    # A trailing slash where the documentation has one, and only there: the other spelling
    # is an unknown path, as at the real service.
    assert hapi.get("/products/channels/mocs").status_code == 404
    assert hapi.get("/igb/contracts/groups").status_code == 404
    assert hapi.post("/campaigns/order/", {}).status_code == 404
    assert hapi.get("/campaigns/").status_code == 404
    assert hapi.get("/taxonomy/seniority/").status_code == 404
    # Unknown query parameters change nothing (a misspelt filter shows as no filter).
    plain = hapi.get("/products/channels/mocs/?limit=3").json()
    odd = hapi.get("/products/channels/mocs/?limit=3&colour=blue").json()
    assert odd["results"] == plain["results"] and odd["count"] == plain["count"]


def test_wrong_method_is_405(hapi):
    response = hapi.request("DELETE", "/campaigns/order")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_invalid_json_is_400_request_body(hapi):
    response = hapi.post(
        "/campaigns/order", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "requestBody" in response.json()


def test_json_that_is_not_an_object_is_400(hapi):
    response = hapi.post("/campaigns/order", json=[1, 2])
    assert response.status_code == 400
    assert "requestBody" in response.json()


def test_wrong_content_type_is_415(hapi):
    response = hapi.post(
        "/campaigns/order",
        data=b"companyId=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    response = hapi.post("/contracts/", data=b"<xml/>", headers={"Content-Type": "text/xml"})
    assert response.status_code == 415


def test_form_bodies_are_accepted_where_the_provider_accepts_them(hapi):
    response = hapi.post("/igb/contracts/groups/", data={"name": "From a form"})
    assert response.status_code == 201
    assert response.json()["name"] == "From a form"
    response = hapi.post("/igb/contracts/groups/", files={"name": (None, "Multipart")})
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Multipart"


def test_oversized_body_is_413_and_the_connection_survives(hapi):
    big = b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    response = hapi.post("/campaigns/order", data=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert hapi.get("/igb/contracts/groups/").status_code == 200


def test_rate_limit_429_with_retry_after(sandbox, hapi):
    sandbox.set_rate_limit(5, 30)
    statuses = [hapi.get("/products/industries/").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    response = hapi.get("/products/industries/")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    stats = sandbox.stats()
    assert (stats["throttled"], stats["requests_allowed"], stats["requests_served"]) == (3, 5, 8)
    # control endpoints are never limited
    assert sandbox.session.get(sandbox.url + "/_sandbox/faults").status_code == 200


def test_rate_limit_window_rolls(sandbox, hapi):
    sandbox.set_rate_limit(2, 2)
    assert [hapi.get("/products/industries/").status_code for _ in range(3)] == [200, 200, 429]
    # A refused request uses no budget: asking again until the window rolls costs nothing.
    deadline = time.monotonic() + 10
    while (status := hapi.get("/products/industries/").status_code) == 429:
        assert time.monotonic() < deadline, "the window never rolled"
        time.sleep(0.1)
    assert status == 200


def test_rate_limit_counts_per_token():
    with SandboxProcess("--token", "tok-a,tok-b", "--rate-limit", "2", token="tok-a") as sb:

        def call(token):
            return requests.get(
                sb.url + "/products/industries/", headers={"X-Auth-Token": token}, timeout=5
            ).status_code

        assert [call("tok-a") for _ in range(3)] == [200, 200, 429]
        assert call("tok-b") == 200


def test_reset_restores_rate_limit(sandbox, hapi):
    sandbox.set_rate_limit(1, 60)
    hapi.get("/products/industries/")
    sandbox.reset()
    assert [hapi.get("/products/industries/").status_code for _ in range(3)] == [200] * 3


def test_control_endpoints_need_the_token(sandbox):
    for method, path in (
        ("POST", "reset"),
        ("GET", "stats"),
        ("POST", "faults"),
        ("POST", "clock/tick"),
        ("POST", "rate-limit"),
    ):
        response = requests.request(method, f"{sandbox.url}/_sandbox/{path}", json={}, timeout=5)
        assert response.status_code == 401, path
    assert requests.get(sandbox.url + "/_sandbox/healthz", timeout=5).status_code == 200


def test_stats_count_requests(sandbox, hapi):
    for _ in range(3):
        hapi.get("/products/industries/")
    stats = sandbox.stats()
    assert stats["requests_served"] == 3
    assert stats["requests_by_route"] == {"GET /products/industries/": 3}


def test_settings_come_from_flags_and_environment():
    settings = parse(
        ["--port", "0", "--rate-limit", "7"],
        {
            "SANDBOX_RATE_LIMIT": "9",
            "SANDBOX_DAY_SECONDS": "2.5",
            "SANDBOX_MEMORY": "true",
            "SANDBOX_WEBHOOK_URL": "http://x.test/h",
        },
    )
    assert settings.port == 0
    assert settings.rate_limit == 7  # the flag wins over the environment
    assert settings.day_seconds == 2.5
    assert settings.memory is True
    assert settings.webhook_url == "http://x.test/h"
    assert parse([], {}).rate_limit == 60
    assert parse([], {}).profile == "guides"  # the guides describe the real service
    assert parse(["--profile", "openapi"], {}).profile == "openapi"
    assert parse([], {"SANDBOX_PROFILE": "openapi"}).profile == "openapi"
    with pytest.raises(SystemExit):
        parse(["--profile", "swagger"], {})


def test_sigterm_and_sigint_stop_the_process_cleanly():
    for sig in (signal.SIGTERM, signal.SIGINT):
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", "--memory", "--port", "0"],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        first = process.stdout.readline()
        assert first.startswith("sandbox listening on http://127.0.0.1:")
        assert not first.strip().endswith(":0")
        process.send_signal(sig)
        assert process.wait(timeout=10) == 0
        assert "sandbox stopped" in process.stdout.read()


@pytest.mark.parametrize(
    "language, label",
    [("fr", "Secteur"), ("fr-CA,fr;q=0.9", "Secteur"), ("de", "Industry"), ("en-GB", "Industry")],
)
def test_accept_language(hapi, language, label):
    channel = hapi.channel(1001, lang=language)
    assert channel["posting_requirements"][0]["label"] == label
