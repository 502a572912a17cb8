from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Invitation, Membership, Organization, Role, User


def team_members(*, org: Organization):
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def pending_invitations(*, org: Organization):
    return (
        Invitation.objects.for_org(org)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def organization_active_admins(*, org: Organization) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, membership__organization=org, membership__role=Role.ADMIN
        ).order_by("email")
    )


def notification_recipients(*, org: Organization, preferred: User | None) -> list[User]:
    """Who is told about something a member started (a campaign going online): that member
    while they are still an active member of ``org``, otherwise its active admins. Nobody
    deactivated, and nobody outside the organisation, ever receives its mail."""
    if (
        preferred is not None
        and Membership.objects.for_org(org).filter(user=preferred, user__is_active=True).exists()
    ):
        return [preferred]
    return organization_active_admins(org=org)


@dataclass(frozen=True)
class OrganizationOverview:
    active_members: int
    active_admins: int
    pending_invitations: int
    is_subscriber: bool
    is_verified: bool
    career_page_enabled: bool

    @property
    def has_teammates(self) -> bool:
        return self.active_members > 1


def organization_overview(*, org: Organization) -> OrganizationOverview:
    """What the dashboard shows about the organisation, in two queries."""
    counts = Membership.objects.for_org(org).aggregate(
        active_members=Count("pk", filter=Q(user__is_active=True)),
        active_admins=Count("pk", filter=Q(user__is_active=True, role=Role.ADMIN)),
    )
    return OrganizationOverview(
        active_members=counts["active_members"],
        active_admins=counts["active_admins"],
        pending_invitations=pending_invitations(org=org).count(),
        is_subscriber=org.is_subscriber,
        is_verified=org.is_verified,
        career_page_enabled=org.career_page_enabled,
    )
