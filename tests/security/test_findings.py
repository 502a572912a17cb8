"""One test (or a few) per finding of the security review (issue 12), each failing on the
code before the fix: numbered as in the issue."""

import socket
import uuid
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import services as account_services
from accounts.client_ip import client_ip
from accounts.logging import redact
from accounts.models import Membership, Organization, Role, User
from campaigns.models import PostingStatus
from campaigns.services.notifications import posting_status_notify
from contracts.credential_fields import credential_kind, hint_of, is_secret_credential
from contracts.forms import ContractEditForm
from contracts.models import CredentialKind
from jobs.forms import ApplyForm
from notifications.services import notification_send
from tests.accounts.helpers import form_data, invitation_token, invite
from tests.campaigns.factories import CampaignDraftFactory, PostingFactory
from tests.contracts.factories import ContractCredentialFactory
from tests.factories import (
    TEST_PASSWORD,
    AdminMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffUserFactory,
    UserFactory,
    totp_code,
)
from tests.jobs.factories import CareerPageFactory, JobFactory
from tests.jobs.test_careers import apply_data, job_url
from tests.security.production import run_with_production_settings

pytestmark = pytest.mark.django_db

LIMITS = {"login_failed": "10/m/ip,5/5m/key"}


# --- 1. staff sign in through allauth's rate-limited login, with two-factor authentication ---


