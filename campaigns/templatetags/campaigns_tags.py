"""Small display helpers for campaign pages."""

from django import template

from campaigns.models import (
    TAKE_DOWN_REQUESTED,
    TAKE_DOWN_REQUESTED_LABEL,
    CampaignStatus,
    PostingStatus,
)

register = template.Library()

# The one colour of each status, on every page that shows one (History, a campaign's page,
# the job's Sourcing tab). A campaign's status takes the values of its postings' statuses
# (campaigns.services.status.campaign_status_from_postings), so both enums share the map; a
# posting whose take-down waits for the provider shows that instead (Posting.shown_status).
STATUS_BADGE_CLASSES: dict[str, str] = {
    PostingStatus.SUBMITTED: "text-bg-secondary",
    PostingStatus.IN_PROGRESS: "text-bg-info",
    PostingStatus.ONLINE: "text-bg-success",
    PostingStatus.OFFLINE: "text-bg-dark",
    PostingStatus.FAILED: "text-bg-danger",
    TAKE_DOWN_REQUESTED: "text-bg-warning",
}
STATUS_LABELS = (
    dict(PostingStatus.choices)
    | dict(CampaignStatus.choices)
    | {TAKE_DOWN_REQUESTED: TAKE_DOWN_REQUESTED_LABEL}
)


@register.inclusion_tag("campaigns/includes/status_badge.html")
def status_badge(status: str) -> dict:
    """A posting's or a campaign's status (its stored value) as a coloured, labelled badge."""
    return {
        "status": status,
        "label": STATUS_LABELS.get(status, status),
        "css": STATUS_BADGE_CLASSES.get(status, "text-bg-secondary"),
    }


@register.simple_tag
def attribution_cell(attribution: dict, posting) -> int:
    """Applications that came through this posting's ad."""
    return attribution.get(posting.pk, (0, 0))[1]


@register.simple_tag
def attribution_views(attribution: dict, posting) -> int:
    return attribution.get(posting.pk, (0, 0))[0]
