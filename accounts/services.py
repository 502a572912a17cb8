"""Every write on organisations, memberships and invitations."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationChange,
    Plan,
    Role,
    User,
)

# Fields support staff may change in Django admin; each change is written to the audit trail.
AUDITED_ORGANIZATION_FIELDS = (
    "name",
    "plan",
    "verified_at",
    "career_page_enabled",
    "my_own_contracts_enabled",
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organisation"
    slug, suffix = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def organization_create(*, name: str, admin: User, plan: str = Plan.TRIAL) -> Organization:
    """A new organisation (trial by default) with ``admin`` as its first admin."""
    org = Organization.objects.create(name=name.strip(), slug=_unique_slug(name), plan=plan)
    Membership.objects.create(organization=org, user=admin, role=Role.ADMIN)
    return org


@transaction.atomic
def user_signup_complete(*, user: User, full_name: str, organization_name: str) -> Organization:
    """The last step of sign-up: the new user names themselves and their organisation, which
    starts in trial with them as its admin."""
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])
    return organization_create(name=organization_name, admin=user)


@transaction.atomic
def organization_record_support_changes(
    *, org: Organization, before: dict, by: User
) -> list[OrganizationChange]:
    """Write one audit row per audited field that differs from ``before``."""
    changes = []
    for field in AUDITED_ORGANIZATION_FIELDS:
        old, new = before.get(field), getattr(org, field)
        if old != new:
            changes.append(
                OrganizationChange(
                    organization=org,
                    changed_by=by,
                    field=field,
                    old_value="" if old is None else str(old),
                    new_value="" if new is None else str(new),
                )
            )
    return OrganizationChange.objects.bulk_create(changes)


@transaction.atomic
def organization_verify(*, org: Organization, by: User) -> Organization:
    before = organization_snapshot(org)
    org.verified_at = timezone.now()
    org.save(update_fields=["verified_at", "updated_at"])
    organization_record_support_changes(org=org, before=before, by=by)
    return org


def organization_snapshot(org: Organization) -> dict:
    return {field: getattr(org, field) for field in AUDITED_ORGANIZATION_FIELDS}


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(*, org: Organization, by: User, email: str, role: str) -> Invitation:
    """Invite ``email`` to ``org``; the link is emailed once and only its hash is kept."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    # Only this organisation's own members are refused by name: whether the address has an
    # account elsewhere on the installation is none of the inviting admin's business (the
    # invitee learns it from the link, which reaches only the address's owner).
    if Membership.objects.for_org(org).filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of your team.")})
    # A new invitation replaces any pending one for the same address.
    Invitation.objects.for_org(org).filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=org,
        email=email,
        role=role,
        invited_by=by,
        token_hash=_hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    link = settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token})
    context = {"invitation": invitation, "link": link, "inviter": by}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("You are invited to join %(org)s on Jobcast") % {"org": org.name},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


def invitation_get_by_token(*, token: str) -> Invitation | None:
    """The pending invitation for ``token``, or None when unknown, used, revoked or expired."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """Create the invited user's account and membership; the link cannot be used again."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=_hash_token(token)).first()
    )
    if invitation is None or not invitation.is_pending:
        raise ValidationError(_("This invitation link is no longer valid."))
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not _unconfirmed_signup(existing):
            raise ValidationError(
                _(
                    "You already have a Jobcast account with this email address, and an "
                    "account belongs to one organisation. Log in with it, or ask the person "
                    "who invited you to use another address."
                )
            )
        # Someone signed up with this address and never confirmed it; its owner, who just
        # proved it by following the emailed link, takes it over.
        _signup_discard(existing)
    user = User.objects.create_user(
        email=invitation.email, password=password, full_name=full_name.strip()
    )
    # The link reached this address by email: it is confirmed (allauth asks for that).
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    Membership.objects.create(organization=invitation.organization, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def _unconfirmed_signup(user: User) -> bool:
    """A sign-up whose address was never confirmed: it never logged in and owns nothing."""
    return (
        user.last_login is None
        and not user.is_staff
        and not EmailAddress.objects.filter(user=user, verified=True).exists()
    )


def _signup_discard(user: User) -> None:
    """Remove an unconfirmed sign-up and the organisation it created, if nobody else is in it."""
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    user.delete()
    if membership is not None and not membership.organization.memberships.exists():
        membership.organization.delete()


@transaction.atomic
def invitation_revoke(*, org: Organization, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_for_update().get_for_org_or_404(org, pk=invitation_id)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _active_admin_count(org: Organization) -> int:
    return Membership.objects.for_org(org).filter(role=Role.ADMIN, user__is_active=True).count()


def _lock_admins(org: Organization) -> None:
    """Lock the organisation's admin memberships. Every change that could remove an admin
    takes this lock first, so two concurrent changes (two admins demoting or deactivating
    each other) run one after the other and the second sees the first's result."""
    list(
        Membership.objects.for_org(org)
        .filter(role=Role.ADMIN)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


@transaction.atomic
def membership_change_role(*, org: Organization, membership_id: int, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    _lock_admins(org)
    membership = Membership.objects.select_related("user").get_for_org_or_404(org, pk=membership_id)
    if membership.role == Role.ADMIN and role != Role.ADMIN and _active_admin_count(org) <= 1:
        raise ValidationError(_("The last admin cannot be demoted. Make someone else admin first."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_deactivate(*, org: Organization, membership_id: int, by: User) -> Membership:
    """Deactivate a member. Their sessions end at once: an inactive user no longer
    authenticates, so every open session of theirs is anonymous on its next request; and the
    bumped session generation keeps those sessions dead if the member is reactivated."""
    _lock_admins(org)
    membership = Membership.objects.select_related("user").get_for_org_or_404(org, pk=membership_id)
    if membership.user_id == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if (
        membership.role == Role.ADMIN
        and membership.user.is_active
        and _active_admin_count(org) <= 1
    ):
        raise ValidationError(_("The last admin cannot be deactivated."))
    User.objects.filter(pk=membership.user_id).update(
        is_active=False, session_generation=F("session_generation") + 1
    )
    membership.user.refresh_from_db(fields=["is_active", "session_generation"])
    return membership


@transaction.atomic
def membership_reactivate(*, org: Organization, membership_id: int) -> Membership:
    membership = Membership.objects.select_related("user").get_for_org_or_404(org, pk=membership_id)
    membership.user.is_active = True
    membership.user.save(update_fields=["is_active"])
    return membership
