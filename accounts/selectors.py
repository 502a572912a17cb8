from accounts.models import Invitation, Membership, Organization


def team_members(*, org: Organization):
    return Membership.objects.for_org(org).select_related("user").order_by("user__email")


def pending_invitations(*, org: Organization):
    return [
        invitation
        for invitation in Invitation.objects.for_org(org)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        if invitation.is_pending
    ]
