"""One status badge, keyed by the status enum, on every page that shows a status."""

import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from campaigns.models import CampaignStatus, PostingStatus
from campaigns.services.status import posting_apply_status
from campaigns.templatetags.campaigns_tags import STATUS_BADGE_CLASSES
from tests.campaigns.factories import PostingFactory

BADGE = re.compile(
    r'<span class="badge (?P<css>[\w-]+)" data-testid="status-badge" '
    r'data-status="(?P<status>\w+)">(?P<label>[^<]+)</span>'
)


def badge(status: str) -> dict:
    html = engines["django"].from_string("{% load campaigns_tags %}{% status_badge s %}")
    return BADGE.fullmatch(html.render({"s": status}).strip()).groupdict()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_status_has_its_own_colour_and_its_label(language):
    with translation.override(language):
        shown = {status: badge(status) for status in PostingStatus.values}
        for status in PostingStatus:
            assert shown[status] == {
                "css": STATUS_BADGE_CLASSES[status],
                "status": status.value,
                "label": str(status.label),
            }
        # A campaign's status takes the same values and labels.
        for status in CampaignStatus:
            assert badge(status) == shown[status.value]
    assert len({b["css"] for b in shown.values()}) == len(PostingStatus)


def test_an_unknown_status_is_shown_as_is():
    assert badge("paused") == {"css": "text-bg-secondary", "status": "paused", "label": "paused"}


@pytest.mark.django_db
def test_history_campaign_page_and_sourcing_tab_show_the_same_badge(org, admin, client):
    posting = PostingFactory(campaign__job__organization=org, campaign__ordered_by=admin)
    posting_apply_status(posting=posting, status=PostingStatus.ONLINE, source="webhook")
    client.force_login(admin)
    campaign = posting.campaign
    pages = {
        "History": reverse("campaign_history"),
        "History details": reverse("campaign_history_detail", args=[campaign.pk]),
        "campaign page": reverse("campaign_detail", args=[campaign.pk]),
        "Sourcing tab": reverse("job_sourcing_boards", args=[campaign.job_id]),
    }
    online = (
        f'<span class="badge {STATUS_BADGE_CLASSES[PostingStatus.ONLINE]}" '
        'data-testid="status-badge" data-status="online">Online</span>'
    )
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert online in response.text, name
