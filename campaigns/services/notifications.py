"""Emails about a campaign: the ordering recruiter hears when a board goes online or fails."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from campaigns.models import Posting, PostingStatus

NOTIFIED_STATUSES = frozenset({PostingStatus.ONLINE, PostingStatus.FAILED})


def posting_status_notify(*, posting_id: int, status: str) -> bool:
    """Email the recruiter who ordered the campaign that this board is now ``status``;
    False when there is nothing to say (a deleted posting, a status nobody is told about)."""
    posting = (
        Posting.objects.select_related("campaign__ordered_by", "campaign__job")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None or status not in NOTIFIED_STATUSES:
        return False
    campaign = posting.campaign
    recipient = campaign.ordered_by
    context = {
        "posting": posting,
        "campaign": campaign,
        "went_online": status == PostingStatus.ONLINE,
        "recipient": recipient,
        "campaign_url": settings.SITE_URL
        + reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}),
    }
    # Emails leave in the site's language: the recruiter's own is not recorded.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("campaigns/email/posting_status_subject.txt", context).strip()
        body = render_to_string("campaigns/email/posting_status.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    return True
