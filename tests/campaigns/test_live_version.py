"""The version a live campaign page polls with changes whenever what the page shows changes:
a change it misses is a page that never shows it (the refresh is answered with nothing to
swap). Checked field by field, and for every field of a campaign and of a posting at once: a
change that alters the page's live part must alter its version."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, CampaignStatus, EventSource, Posting, PostingStatus
from campaigns.selectors import campaign_postings, campaigns_live_version
from campaigns.services.status import posting_apply_status
from tests.campaigns.factories import PostingFactory

REFRESH = {"HX-Request": "true", "HX-Target": "campaign-live"}
FRENCH_TEXTS = {"description": "Annonce refusée.", "solution": "Raccourcissez le titre."}


def page_url(posting):
    return reverse("campaign_detail", kwargs={"campaign_id": posting.campaign_id})


def live_version(posting) -> str:
    campaign = Campaign.objects.get(pk=posting.campaign_id)
    postings = campaign_postings(org=campaign.organization, campaign=campaign)
    return campaigns_live_version(campaigns=[campaign], postings=postings)


def refresh_status(client, posting, version: str) -> int:
    """200: the page's refresh swaps in a new copy; 204: it keeps what it shows."""
    return client.get(page_url(posting), {"version": version}, headers=REFRESH).status_code


def live_fragment(client, posting) -> str:
    """The live part as a refresh gets it, without what differs from one request to the next
    (the CSRF token) or what is the version itself."""
    html = client.get(page_url(posting), {"version": "none"}, headers=REFRESH).text
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"\?version=[0-9a-f]+", "", html)


@pytest.fixture
def failed_posting(org):
    return PostingFactory(
        campaign__job__organization=org,
        campaign__provider_campaign_id="c-failed",
        campaign__status=CampaignStatus.FAILED,
        status=PostingStatus.FAILED,
        status_description="The ad was refused.",
        status_solution="Shorten the title.",
        status_texts_fr=FRENCH_TEXTS,
    )


def test_a_new_solution_alone_reaches_the_open_page(recruiter_client, failed_posting):
    before = live_version(failed_posting)
    changed = posting_apply_status(
        posting=failed_posting,
        status=PostingStatus.FAILED,
        source=EventSource.POLL,
        description="The ad was refused.",
        solution="Remove the phone number from the description.",
        texts_fr=FRENCH_TEXTS,
    )
    assert failed_posting.status_description == "The ad was refused."
    assert changed and failed_posting.status_texts_fr == FRENCH_TEXTS
    assert live_version(failed_posting) != before
    assert refresh_status(recruiter_client, failed_posting, before) == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", PostingStatus.OFFLINE),
        ("status_description", "The board rejected the salary."),
        ("status_solution", "Remove the phone number."),
        ("status_texts_fr", {"description": "Refusée.", "solution": "Retirez le numéro."}),
        ("job_board_link", "https://board.example/ads/other"),
        ("published_at", timezone.now() - timedelta(days=2)),
        ("offline_at", timezone.now() - timedelta(days=1)),
        ("clicks", 41),
        ("take_down_requested_at", timezone.now()),
        ("board_name", "Renamed board"),
    ],
)
def test_a_change_to_one_shown_posting_field_reaches_the_open_page(
    recruiter_client, failed_posting, field, value
):
    before = live_version(failed_posting)
    Posting.objects.filter(pk=failed_posting.pk).update(**{field: value})
    assert live_version(failed_posting) != before
    assert refresh_status(recruiter_client, failed_posting, before) == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", CampaignStatus.OFFLINE),
        ("provider_campaign_id", "c-adopted"),
        ("order_error_message", "The order was refused."),
        ("order_errors", {"general": ["The contract has expired."]}),
        ("name", "Renamed campaign"),
        ("payload", {"products": []}),
    ],
)
def test_a_change_to_one_shown_campaign_field_reaches_the_open_page(
    recruiter_client, failed_posting, field, value
):
    before = live_version(failed_posting)
    Campaign.objects.filter(pk=failed_posting.campaign_id).update(**{field: value})
    assert live_version(failed_posting) != before
    assert refresh_status(recruiter_client, failed_posting, before) == 200


def test_an_unchanged_posting_keeps_its_version(recruiter_client, failed_posting):
    before = live_version(failed_posting)
    assert refresh_status(recruiter_client, failed_posting, before) == 204


def changed_value(field: models.Field, old):
    if field.choices:
        return next(value for value, _label in field.choices if value != old)
    if isinstance(field, models.BooleanField):
        return not old
    if isinstance(field, models.DateTimeField):
        return (old or timezone.now()) - timedelta(days=3)
    if isinstance(field, models.IntegerField):
        return (old or 0) + 7
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.URLField):
        return "https://changed.example/ad"
    if isinstance(field, models.JSONField):
        return {"description": "Changed.", "solution": "Changed.", "general": ["Changed."]}
    if isinstance(field, models.CharField | models.TextField):
        return f"Changed {field.name}"[: field.max_length]
    raise AssertionError(f"No changed value for {field!r}: teach changed_value this type")


def own_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.is_relation]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "shape",
    [
        {"status": PostingStatus.FAILED},
        {"status": PostingStatus.ONLINE, "take_down_requested_at": timezone.now()},
        {"status": PostingStatus.OFFLINE, "offline_at": timezone.now()},
    ],
)
def test_every_field_that_changes_the_live_part_changes_its_version(
    recruiter_client, failed_posting, language, shape
):
    recruiter_client.cookies["django_language"] = language
    Posting.objects.filter(pk=failed_posting.pk).update(
        clicks=3,
        job_board_link="https://board.example/ads/1",
        published_at=timezone.now() - timedelta(days=5),
        **shape,
    )
    Campaign.objects.filter(pk=failed_posting.campaign_id).update(
        order_error_message="The order was refused.",
        order_errors={
            "requirements": {"0": {"company-page-url": ["Invalid."]}},
            "general": ["The contract has expired."],
        },
        payload={"products": [{"contract": 0, "board": "LinkedIn"}]},
    )
    # The refused board's errors are named after the order's boards (``payload``); contract 0
    # is none of ours, so its labels are the facets' names and the provider is not asked.
    missed, shown = [], []
    for model, pk in ((Posting, failed_posting.pk), (Campaign, failed_posting.campaign_id)):
        for field in own_fields(model):
            fragment = live_fragment(recruiter_client, failed_posting)
            version = live_version(failed_posting)
            old = getattr(model.objects.get(pk=pk), field.attname)
            model.objects.filter(pk=pk).update(**{field.attname: changed_value(field, old)})
            if live_fragment(recruiter_client, failed_posting) != fragment:
                shown.append(field.name)
                if live_version(failed_posting) == version:
                    missed.append(f"{model.__name__}.{field.name}")
            model.objects.filter(pk=pk).update(**{field.attname: old})
    assert shown, "no field changed the live part: the comparison is broken"
    assert missed == [], missed