def test_the_admins_own_login_form_never_checks_a_password(client, settings):
    settings.ACCOUNT_RATE_LIMITS = LIMITS
    staff = StaffUserFactory()
    url = reverse("admin:login")
    for _ in range(40):
        response = client.post(url, {"username": staff.email, "password": "wrong"})
    response = client.post(url, {"username": staff.email, "password": TEST_PASSWORD})
    # Sent to allauth's login instead; the right password posted here logs nobody in.
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_the_sixth_wrong_staff_password_is_refused(settings):
    settings.ACCOUNT_RATE_LIMITS = LIMITS
    staff = StaffUserFactory()
    client = Client(REMOTE_ADDR="198.51.100.61")
    url = reverse("account_login")
    for _ in range(5):
        client.post(url, {"login": staff.email, "password": "wrong"})
    response = client.post(url, {"login": staff.email, "password": TEST_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _log_in(client, user):
    """Through allauth's login form, as a person would (it records how they logged in)."""
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _reauthenticate(client):
    """allauth asks for the password again before two-factor authentication is turned on."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


def test_staff_pages_need_two_factor_authentication(client):
    staff = StaffUserFactory(two_factor=False)
    _log_in(client, staff)
    for url in (reverse("admin:index"), reverse("supportdesk:request_list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")
    _reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    enrolled = StaffUserFactory()
    client.force_login(enrolled)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("supportdesk:request_list")).status_code == 200


def test_the_password_alone_does_not_log_staff_in(client):
    staff = StaffUserFactory()
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    code = totp_code(staff.totp_secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_turning_two_factor_on_ends_the_other_sessions(client, transactional_db):
    """Transactional: allauth announces the new authenticator when its transaction commits,
    inside the request, as in production."""
    staff = StaffUserFactory(two_factor=False)
    elsewhere = Client()
    _log_in(elsewhere, staff)
    _log_in(client, staff)
    _reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200  # this session stays
    response = elsewhere.get(reverse("supportdesk:request_list"))  # the older one is logged out
    assert urlsplit(response["Location"]).path == reverse("account_login")


def test_mfa_secrets_are_encrypted_at_rest():
    staff = StaffUserFactory()
    stored = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).data["secret"]
    assert staff.totp_secret not in stored


# --- 2. one client address, from the trusted proxies -----------------------------------------


def _request(remote="10.0.0.1", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_client_ip_ignores_forwarding_headers_unless_proxies_are_trusted(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(x_forwarded_for="203.0.113.9")) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(x_forwarded_for="203.0.113.9")) == "203.0.113.9"
    # What a client writes in front of the proxy's entry is never believed.
    assert client_ip(_request(x_forwarded_for="1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    # A header that does not hold an address falls back to the proxy, never to an error.
    assert client_ip(_request(x_forwarded_for="junk")) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(x_forwarded_for="203.0.113.9")) == "10.0.0.1"
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(_request(x_real_ip="2001:db8::7")) == "2001:db8::7"


def _apply(client, job, **headers):
    return client.post(job_url(job), apply_data(), headers=headers)


def _fresh_address() -> str:
    """An address no earlier run counted (the counters live in the shared cache)."""
    number = uuid.uuid4().int
    return f"198.18.{number % 250}.{number // 250 % 250 + 1}"


def test_two_applicants_behind_one_proxy_are_limited_separately(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.JOBS_APPLY_RATE_LIMIT = (2, 3600)
    job = JobFactory(organization=CareerPageFactory().organization)
    balancer = Client(REMOTE_ADDR="10.9.9.9")
    first, second = _fresh_address(), _fresh_address()
    for _ in range(2):
        assert _apply(balancer, job, x_forwarded_for=first).status_code == 302
    assert _apply(balancer, job, x_forwarded_for=first).status_code == 429
    # Another visitor through the same balancer is not locked out by the first.
    assert _apply(balancer, job, x_forwarded_for=second).status_code == 302


def test_two_people_behind_one_proxy_have_their_own_login_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    user, other = UserFactory(), UserFactory()
    balancer = Client(REMOTE_ADDR="10.9.9.10")
    url = reverse("account_login")
    first, second = _fresh_address(), _fresh_address()
    for _ in range(3):
        balancer.post(
            url, {"login": user.email, "password": "x"}, headers={"x-forwarded-for": first}
        )
    refused = balancer.post(
        url, {"login": user.email, "password": TEST_PASSWORD}, headers={"x-forwarded-for": first}
    )
    assert "Too many failed login attempts" in refused.content.decode()
    response = balancer.post(
        url,
        {"login": other.email, "password": TEST_PASSWORD},
        headers={"x-forwarded-for": second},
    )
    assert response.status_code == 302
    assert balancer.session["_auth_user_id"] == str(other.pk)


def test_a_forwarding_header_shorter_than_the_proxy_chain_is_no_500(settings):
    """allauth's own helper raises ImproperlyConfigured (a 500 on every login) when a
    client sends fewer X-Forwarded-For entries than there are trusted proxies."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    user = UserFactory()
    response = Client(REMOTE_ADDR="10.9.9.11").post(
        reverse("account_login"),
        {"login": user.email, "password": TEST_PASSWORD},
        headers={"x-forwarded-for": _fresh_address()},
    )
    assert response.status_code == 302


# --- 3. production refuses the provider's public development secrets -------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"PROVIDER_TOKEN": None, "PROVIDER_WEBHOOK_SECRET": None},
        {
            "PROVIDER_TOKEN": "sandbox-partner-token",
            "PROVIDER_WEBHOOK_SECRET": "dev-webhook-secret",
        },
    ],
    ids=["unset", "development values"],
)
def test_check_deploy_refuses_the_development_provider_secrets(overrides):
    result = run_with_production_settings(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", overrides=overrides
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "jobcast.E001" in output
    assert "PROVIDER_TOKEN" in output and "PROVIDER_WEBHOOK_SECRET" in output


# --- 4. links from the provider: only http(s) becomes a link ---------------------------------

HOSTILE_URLS = ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,x"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_job_ad_url_is_not_a_link_on_the_campaign_page(admin_client, org, url):
    posting = PostingFactory(
        campaign__job__organization=org, job_board_link=url, status=PostingStatus.ONLINE
    )
    page = admin_client.get(reverse("campaign_detail", args=[posting.campaign_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "javascript:" not in html.lower() and 'href="data:text' not in html
    assert 'data-testid="job-ad-link"' not in html


def test_a_safe_job_ad_url_is_a_link_that_opens_apart(admin_client, org):
    posting = PostingFactory(
        campaign__job__organization=org,
        job_board_link="https://jobs.example/ad/1",
        status=PostingStatus.ONLINE,
    )
    html = admin_client.get(reverse("campaign_detail", args=[posting.campaign_id])).text
    assert (
        '<a href="https://jobs.example/ad/1" target="_blank" rel="noopener noreferrer" '
        'data-testid="job-ad-link">'
    ) in html


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_board_url_is_not_a_link_in_the_contract_header(url):
    channel = SimpleNamespace(name="Board", url=url, logo_url=url)
    html = render_to_string("contracts/includes/board_header.html", {"channel": channel})
    assert "href=" not in html and "<img" not in html


# --- 5. bodies over the limit are refused from their Content-Length --------------------------


class _Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_oversized_application_is_refused_unread_with_a_clear_message(settings, db):
    job = JobFactory(organization=CareerPageFactory().organization)
    url = reverse("careers:job", args=[job.organization.career_page.slug, job.pk])
    response = Client().generic(
        "POST",
        url,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "Your application was not sent" in html and "10.0\xa0MB" in html
    assert 'data-testid="apply-form"' in html  # the form is there to try again
    assert not job.applications.exists()


def test_any_other_oversized_body_gets_the_413_page(settings, admin_client):
    response = admin_client.generic(
        "POST",
        reverse("job_create"),
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
        **{"wsgi.input": _Unreadable()},
    )
    assert response.status_code == 413
    assert "Too much data" in response.content.decode()


def test_a_real_server_answers_before_the_body_is_sent(live_server, settings):
    """Over a socket: the headers announce 5 GB, a few bytes follow, the answer comes."""
    job = JobFactory(organization=CareerPageFactory().organization)
    path = reverse("careers:job", args=[job.organization.career_page.slug, job.pk])
    host, port = urlsplit(live_server.url).hostname, urlsplit(live_server.url).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {5 * 1024**3}\r\n\r\n"
            ).encode()
            + b"--x\r\n" * 10
        )
        answer = connection.recv(200).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413")


def test_the_apply_form_tells_the_browser_the_largest_cv(settings):
    attrs = ApplyForm()["cv"].field.widget.attrs
    assert attrs["data-max-bytes"] == str(settings.JOBS_CV_MAX_BYTES)
    assert "10.0\xa0MB" in attrs["data-too-large-message"]


# --- 6. credential fields: secret unless a choice or an allow-listed identifier ---------------


def _definition(name, kind="text", options=()):
    return SimpleNamespace(
        name=name, label=name, kind=kind, options=list(options), description="", url=""
    )


GUESSED_WRONG = ["pass", "passphrase", "passcode", "auth_code", "access_code", "signature",
                 "login_hash", "pin_number", "otp"]  # fmt: skip


@pytest.mark.parametrize("name", GUESSED_WRONG)
def test_credentials_that_looked_harmless_are_secrets(name):
    definition = _definition(name)
    assert is_secret_credential(definition)
    assert credential_kind(definition) == CredentialKind.SECRET
    assert hint_of(credential_kind(definition), "value-1234") == ""
    form = ContractEditForm(details=SimpleNamespace(credentials=[definition]), stored={})
    assert form[f"cred_{name}"].widget_type == "password"


@pytest.mark.parametrize("name", ["username", "email", "account_id", "Client ID", "clientId"])
def test_allow_listed_identifiers_keep_a_hint(name):
    definition = _definition(name)
    assert credential_kind(definition) == CredentialKind.TEXT
    assert hint_of(CredentialKind.TEXT, "acme-india") == "ndia"


def test_a_choice_offered_by_the_board_is_not_masked():
    definition = _definition("region", "select", [SimpleNamespace(key="in", label="India")])
    assert credential_kind(definition) == CredentialKind.SELECT
    assert not is_secret_credential(definition)


def test_stored_hints_of_secrets_are_forgotten_by_the_migration():
    kept = ContractCredentialFactory(name="username", kind="text", last4="ndia")
    forgotten = ContractCredentialFactory(name="passcode", kind="text", last4="1234")
    migration = import_module("contracts.migrations.0003_forget_hints_of_secret_credentials")
    migration.forget_hints(apps, None)
    kept.refresh_from_db()
    forgotten.refresh_from_db()
    assert (kept.kind, kept.last4) == ("text", "ndia")
    assert (forgotten.kind, forgotten.last4) == ("secret", "")


# --- 7. campaign emails go to active users only -------------------------------------------------


def _online_posting(org, recruiter):
    return PostingFactory(
        campaign__job__organization=org,
        campaign__job__recruiter=recruiter,
        campaign__ordered_by=recruiter,
        status=PostingStatus.ONLINE,
    )


def notify_online(posting) -> None:
    for row in posting_status_notify(posting=posting, status=PostingStatus.ONLINE):
        assert notification_send(notification_id=row.pk).sent


def test_a_deactivated_recruiter_gets_no_campaign_email_the_admins_do(org, admin):
    recruiter = MembershipFactory(organization=org, role=Role.RECRUITER).user
    inactive_admin = AdminMembershipFactory(organization=org, user__is_active=False).user
    posting = _online_posting(org, recruiter)
    account_services.membership_deactivate(org=org, membership_id=recruiter.membership.pk, by=admin)
    notify_online(posting)
    recipients = [message.to for message in mail.outbox]
    assert recipients == [[admin.email]]
    assert inactive_admin.email not in str(recipients)


def test_an_active_recruiter_still_gets_their_campaign_email(org, admin):
    recruiter = MembershipFactory(organization=org, role=Role.RECRUITER).user
    posting = _online_posting(org, recruiter)
    notify_online(posting)
    assert [message.to for message in mail.outbox] == [[recruiter.email]]


# --- 8. sign-up confirms the address; invitations reveal nothing -----------------------------

SIGNUP = {
    "full_name": "Mallory",
    "organization_name": "Squatters",
    "password1": TEST_PASSWORD,
    "password2": TEST_PASSWORD,
}


def test_an_unconfirmed_signup_cannot_log_in(client):
    client.post(reverse("account_signup"), {**SIGNUP, "email": "victim@example.test"})
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"), {"login": "victim@example.test", "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_owner_of_a_squatted_address_can_still_be_invited(
    client, org, admin, django_capture_on_commit_callbacks
):
    Client().post(reverse("account_signup"), {**SIGNUP, "email": "victim@example.test"})
    squatters = Organization.objects.get(name="Squatters")
    _, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="victim@example.test"
    )
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"full_name": "Victor", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="victim@example.test")
    assert user.membership.organization == org and user.full_name == "Victor"
    assert not Organization.objects.filter(pk=squatters.pk).exists()


def test_the_invitation_form_answers_alike_whether_or_not_an_account_exists(
    admin_client, other_admin
):
    answers = []
    for email in (other_admin.email, "nobody@example.test"):
        response = admin_client.post(
            reverse("team"), {"email": email, "role": Role.RECRUITER}, follow=True
        )
        answers.append([str(m).replace(email, "EMAIL") for m in response.context["messages"]])
    assert answers[0] == answers[1] == ["Invitation sent to EMAIL."]


def test_an_invitee_with_an_account_elsewhere_is_told_on_the_invitation_page(
    client, org, admin, other_admin, django_capture_on_commit_callbacks
):
    _, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email=other_admin.email
    )
    assert invitation_token(mail.outbox[-1]) == token
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"full_name": "X", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert response.status_code == 400
    assert "already have a Jobcast account" in response.content.decode()
    assert Membership.objects.get(user=other_admin).organization != org


