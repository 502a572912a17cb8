"""The recruiter's journey in a real browser, against the sandbox and a real worker:
order a campaign on two boards of one group, fill what the job and a board lacked, review,
order; both postings go Online; the job ad opens the board's page, whose Apply button lands
on the career page, and the application is attributed to that posting."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from campaigns.models import Campaign, PostingStatus
from campaigns.provider_webhook import webhook_url
from jobs.models import Application
from jobs.pdf import minimal_pdf
from tests.campaigns.sandbox_setup import BAYT, INDEED, sandbox_contract, sandbox_job
from tests.contracts.factories import ContractGroupFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.fixtures.celery_worker import CeleryWorker, require_pipeline_services, worker_env
from tests.jobs.factories import CareerPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.pipeline, pytest.mark.timeout(300)]


@pytest.fixture
def journey(transactional_db, live_server, provider, settings, sandbox):
    require_pipeline_services()
    settings.SITE_URL = live_server.url

    org = OrganizationFactory(name="Journey Org", my_own_contracts_enabled=True)
    CareerPageFactory(organization=org, slug="journey")
    recruiter = MembershipFactory(organization=org).user
    job = sandbox_job(org, recruiter, title="Site reliability engineer", years_of_experience=None)
    group = ContractGroupFactory(organization=org, name="Main group")
    indeed = sandbox_contract(org, group, INDEED)
    bayt = sandbox_contract(org, group, BAYT)
    # The URL `manage.py provider_webhook_url` prints, for this live server.
    sandbox.configure_webhook(webhook_url(base_url=live_server.url))
    worker = CeleryWorker(worker_env(sandbox, JOBCAST_SITE_URL=live_server.url)).start()
    yield {"org": org, "recruiter": recruiter, "job": job, "indeed": indeed, "bayt": bayt}
    worker.stop()
    sandbox.configure_webhook(None)


def log_in(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_order_two_boards_go_online_and_an_application_is_attributed(
    journey, page, client, live_server, sandbox, tmp_path
):
    job, bayt = journey["job"], journey["bayt"]
    log_in(page, client, live_server, journey["recruiter"])

    page.goto(live_server.url + reverse("job_sourcing_boards", kwargs={"job_id": job.pk}))
    expect(page.get_by_test_id("my-own-contracts")).to_contain_text("My Own Contracts")
    page.get_by_label(re.compile("^Indeed")).check()
    page.get_by_label(re.compile("^Bayt")).check()
    page.get_by_role("button", name="Add to campaign").click()
    page.get_by_role("link", name="Next: Target group").click()

    # The job lacks its years of experience: flagged, and filled here.
    years = page.get_by_label(re.compile("^Years of experience"))
    expect(page.locator("[data-field-wrapper=years_of_experience]")).to_contain_text(
        "Missing on the job"
    )
    years.fill("4")
    # Bayt requires a location, suggested by the provider as one types.
    location = page.locator(f"#id_req{bayt.pk}-location")
    location.fill("Dub")
    page.get_by_role("option", name="Dubai").click()  # only a picked suggestion is accepted
    expect(page.locator(f"[name=req{bayt.pk}-location]")).to_have_value("ae-dubai")
    page.get_by_role("button", name="Next: Order review").click()

    expect(page.get_by_role("heading", name="Order review")).to_be_visible()
    expect(page.get_by_test_id("review-board")).to_have_count(2)
    expect(page.get_by_test_id("provider-errors")).to_have_count(0)
    page.get_by_role("button", name="Order campaign").click()

    expect(page.get_by_test_id("posting")).to_have_count(2)
    campaign = Campaign.objects.get(organization=journey["org"])
    # The sandbox puts the ads online after its delay; its webhook brings the news back.
    for _ in range(150):
        sandbox.tick()
        statuses = set(campaign.postings.values_list("status", flat=True))
        if statuses == {PostingStatus.ONLINE}:
            break
        page.wait_for_timeout(200)
    assert set(campaign.postings.values_list("status", flat=True)) == {PostingStatus.ONLINE}
    assert sandbox.stats()["orders_by_reference"][campaign.order_reference] == 1

    page.reload()
    expect(page.locator("[data-testid=posting][data-status=online]")).to_have_count(2)
    bayt_posting = campaign.postings.get(contract=bayt)
    ad = page.locator(f"section[aria-labelledby=posting-{bayt_posting.pk}]").get_by_test_id(
        "job-ad-link"
    )
    page.goto(ad.get_attribute("href"))
    expect(page.get_by_role("heading", name="Site reliability engineer")).to_be_visible()
    page.get_by_role("button", name="Apply").click()

    page.wait_for_url(re.compile(re.escape(live_server.url) + ".*utm_content="))
    assert f"utm_content={bayt_posting.utm_content}" in page.url
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(minimal_pdf(["Curriculum vitae"]))
    form = page.get_by_test_id("apply-form")
    form.get_by_label("Full name").fill("Casey Candidate")
    form.get_by_label("Email address").fill("casey@example.test")
    form.get_by_label("CV").set_input_files(str(cv))
    form.get_by_role("button", name="Send application").click()
    page.wait_for_url(re.compile(".*/applied/"))

    application = Application.objects.get(job=job)
    assert application.utm_content == bayt_posting.utm_content
    page.goto(live_server.url + reverse("campaign_detail", kwargs={"campaign_id": campaign.pk}))
    applications = page.locator(
        f"section[aria-labelledby=posting-{bayt_posting.pk}]"
    ).get_by_test_id("applications")
    expect(applications).to_have_text("1")
