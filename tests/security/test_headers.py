"""Security headers on every page: every route the resolver knows, as an anonymous visitor,
an admin and support staff, whatever the answer (a page, a redirect, a 403 or 404, JSON, a
file); HSTS and the https redirect under the production settings."""

import json

import pytest
from django.test import Client
from django.urls import NoReverseMatch

from tests.factories import AdminMembershipFactory, StaffUserFactory
from tests.security.production import run_with_production_settings
from tests.test_url_sweep import _url, all_routes

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_MUST_HAVE = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


def _missing(response) -> list[str]:
    problems = [
        f"{name}: {response.headers.get(name)!r}"
        for name, value in EXPECTED.items()
        if response.headers.get(name) != value
    ]
    csp = response.headers.get("Content-Security-Policy", "")
    problems += [f"CSP lacks {part}" for part in CSP_MUST_HAVE if part not in csp]
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append("CSP allows inline code")
    return problems


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(org, provider):
    org.my_own_contracts_enabled = True
    org.save()
    visitors = {
        "anonymous": Client(),
        "admin": Client(),
        "support": Client(),
    }
    visitors["admin"].force_login(AdminMembershipFactory(organization=org).user)
    visitors["support"].force_login(StaffUserFactory())
    checked, problems = 0, {}
    for route in all_routes():
        if not route.accepts_get() or route.namespace == "admin" and route.keywords:
            continue  # the support admin's object pages are covered by its index and lists
        try:
            url, _ = _url(route, org)
        except (NoReverseMatch, pytest.fail.Exception):
            continue
        for who, client in visitors.items():
            response = client.get(url)
            checked += 1
            missing = _missing(response)
            if missing:
                problems[f"{who} GET {url} ({response.status_code})"] = missing
    assert checked > 150
    assert problems == {}


def test_production_sends_hsts_and_redirects_to_https():
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "from django.test.utils import setup_test_environment; setup_test_environment(); "
        "c = Client(); s = c.get('/accounts/login/', secure=True); p = c.get('/accounts/login/'); "
        "print(json.dumps({'hsts': s.headers.get('Strict-Transport-Security'), "
        "'status': p.status_code, 'location': p.headers.get('Location'), "
        "'coop': s.headers.get('Cross-Origin-Opener-Policy'), "
        "'csp': s.headers.get('Content-Security-Policy')}))"
    )
    result = run_with_production_settings(
        "-c",
        script,
        overrides={"DATABASE_URL": "sqlite:///:memory:", "REDIS_URL": None},
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert values["status"] == 301 and values["location"].startswith("https://")
    assert values["coop"] == "same-origin"
    assert "form-action 'self' https:;" in values["csp"] + ";"