# --- 9. production CSP; OAuth values out of logs and next= links ------------------------------


def test_production_forms_may_only_lead_to_https_pages():
    result = run_with_production_settings(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(' '.join(settings.SECURE_CSP['form-action']))",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "'self' https:"


@pytest.mark.parametrize(
    "line",
    [
        '"GET /administration/job-boards/contracts/oauth/s1/?hash=tok-42&x=1 HTTP/1.1" 302 0',
        "/accounts/login/?next=/administration/job-boards/contracts/oauth/s1/%3Fhash%3Dtok-42",
        "/callback?code=tok-42&state=abc",
    ],
)
def test_oauth_values_in_urls_are_redacted_from_logs(line):
    assert "tok-42" not in redact(line)


def test_the_login_link_after_an_oauth_callback_does_not_carry_the_token(client, org):
    org.my_own_contracts_enabled = True
    org.save()
    url = reverse("contract_oauth_callback", args=["state-1"]) + "?hash=tok-42&lang=fr"
    response = client.get(url)
    assert response.status_code == 302
    assert "tok-42" not in response["Location"] and "lang%3Dfr" in response["Location"]


def test_runservers_access_log_goes_through_the_redaction(settings):
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
    assert "redact_secrets" in settings.LOGGING["handlers"]["console"]["filters"]


# --- 10. every way to store a logo checks it ---------------------------------------------------

BAD_LOGOS = [
    ("setup.exe", b"MZ\x90\x00" + b"\x00" * 64),
    ("random.pdf", bytes(range(256)) * 16),
    ("../../../../etc/passwd.pdf", b"%PDF-1.4 not an image"),
]


@pytest.mark.parametrize("name, content", BAD_LOGOS, ids=["exe", "random pdf", "traversal"])
def test_the_support_admins_organisation_form_refuses_what_is_not_an_image(name, content):
    org = OrganizationFactory()
    client = Client()
    client.force_login(StaffUserFactory())
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    data = form_data(client.get(url).content.decode(), "organization_form")
    data["logo"] = SimpleUploadedFile(name, content)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "Please upload a PNG, JPEG, GIF or WebP image." in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


def test_the_support_admin_stores_a_real_image_under_a_name_of_ours():
    org = OrganizationFactory()
    client = Client()
    client.force_login(StaffUserFactory())
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    data = form_data(client.get(url).content.decode(), "organization_form")
    data["logo"] = SimpleUploadedFile("../../x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.logo.name.startswith(f"logos/org-{org.pk}-") and ".." not in org.logo.name


# --- found by the fuzzer --------------------------------------------------------------------


def test_a_nul_character_typed_in_the_campaign_wizard_is_dropped_not_a_500(admin_client, org):
    """PostgreSQL cannot keep U+0000 in the draft's JSON: the Target group step answered 500."""
    draft = CampaignDraftFactory(job__organization=org)
    url = reverse("campaign_draft_target_group", args=[draft.pk])
    response = admin_client.post(url, {"campaign_name": "Night\x00shift", "salary_to": "NaN"})
    assert response.status_code == 400  # the step again, with its errors
    draft.refresh_from_db()
    assert draft.data["values"]["campaign_name"] == "Nightshift"


def test_a_nul_character_in_a_query_string_is_a_400_not_a_500(admin_client, org):
    """The board search compared the raw ``q`` in PostgreSQL, which refuses NUL: a 500."""
    org.my_own_contracts_enabled = True
    org.save()
    for url in (reverse("contract_channel_search"), reverse("contract_add"), reverse("job_list")):
        response = admin_client.get(url, {"q": "nauk\x00ri"})
        assert response.status_code == 400, url
        assert "We could not understand that request" in response.content.decode()
    assert admin_client.get(reverse("contract_channel_search"), {"q": "nauk"}).status_code == 200
