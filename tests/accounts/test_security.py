import json
import logging
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.logging import RedactSecretsFilter, redact
from accounts.models import Invitation
from tests.accounts.helpers import invite
from tests.factories import TEST_PASSWORD, OrganizationFactory, StaffUserFactory, UserFactory

BASE_DIR = Path(settings.BASE_DIR)

# The environment the README documents for production (values are placeholders).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 64 + "production-test-secret-key-with-enough-entropy",
    "DJANGO_ALLOWED_HOSTS": "jobcast.example.com",
    "JOBCAST_SITE_URL": "https://jobcast.example.com",
    "DATABASE_URL": "postgres://jobcast@db:5432/jobcast",
    "REDIS_URL": "redis://redis:6379/0",
    # contracts: credentials at rest need a real key in production (contracts.E001)
    "CREDENTIAL_KEYS": "prod:ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=",
    # the provider's secrets: never the public development values (jobcast.E001)
    "PROVIDER_TOKEN": "production-partner-token-from-the-provider",
    "PROVIDER_WEBHOOK_SECRET": "production-webhook-secret-agreed-with-the-provider",
}


def _run_with(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JOBCAST_"))}
    clean.pop("DATABASE_URL", None)
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- production settings -------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_documented_production_environment():
    result = _run_with(PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_redis_postgres_and_https_site_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["JOBCAST_SITE_URL"] = "http://jobcast.example.com"
    result = _run_with(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for check_id in ("jobcast.W001", "jobcast.W002", "jobcast.W003"):
        assert check_id in output


def test_production_settings_are_secure():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
        "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, "
        "'mail': s.MAILERS['default']['BACKEND'], 'csp': s.SECURE_CSP['script-src'], "
        "'rl': s.ACCOUNT_RATE_LIMITS['login_failed']}))"
    )
    result = _run_with(PRODUCTION_ENV, "-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["ssl"] and values["session"] and values["csrf"] and not values["debug"]
    assert values["hsts"] >= 31536000
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["mail"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["csp"] == ["'self'"]
    assert values["rl"]


def test_production_logs_are_json_and_redacted():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('jobcast.test').warning('login with password=%s', 'hunter2')"
    )
    result = _run_with(PRODUCTION_ENV, "-c", script)
    assert result.returncode == 0, result.stderr
    line = [ln for ln in result.stderr.splitlines() if ln.strip()][-1]
    record = json.loads(line)
    assert record["levelname"] == "WARNING" and record["name"] == "jobcast.test"
    assert record["message"] == "login with password=[redacted]"
    assert "hunter2" not in result.stderr


# --- Content-Security-Policy and no inline scripts -------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def _inline_scripts(html: str) -> list[str]:
    inline = []
    for attrs, body in SCRIPT.findall(html):
        if "src=" in attrs:
            assert not body.strip(), f"script with src and a body: {attrs}"
            continue
        if re.search(r"type=[\"']application/(ld\+)?json[\"']", attrs):
            continue  # data, not code
        inline.append(body.strip()[:80])
    return inline


def _pages(db_objects) -> list[tuple[str, Client, str, int]]:
    org, admin, recruiter, support, token = db_objects
    anonymous = Client()
    admin_client, recruiter_client, support_client = Client(), Client(), Client()
    admin_client.force_login(admin)
    recruiter_client.force_login(recruiter)
    support_client.force_login(support)
    return [
        ("anonymous", anonymous, reverse("account_login"), 200),
        ("anonymous", anonymous, reverse("account_signup"), 200),
        ("anonymous", anonymous, reverse("account_reset_password"), 200),
        ("anonymous", anonymous, reverse("account_reset_password_done"), 200),
        ("anonymous", anonymous, reverse("invitation_accept", kwargs={"token": token}), 200),
        ("anonymous", anonymous, reverse("invitation_accept", kwargs={"token": "x"}), 410),
        ("anonymous", anonymous, "/no/such/page/", 404),
        ("admin", admin_client, reverse("dashboard"), 200),
        ("admin", admin_client, reverse("administration"), 200),
        ("admin", admin_client, reverse("team"), 200),
        ("admin", admin_client, reverse("account_change_password"), 200),
        ("admin", admin_client, reverse("account_logout"), 200),
        ("recruiter", recruiter_client, reverse("dashboard"), 200),
        ("recruiter", recruiter_client, reverse("administration"), 403),
        ("support", support_client, reverse("admin:index"), 200),
        ("support", support_client, reverse("admin:accounts_organization_changelist"), 200),
        (
            "support",
            support_client,
            reverse("admin:accounts_organization_change", args=[org.pk]),
            200,
        ),
    ]


@pytest.fixture
def db_objects(org, admin, recruiter, django_capture_on_commit_callbacks):
    support = StaffUserFactory()
    _, token = invite(django_capture_on_commit_callbacks, org=org, by=admin, email="i@x.test")
    return org, admin, recruiter, support, token


def test_every_page_has_the_csp_header_and_no_inline_script(db_objects):
    for who, client, url, status in _pages(db_objects):
        response = client.get(url)
        assert response.status_code == status, f"{who} {url}"
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, f"{who} {url}"
        assert "frame-ancestors 'none'" in csp
        html = response.content.decode()
        assert _inline_scripts(html) == [], f"inline script on {url} ({who})"
        assert not EVENT_HANDLER.search(html), f"inline event handler on {url} ({who})"
        if who != "support":  # our own pages also keep styles in static files
            assert not STYLE_ATTRIBUTE.search(html), f"inline style on {url} ({who})"


def test_the_csrf_failure_page_has_no_inline_script(db):
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"))
    assert response.status_code == 403
    assert "Content-Security-Policy" in response.headers
    assert _inline_scripts(response.content.decode()) == []


def test_the_detector_finds_inline_scripts():
    assert _inline_scripts("<script>alert(1)</script>") == ["alert(1)"]
    assert _inline_scripts('<script src="/static/a.js"></script>') == []
    assert EVENT_HANDLER.search('<button onclick="x()">')


# --- login rate limits ---------------------------------------------------------------------


def test_private_pages_are_served_from_the_database_while_the_cache_is_down(
    admin_client, admin, request
):
    assert admin_client.get("/").status_code == 200  # the session is now in the cache too
    request.getfixturevalue("cache_outage")
    response = admin_client.get("/")
    assert response.status_code == 200
    assert admin.email in response.text  # still logged in, from the database's session


def test_failed_logins_are_rate_limited_on_the_shared_cache(settings, db):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    user = UserFactory(email=f"limited-{uuid.uuid4().hex[:8]}@example.test")
    client = Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7")
    url = reverse("account_login")
    for _ in range(5):
        html = client.post(url, {"login": user.email, "password": "wrong"}).content.decode()
        assert "not correct" in html
    response = client.post(url, {"login": user.email, "password": TEST_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- secrets in logs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message, secret",
    [
        ("password=hunter2", "hunter2"),
        ("token: abc123def", "abc123def"),
        ("{'api_key': 'k-123', 'alias': 'x'}", "k-123"),
        ('{"client_secret": "s3cr3t"}', "s3cr3t"),
        ("Authorization: Bearer eyJhbGciOi.payload", "eyJhbGciOi"),
        ("X-Auth-Token=tok_999", "tok_999"),
        ("url?access_token=zzz111&x=1", "zzz111"),
    ],
)
def test_redact_masks_secrets(message, secret):
    redacted = redact(message)
    assert secret not in redacted
    assert "[redacted]" in redacted


def test_redact_keeps_ordinary_text():
    assert redact("Invitation sent to someone@example.test") == (
        "Invitation sent to someone@example.test"
    )


def test_the_filter_masks_formatted_log_records():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "credentials %s", ({"password": "pw-1"},), None
    )
    assert RedactSecretsFilter().filter(record) is True
    assert "pw-1" not in record.getMessage()
    assert "[redacted]" in record.getMessage()


def test_invitation_tokens_are_not_stored(org, admin, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="t@example.test"
    )
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in json.dumps(stored, default=str)
    assert OrganizationFactory  # factories stay importable for the fixtures above
    assert timezone.now() - timedelta(minutes=1) < invitation.created_at
