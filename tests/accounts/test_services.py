import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Organization, Plan, Role, User
from tests.accounts.helpers import invite
from tests.factories import (
    TEST_PASSWORD,
    AdminMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- organisations -------------------------------------------------------------------------


def test_organization_create_makes_a_trial_with_the_signer_as_admin():
    user = UserFactory()
    org = services.organization_create(name="  Acme Talent ", admin=user)
    assert org.name == "Acme Talent"
    assert org.slug == "acme-talent"
    assert org.plan == Plan.TRIAL
    assert org.verified_at is None
    assert not org.career_page_enabled and not org.my_own_contracts_enabled
    assert org.created_at and org.updated_at
    membership = Membership.objects.get(user=user)
    assert membership.organization == org and membership.role == Role.ADMIN


def test_organization_slugs_stay_unique_for_equal_names():
    first = services.organization_create(name="Acme", admin=UserFactory())
    second = services.organization_create(name="Acme", admin=UserFactory())
    third = services.organization_create(name="!!!", admin=UserFactory())
    assert (first.slug, second.slug) == ("acme", "acme-2")
    assert third.slug == "organisation"


def test_user_signup_complete_names_the_user_and_creates_their_organisation():
    user = UserFactory(full_name="")
    org = services.user_signup_complete(
        user=user, full_name=" Ada Lovelace ", organization_name="Analytical"
    )
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"
    assert org.memberships.get().user == user


def test_organization_verify_records_who_and_when():
    support = UserFactory(is_staff=True)
    org = OrganizationFactory(verified_at=None)
    before = timezone.now()
    services.organization_verify(org=org, by=support)
    org.refresh_from_db()
    assert org.verified_at >= before
    change = org.changes.get()
    assert (change.field, change.old_value, change.changed_by) == ("verified_at", "", support)
    assert change.changed_at >= before


def test_support_changes_record_one_row_per_changed_field():
    support = UserFactory(is_staff=True)
    org = OrganizationFactory(plan=Plan.TRIAL, my_own_contracts_enabled=False)
    before = services.organization_snapshot(org)
    org.plan = Plan.SUBSCRIBER
    org.my_own_contracts_enabled = True
    org.save()
    services.organization_record_support_changes(org=org, before=before, by=support)
    rows = {c.field: (c.old_value, c.new_value, c.changed_by) for c in org.changes.all()}
    assert rows == {
        "plan": ("trial", "subscriber", support),
        "my_own_contracts_enabled": ("False", "True", support),
    }


# --- invitations ---------------------------------------------------------------------------


def test_invitation_create_emails_a_link_and_stores_only_a_hash(
    org, admin, django_capture_on_commit_callbacks
):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email=" New@Example.TEST "
    )
    assert invitation.email == "new@example.test"
    assert invitation.role == Role.RECRUITER and invitation.invited_by == admin
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert org.name in mail.outbox[0].subject
    assert reverse("invitation_accept", kwargs={"token": token}) in mail.outbox[0].body


def test_invitation_email_is_sent_only_after_commit(org, admin):
    with transaction.atomic():
        services.invitation_create(org=org, by=admin, email="later@example.test", role="admin")
        assert mail.outbox == []


def test_invitation_create_refuses_members_of_the_team(org, admin):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(org=org, by=admin, email=admin.email.upper(), role="recruiter")
    assert error.value.message_dict["email"] == ["This person is already a member of your team."]


def test_invitation_create_does_not_tell_whether_an_address_has_an_account_elsewhere(
    org, admin, other_admin, django_capture_on_commit_callbacks
):
    """Whether an address has an account on the installation is not the inviting admin's
    business: the invitation is sent, and only the address's owner learns it (finding 8)."""
    for email in (other_admin.email, "nobody-yet@example.test"):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                org=org, by=admin, email=email, role="recruiter"
            )
        assert invitation.is_pending


def test_invitation_create_refuses_unknown_roles(org, admin):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(org=org, by=admin, email="x@example.test", role="owner")
    assert "role" in error.value.message_dict


