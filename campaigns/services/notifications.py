"""Emails about a campaign: the ordering recruiter hears when a board goes online or fails.

They go through the email outbox (``notifications``): the rows are written in the
transaction that changes the posting's status, keyed by posting and status, so a status
reported twice (webhook and poll) or a transaction rolled back never doubles or invents one.
"""

from django.conf import settings
from django.urls import reverse

from accounts.selectors import notification_recipients
from campaigns.models import Posting, PostingStatus
from notifications.models import Notification
from notifications.services import notification_queue

NOTIFIED_STATUSES = frozenset({PostingStatus.ONLINE, PostingStatus.FAILED})


def posting_status_notify(*, posting: Posting, status: str) -> list[Notification]:
    """Write the email saying that this board is now ``status`` (nothing for a status nobody
    is told about). It goes to the recruiter who ordered the campaign while they are an
    active member, otherwise to the organisation's active admins."""
    if status not in NOTIFIED_STATUSES:
        return []
    campaign = posting.campaign
    org = campaign.organization
    return notification_queue(
        org=org,
        key=f"posting:{posting.pk}:{status}",
        recipients=notification_recipients(org=org, preferred=campaign.ordered_by),
        template="campaigns/email/posting_status",
        context={
            "posting": posting,
            "campaign": campaign,
            "went_online": status == PostingStatus.ONLINE,
            "campaign_url": settings.SITE_URL
            + reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}),
        },
    )
