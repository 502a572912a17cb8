"""An application that came through a job board ad shows its campaign and board, linked to
the campaign, on the job's Applications tab and on the application's own page (the jobs app
asks the campaigns app through ``jobs.selectors.APPLICATION_SOURCE_RESOLVERS``)."""

import pytest
from django.urls import reverse

from jobs.selectors import ApplicationSource, application_sources
from tests.campaigns.factories import CampaignFactory, PostingFactory
from tests.jobs.factories import ApplicationFactory, JobFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def posting(org):
    campaign = CampaignFactory(job=JobFactory(organization=org), name="Spring hiring")
    return PostingFactory(campaign=campaign, board_name="StepStone")


def test_applications_name_the_campaign_and_board_that_brought_them(
    recruiter_client, posting, django_assert_max_num_queries
):
    job = posting.campaign.job
    ApplicationFactory(
        job=job,
        name="Ada",
        utm_source="stepstone",
        utm_campaign="a1b2c3",
        utm_content=posting.utm_content,
    )
    ApplicationFactory(job=job, name="Bob", utm_source="newsletter", utm_medium="email")
    url = reverse("job_applications", args=[job.pk])
    with django_assert_max_num_queries(14) as few:
        response = recruiter_client.get(url)
    campaign_url = reverse("campaign_detail", args=[posting.campaign_id])
    assert f'<a href="{campaign_url}">Spring hiring</a> · StepStone' in response.text
    assert "a1b2c3" not in response.text  # the campaign reference is an internal id
    assert "newsletter / email" in response.text

    for _ in range(20):  # more applications through more ads: still the same queries
        ApplicationFactory(
            job=job, utm_content=PostingFactory(campaign=posting.campaign).utm_content
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert recruiter_client.get(url).status_code == 200


def test_the_application_page_shows_the_candidate_and_the_source(recruiter_client, posting):
    application = ApplicationFactory(
        job=posting.campaign.job,
        name="Ada Lovelace",
        message="First paragraph.\n\nSecond paragraph.",
        utm_content=posting.utm_content,
    )
    response = recruiter_client.get(reverse("application_detail", args=[application.pk]))
    assert response.status_code == 200
    text = response.text
    assert "<h1" in text and "Ada Lovelace" in text
    assert "<p>First paragraph.</p>\n\n<p>Second paragraph.</p>" in text
    assert reverse("campaign_detail", args=[posting.campaign_id]) in text
    assert reverse("application_cv", args=[application.pk]) in text
    listing = recruiter_client.get(reverse("job_applications", args=[posting.campaign.job_id]))
    assert reverse("application_detail", args=[application.pk]) in listing.text


def test_another_organisations_ad_is_never_named(org, other_org):
    foreign = PostingFactory(
        campaign=CampaignFactory(job=JobFactory(organization=other_org), name="Their campaign")
    )
    application = ApplicationFactory(
        job=JobFactory(organization=org),
        utm_source="x",
        utm_medium="",
        utm_content=foreign.utm_content,
    )
    sources = application_sources(org=org, applications=[application])
    assert sources[application.pk] == ApplicationSource(origin="x")