def test_a_new_invitation_replaces_the_pending_one(org, admin, django_capture_on_commit_callbacks):
    first, first_token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="twice@example.test"
    )
    second, second_token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="twice@example.test"
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and second.is_pending
    assert services.invitation_get_by_token(token=first_token) is None
    assert services.invitation_get_by_token(token=second_token) == second


def test_invitation_accept_creates_the_member_once(org, admin, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        org=org,
        by=admin,
        email="joiner@example.test",
        role=Role.ADMIN,
    )
    user = services.invitation_accept(token=token, full_name=" Jo Iner ", password=TEST_PASSWORD)
    assert user.email == "joiner@example.test" and user.full_name == "Jo Iner"
    assert user.check_password(TEST_PASSWORD)
    assert user.membership.organization == org and user.membership.role == Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None

    # Reused link: refused, and nothing new is created.
    with pytest.raises(ValidationError, match="no longer valid"):
        services.invitation_accept(token=token, full_name="Again", password=TEST_PASSWORD)
    assert services.invitation_get_by_token(token=token) is None
    assert User.objects.filter(email="joiner@example.test").count() == 1


def test_expired_invitation_is_refused(org, admin, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="late@example.test"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.invitation_get_by_token(token=token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="Late", password=TEST_PASSWORD)
    assert not User.objects.filter(email="late@example.test").exists()


def test_revoked_invitation_is_refused(org, admin, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="revoked@example.test"
    )
    services.invitation_revoke(org=org, invitation_id=invitation.pk)
    assert services.invitation_get_by_token(token=token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="No", password=TEST_PASSWORD)


def test_unknown_token_is_refused(db):
    assert services.invitation_get_by_token(token="nope") is None
    with pytest.raises(ValidationError):
        services.invitation_accept(token="nope", full_name="No", password=TEST_PASSWORD)


def test_accepted_invitation_cannot_be_revoked(org, admin, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks, org=org, by=admin, email="in@example.test"
    )
    services.invitation_accept(token=token, full_name="In", password=TEST_PASSWORD)
    with pytest.raises(ValidationError, match="already accepted"):
        services.invitation_revoke(org=org, invitation_id=invitation.pk)


def test_another_organisations_invitation_cannot_be_revoked(
    org, other_org, other_admin, django_capture_on_commit_callbacks
):
    invitation, _ = invite(
        django_capture_on_commit_callbacks, org=other_org, by=other_admin, email="o@example.test"
    )
    with pytest.raises(Http404):
        services.invitation_revoke(org=org, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- roles and the last admin --------------------------------------------------------------


def test_change_role_promotes_and_demotes(org, admin, recruiter):
    membership = services.membership_change_role(
        org=org, membership_id=recruiter.membership.pk, role=Role.ADMIN
    )
    assert membership.role == Role.ADMIN
    services.membership_change_role(org=org, membership_id=admin.membership.pk, role="recruiter")
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.RECRUITER


def test_the_last_admin_cannot_be_demoted(org, admin, recruiter):
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_change_role(
            org=org, membership_id=admin.membership.pk, role=Role.RECRUITER
        )
    admin.membership.refresh_from_db()
    assert admin.membership.role == Role.ADMIN


def test_a_deactivated_admin_does_not_count_as_an_admin(org, admin):
    inactive_admin = AdminMembershipFactory(organization=org, user__is_active=False)
    assert inactive_admin.user.is_active is False
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_change_role(
            org=org, membership_id=admin.membership.pk, role=Role.RECRUITER
        )


def test_change_role_refuses_unknown_roles_and_other_organisations(org, admin, other_admin):
    with pytest.raises(ValidationError):
        services.membership_change_role(org=org, membership_id=admin.membership.pk, role="boss")
    with pytest.raises(Http404):
        services.membership_change_role(
            org=org, membership_id=other_admin.membership.pk, role=Role.RECRUITER
        )


def test_deactivate_refuses_yourself_and_the_last_admin(org, admin):
    with pytest.raises(ValidationError, match="yourself"):
        services.membership_deactivate(org=org, membership_id=admin.membership.pk, by=admin)
    # Only reachable by a caller who is not an active admin themselves (e.g. a race).
    other = AdminMembershipFactory(organization=org)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="last admin"):
        services.membership_deactivate(org=org, membership_id=other.pk, by=admin)
    other.user.refresh_from_db()
    assert other.user.is_active


def test_deactivate_and_reactivate(org, admin, recruiter):
    services.membership_deactivate(org=org, membership_id=recruiter.membership.pk, by=admin)
    recruiter.refresh_from_db()
    assert recruiter.is_active is False
    services.membership_reactivate(org=org, membership_id=recruiter.membership.pk)
    recruiter.refresh_from_db()
    assert recruiter.is_active is True


def test_deactivate_refuses_another_organisations_member(org, admin, other_org):
    stranger = MembershipFactory(organization=other_org)
    with pytest.raises(Http404):
        services.membership_deactivate(org=org, membership_id=stranger.pk, by=admin)
    stranger.user.refresh_from_db()
    assert stranger.user.is_active


def test_deactivation_ends_the_members_sessions_at_once(client, org, admin, recruiter):
    client.force_login(recruiter)
    assert client.get(reverse("dashboard")).status_code == 200

    services.membership_deactivate(org=org, membership_id=recruiter.membership.pk, by=admin)

    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Reactivation does not bring the old session back; logging in again works.
    services.membership_reactivate(org=org, membership_id=recruiter.membership.pk)
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.login(email=recruiter.email, password=TEST_PASSWORD)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_deactivated_member_cannot_log_in(client, org, admin, recruiter):
    services.membership_deactivate(org=org, membership_id=recruiter.membership.pk, by=admin)
    response = client.post(
        reverse("account_login"), {"login": recruiter.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != reverse("dashboard")


# --- concurrency: two admins removing each other at the same moment -------------------------


def _wait_until_blocked_on_a_lock(thread: threading.Thread) -> bool:
    """Poll PostgreSQL until another session of this database waits for a row lock."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while thread.is_alive() and time.monotonic() < deadline:
            # Statistics are snapshotted per transaction, and we are inside one.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _run_concurrently(first, second):
    """Run ``first`` inside an open transaction (so it holds its locks), start ``second`` in
    another thread and connection, wait until it is blocked, then commit the first."""
    outcome = {}

    def run_second():
        try:
            second()
            outcome["second"] = "done"
        except ValidationError as error:
            outcome["second"] = error.messages[0]
        finally:
            connection.close()

    thread = threading.Thread(target=run_second)
    with transaction.atomic():
        first()
        thread.start()
        outcome["second_waited"] = _wait_until_blocked_on_a_lock(thread)
    thread.join(timeout=60)
    return outcome


@pytest.fixture
def two_admins(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL; CI runs this")
    org = OrganizationFactory()
    return org, AdminMembershipFactory(organization=org), AdminMembershipFactory(organization=org)


def test_concurrent_demotions_leave_one_admin(two_admins):
    org, first, second = two_admins
    outcome = _run_concurrently(
        lambda: services.membership_change_role(org=org, membership_id=first.pk, role="recruiter"),
        lambda: services.membership_change_role(org=org, membership_id=second.pk, role="recruiter"),
    )
    assert outcome["second_waited"], "the second demotion did not wait for the first's lock"
    assert "last admin" in outcome["second"]
    assert list(Membership.objects.filter(organization=org, role=Role.ADMIN)) == [second]


def test_concurrent_deactivations_leave_one_active_admin(two_admins):
    org, first, second = two_admins
    outcome = _run_concurrently(
        lambda: services.membership_deactivate(org=org, membership_id=second.pk, by=first.user),
        lambda: services.membership_deactivate(org=org, membership_id=first.pk, by=second.user),
    )
    assert outcome["second_waited"], "the second deactivation did not wait for the first's lock"
    assert "last admin" in outcome["second"]
    active = Membership.objects.filter(organization=org, role=Role.ADMIN, user__is_active=True)
    assert list(active) == [first]


def test_organizations_are_independent(org, admin, other_org, other_admin):
    # The last-admin rule counts admins per organisation.
    with pytest.raises(ValidationError):
        services.membership_change_role(
            org=org, membership_id=admin.membership.pk, role="recruiter"
        )
    assert Organization.objects.count() == 2
