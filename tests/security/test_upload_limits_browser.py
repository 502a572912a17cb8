"""In Chromium: a CV over the limit is refused by the page itself, before anything is sent
(the server would refuse the whole request unread), so the candidate keeps what they typed."""

import pytest
from playwright.sync_api import expect

from jobs.pdf import minimal_pdf
from tests.jobs.factories import CareerPageFactory, JobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cv_over_the_limit_is_refused_before_sending_and_nothing_typed_is_lost(
    page, live_server, settings
):
    settings.JOBS_CV_MAX_BYTES = 2_000
    career_page = CareerPageFactory()
    job = JobFactory(organization=career_page.organization, title="Night nurse")
    page.goto(f"{live_server.url}/careers/{career_page.slug}/jobs/{job.pk}/")
    form = page.get_by_test_id("apply-form")
    form.get_by_label("Full name").fill("Casey Candidate")
    form.get_by_label("Email address").fill("casey@example.test")
    big = minimal_pdf(["Curriculum vitae"]) + b"%" * 5_000
    form.get_by_label("CV").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": big}]
    )
    message = form.get_by_role("alert").filter(has_text="This file is too large")
    expect(message).to_be_visible()
    form.get_by_role("button", name="Send application").click()
    expect(message).to_be_visible()
    expect(form.get_by_label("CV")).to_be_focused()
    expect(form.get_by_label("Full name")).to_have_value("Casey Candidate")
    assert not job.applications.exists()

    # A CV within the limit goes through.
    small = minimal_pdf(["CV"])
    form.get_by_label("CV").set_input_files(
        files=[{"name": "cv.pdf", "mimeType": "application/pdf", "buffer": small}]
    )
    expect(message).to_have_count(0)
    form.get_by_role("button", name="Send application").click()
    page.wait_for_url(f"**/jobs/{job.pk}/applied/")
    assert job.applications.get().name == "Casey Candidate"
