import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationChange,
    Plan,
    Role,
    User,
)
from tests.accounts.helpers import form_data, invitation_link, invite
from tests.factories import (
    TEST_PASSWORD,
    AdminMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffUserFactory,
    UserFactory,
    totp_code,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- dashboard, administration, team ----------------------------------------------------


def test_dashboard_shows_the_organisation_and_team(admin_client, org, admin, recruiter):
    response = admin_client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert org.name in html
    assert "2 active members" in html
    assert reverse("administration") in html
    assert 'data-testid="trial-notice"' not in html  # the factory makes subscribers


def test_dashboard_of_a_trial_tells_how_to_subscribe(client, db):
    trial = OrganizationFactory(plan=Plan.TRIAL, verified_at=None)
    client.force_login(AdminMembershipFactory(organization=trial).user)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="trial-notice"' in html and "free trial" in html


def test_recruiters_see_no_administration(recruiter_client):
    html = recruiter_client.get(reverse("dashboard")).content.decode()
    assert reverse("administration") not in html
    response = recruiter_client.get(reverse("administration"))
    assert response.status_code == 403
    assert "Only admins of your organisation" in response.content.decode()


def test_support_staff_are_sent_to_the_support_desk_not_a_403(client, db):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("supportdesk:request_list")


def test_a_user_without_organisation_who_is_not_staff_gets_a_clear_403(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "not a member of any organisation" in response.content.decode()


def test_administration_page_has_the_cards(admin_client):
    html = admin_client.get(reverse("administration")).content.decode()
    for title in ("Team", "Career page", "Job boards"):
        assert f'<h2 class="h5">{title}</h2>' in html
    assert reverse("team") in html


def test_team_page_lists_members_and_pending_invitations(admin_client, org, admin, recruiter):
    Invitation.objects.create(
        organization=org,
        email="pending@example.test",
        token_hash="a" * 64,
        expires_at=timezone.now() + timedelta(days=1),
    )
    Invitation.objects.create(
        organization=org,
        email="expired@example.test",
        token_hash="b" * 64,
        expires_at=timezone.now() - timedelta(days=1),
    )
    outsider = MembershipFactory(organization=OrganizationFactory())
    html = admin_client.get(reverse("team")).content.decode()
    assert admin.email in html and recruiter.email in html
    assert outsider.user.email not in html
    assert "pending@example.test" in html and "expired@example.test" not in html
    # Destructive actions ask first.
    assert f'data-confirm="Deactivate {recruiter.email}?' in html


def test_team_page_empty_state_for_invitations(admin_client):
    html = admin_client.get(reverse("team")).content.decode()
    assert "No pending invitations" in html


def test_team_page_runs_a_constant_number_of_queries(
    admin_client, org, django_assert_max_num_queries
):
    for _ in range(30):
        MembershipFactory(organization=org)
    for n in range(10):
        Invitation.objects.create(
            organization=org,
            email=f"p{n}@example.test",
            token_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(days=1),
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("team"))
    assert response.status_code == 200


def test_team_page_paginates_members(admin_client, org):
    for _ in range(55):
        MembershipFactory(organization=org)
    first = admin_client.get(reverse("team")).content.decode()
    second = admin_client.get(reverse("team") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count('id="role-') == 50 and second.count('id="role-') == 6


# --- invitations through the UI ----------------------------------------------------------


def test_invite_sends_an_email_whose_link_works_once(
    admin_client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("team"), {"email": "new@example.test", "role": Role.RECRUITER}, follow=True
        )
    assert "Invitation sent to new@example.test." in messages_of(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.test"]
    link = invitation_link(mail.outbox[0])
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path

    invitee = Client()
    page = invitee.get(path)
    assert page.status_code == 200
    assert "Join Acme Test" in page.content.decode()
    response = invitee.post(
        path,
        {"full_name": "New Person", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.context["user"].email == "new@example.test"
    assert "Welcome to Acme Test!" in messages_of(response)
    assert Membership.objects.get(user__email="new@example.test").role == Role.RECRUITER

    # The same link a second time: a clear page, not an error.
    reused = Client().get(path)
    assert reused.status_code == 410
    assert "no longer valid" in reused.content.decode()
    reused_post = Client().post(
        path, {"full_name": "X", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD}
    )
    assert reused_post.status_code == 410


def test_expired_invitation_link_shows_a_clear_page(
    org, admin, client, django_capture_on_commit_callbacks
):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="late@example.test"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.get(reverse("invitation_accept", kwargs={"token": token}))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()


def test_accept_form_errors_are_shown(org, admin, client, django_capture_on_commit_callbacks):
    _, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="err@example.test"
    )
    url = reverse("invitation_accept", kwargs={"token": token})
    response = client.post(url, {"full_name": "E", "password1": "abc", "password2": "abd"})
    assert response.status_code == 400
    assert "The two passwords do not match." in response.content.decode()
    response = client.post(url, {"full_name": "E", "password1": "123", "password2": "123"})
    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not Membership.objects.filter(user__email="err@example.test").exists()


def test_invite_errors_are_shown_in_the_form(admin_client, admin):
    response = admin_client.post(reverse("team"), {"email": "not-an-email", "role": "recruiter"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = admin_client.post(reverse("team"), {"email": admin.email, "role": "recruiter"})
    assert response.status_code == 400
    assert "already a member of your team" in response.content.decode()
    assert mail.outbox == []


def test_revoke_an_invitation(admin_client, org, admin, django_capture_on_commit_callbacks):
    invitation, _ = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="gone@example.test"
    )
    response = admin_client.post(
        reverse("invitation_revoke", kwargs={"invitation_id": invitation.pk}), follow=True
    )
    assert "The invitation for gone@example.test was revoked." in messages_of(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


# --- roles and deactivation through the UI -----------------------------------------------


def test_change_a_role(admin_client, recruiter):
    url = reverse("member_role", kwargs={"member_id": recruiter.membership.pk})
    response = admin_client.post(url, {"role": Role.ADMIN}, follow=True)
    assert f"{recruiter.email} is now Admin." in messages_of(response)
    recruiter.membership.refresh_from_db()
    assert recruiter.membership.role == Role.ADMIN


def test_last_admin_demotion_is_refused_with_a_message(admin_client, admin):
    url = reverse("member_role", kwargs={"member_id": admin.membership.pk})
    response = admin_client.post(url, {"role": Role.RECRUITER}, follow=True)
    assert response.status_code == 200
    assert any("last admin cannot be demoted" in m for m in messages_of(response))
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.ADMIN


def test_an_invalid_role_is_refused_with_a_message(admin_client, recruiter):
    url = reverse("member_role", kwargs={"member_id": recruiter.membership.pk})
    response = admin_client.post(url, {"role": "owner"}, follow=True)
    assert "Choose a valid role." in messages_of(response)


def test_demoting_yourself_leads_to_the_dashboard(admin_client, org, admin):
    AdminMembershipFactory(organization=org)
    url = reverse("member_role", kwargs={"member_id": admin.membership.pk})
    response = admin_client.post(url, {"role": Role.RECRUITER}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.status_code == 200


def test_deactivate_and_reactivate_a_member(admin_client, recruiter):
    url = reverse("member_deactivate", kwargs={"member_id": recruiter.membership.pk})
    response = admin_client.post(url, follow=True)
    assert f"{recruiter.email} was deactivated and logged out." in messages_of(response)
    assert "Deactivated" in response.content.decode()
    url = reverse("member_reactivate", kwargs={"member_id": recruiter.membership.pk})
    response = admin_client.post(url, follow=True)
    assert f"{recruiter.email} can log in again." in messages_of(response)


def test_deactivating_yourself_is_refused_with_a_message(admin_client, admin):
    url = reverse("member_deactivate", kwargs={"member_id": admin.membership.pk})
    response = admin_client.post(url, follow=True)
    assert "You cannot deactivate yourself." in messages_of(response)


# --- sign-up, log-in, password reset (allauth) --------------------------------------------


SIGNUP = {
    "full_name": "Ada Lovelace",
    "organization_name": "Analytical Engines",
    "email": "ada@example.test",
    "password1": TEST_PASSWORD,
    "password2": TEST_PASSWORD,
}


def test_signup_creates_a_trial_organisation_with_the_signer_as_admin(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    for label in ("Your full name", "Organisation name", "Email", "Password"):
        assert label in page
    response = client.post(reverse("account_signup"), SIGNUP, follow=True)
    # The address is confirmed first: nothing opens until the emailed link is followed.
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    assert mail.outbox[-1].to == ["ada@example.test"] and link
    response = client.post(link.group(1), follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    membership = Membership.objects.select_related("organization", "user").get(
        user__email="ada@example.test"
    )
    assert membership.role == Role.ADMIN
    assert membership.user.full_name == "Ada Lovelace"
    assert membership.organization.name == "Analytical Engines"
    assert membership.organization.plan == Plan.TRIAL
    assert "Analytical Engines" in response.content.decode()


def test_signup_is_all_or_nothing(client, db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the organisation could not be created")

    monkeypatch.setattr(services, "organization_create", broken)
    with pytest.raises(RuntimeError):
        client.post(reverse("account_signup"), SIGNUP)
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_duplicate_signup_email_reveals_nothing_and_tells_the_owner(client, admin):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": admin.email.upper()})
    # The same answer as for a new address; the address's owner is told by email.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert Organization.objects.count() == 1
    assert mail.outbox[-1].to == [admin.email]
    assert "already" in mail.outbox[-1].body


def test_signup_needs_an_organisation_name(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "organization_name": ""})
    assert response.status_code == 200
    assert 'id="id_organization_name_error"' in response.content.decode()
    assert not Organization.objects.exists()


def test_pages_have_a_title(admin_client):
    login_page = Client().get(reverse("account_login")).content.decode()
    assert "<title>Log in · Jobcast</title>" in login_page
    html = admin_client.get(reverse("team")).content.decode()
    assert "<title>Team · Jobcast</title>" in html


def test_wrong_password_shows_a_message(client, admin):
    response = client.post(reverse("account_login"), {"login": admin.email, "password": "wrong"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_log_in_and_log_out(client, admin):
    response = client.post(
        reverse("account_login"), {"login": admin.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    confirm = client.get(reverse("account_logout"))
    assert confirm.status_code == 200 and "Are you sure" in confirm.content.decode()
    response = client.post(reverse("account_logout"))
    assert response["Location"] == reverse("account_login")
    assert client.get(reverse("dashboard")).status_code == 302


def test_support_staff_log_in_with_their_second_factor_and_land_on_the_support_desk(client, db):
    staff = StaffUserFactory()
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in on the password alone
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff.totp_secret)})
    assert response["Location"] == reverse("supportdesk:request_list")
    assert client.get(response["Location"]).status_code == 200


def test_password_reset_by_email_end_to_end(client, admin):
    response = client.post(reverse("account_reset_password"), {"email": admin.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [admin.email]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    new_password = "a-brand-new-passphrase-42"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}, follow=True
    )
    assert response.status_code == 200
    assert "password is now changed" in response.content.decode()
    client.logout()
    assert client.login(email=admin.email, password=new_password)
    assert not Client().login(email=admin.email, password=TEST_PASSWORD)
    # The link works once.
    reused = Client().get(link.group(1), follow=True)
    assert "Bad Token" in reused.content.decode() or "invalid" in reused.content.decode()


def test_change_password_page_uses_the_app_layout(admin_client):
    html = admin_client.get(reverse("account_change_password")).content.decode()
    assert 'aria-label="Main menu"' in html
    assert '<label class="form-label" for="id_oldpassword">' in html


# --- errors ------------------------------------------------------------------------------


def test_csrf_failure_shows_our_friendly_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.test", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "Back to Jobcast" in html


def test_unknown_url_shows_our_404_page(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Back to Jobcast" in html


def test_unknown_object_is_our_404_page(admin_client):
    response = admin_client.post(
        reverse("member_role", kwargs={"member_id": 999999}), {"role": Role.ADMIN}
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# --- /healthz --------------------------------------------------------------------------------


def test_healthz_reports_database_and_broker(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_unreachable(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


# --- support staff in the Django admin -----------------------------------------------------


@pytest.fixture
def support_client(client, db):
    support = StaffUserFactory(email="support@jobcast.test")
    client.force_login(support)
    client.support = support
    return client


def test_support_changes_through_the_admin_are_recorded(support_client, db):
    org = OrganizationFactory(plan=Plan.TRIAL, verified_at=None, my_own_contracts_enabled=False)
    AdminMembershipFactory(organization=org)
    url = reverse("admin:accounts_organization_change", args=[org.pk])
    page = support_client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "organization_form")
    data.update(
        {
            "plan": Plan.SUBSCRIBER,
            "my_own_contracts_enabled": "on",
            "verified_at_0": "2026-11-20",
            "verified_at_1": "10:00:00",
        }
    )
    response = support_client.post(url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.plan == Plan.SUBSCRIBER and org.my_own_contracts_enabled and org.is_verified
    rows = {c.field: c for c in OrganizationChange.objects.filter(organization=org)}
    assert set(rows) == {"plan", "my_own_contracts_enabled", "verified_at"}
    assert all(c.changed_by == support_client.support for c in rows.values())
    assert (rows["plan"].old_value, rows["plan"].new_value) == ("trial", "subscriber")
    # The trail is shown on the organisation's page.
    assert "subscriber" in support_client.get(url).content.decode()


def test_support_verify_action(support_client, db):
    unverified = OrganizationFactory(verified_at=None)
    verified = OrganizationFactory()
    response = support_client.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "verify", "_selected_action": [unverified.pk, verified.pk]},
    )
    assert response.status_code == 302
    unverified.refresh_from_db()
    assert unverified.is_verified
    change = OrganizationChange.objects.get()
    assert change.organization == unverified and change.changed_by == support_client.support
    assert change.field == "verified_at"


def test_memberships_are_read_only_in_the_admin(support_client, org, admin):
    html = support_client.get(
        reverse("admin:accounts_organization_change", args=[org.pk])
    ).content.decode()
    assert admin.email in html
    assert 'name="memberships-0-role"' not in html


# --- French ------------------------------------------------------------------------------------


def test_the_login_page_speaks_french(client, db):
    html = client.get(reverse("account_login"), headers={"accept-language": "fr"}).content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_the_dashboard_speaks_french_with_the_language_cookie(admin_client):
    admin_client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = admin_client.get(reverse("dashboard")).content.decode()
    assert "Tableau de bord" in html and "Administration" in html
