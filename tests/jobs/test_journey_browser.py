"""The whole journey in Chromium: a recruiter creates a job, the admin opens the career page,
an anonymous candidate arrives through a tagged link and applies with a PDF CV, and the
recruiter sees the application with its source."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from jobs.models import Application, Job
from jobs.pdf import minimal_pdf
from tests.factories import AdminMembershipFactory, MembershipFactory, OrganizationFactory
from tests.jobs.factories import CareerPageFactory, JobFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UTM = "utm_source=linkedin&utm_medium=jobboard&utm_campaign=spring&utm_content=posting-7"


@pytest.fixture
def contexts():
    """Browser contexts opened by the test, closed before the live server stops so that no
    request is still in flight during teardown."""
    opened = []
    yield opened
    for context in opened:
        context.close()


def logged_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_recruiter_to_candidate_journey(browser, live_server, tmp_path, contexts):
    org = OrganizationFactory(name="Acme Journey", career_page_enabled=False)
    recruiter = MembershipFactory(organization=org).user
    admin = AdminMembershipFactory(organization=org).user
    other = OrganizationFactory(name="Other Org", career_page_enabled=True)
    CareerPageFactory(organization=other, slug="other-org")
    JobFactory(organization=other, title="Other org job")

    # 1. The recruiter creates a job.
    recruiter_context = logged_in_context(browser, live_server, recruiter)
    contexts.append(recruiter_context)
    page = recruiter_context.new_page()
    page.goto("/jobs/")
    page.get_by_text("No jobs yet — create your first job").wait_for()
    page.get_by_role("link", name="New job").first.click()
    page.get_by_label("Job title").fill("Site Reliability Engineer")
    page.get_by_role("textbox", name="Description").fill("Keep everything running.")
    page.get_by_label("City").fill("Nantes")
    page.get_by_label("Country").fill("FR")
    page.get_by_label("remote work allowed").check()
    page.get_by_label("Salary from").fill("50000")
    page.get_by_label("Salary to").fill("60000")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Salary period").select_option("yearly")
    page.get_by_role("button", name="Create job").click()
    page.get_by_role("heading", name="Missing for job boards").wait_for()
    job = Job.objects.get(title="Site Reliability Engineer")
    assert page.locator('[data-field="postcode"]').count() == 1

    # 2. The admin enables the career page.
    admin_context = logged_in_context(browser, live_server, admin)
    contexts.append(admin_context)
    admin_page = admin_context.new_page()
    admin_page.goto("/administration/")
    admin_page.get_by_role("link", name="Career page settings").click()
    admin_page.get_by_label("Career page is public").check()
    admin_page.get_by_label("Public address").fill("acme-journey")
    admin_page.get_by_role("button", name="Save").click()
    admin_page.get_by_text("Career page settings saved.").wait_for()

    # 3. An anonymous candidate arrives with UTM tags and applies with a PDF CV.
    candidate_context = browser.new_context(base_url=live_server.url)
    candidate_context.set_default_timeout(15_000)
    contexts.append(candidate_context)
    candidate = candidate_context.new_page()
    console = []
    candidate.on("console", lambda message: console.append(message.text))
    candidate.goto(f"/careers/acme-journey/jobs/{job.pk}/?{UTM}")
    candidate.get_by_role("heading", name="Site Reliability Engineer").wait_for()
    raw = candidate.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(raw)
    assert data["@type"] == "JobPosting" and data["title"] == "Site Reliability Engineer"
    for key in ("description", "datePosted", "hiringOrganization", "validThrough"):
        assert data[key], key
    assert data["jobLocation"]["address"]["addressLocality"] == "Nantes"
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"]["name"] == "FR"
    assert data["hiringOrganization"]["name"] == "Acme Journey"
    assert data["baseSalary"]["currency"] == "EUR"
    # The data block is not script: no CSP violation is reported for it.
    assert not [text for text in console if "Content Security Policy" in text], console

    cv = tmp_path / "jane-cv.pdf"
    cv.write_bytes(minimal_pdf(["Jane Candidate", "SRE"]))
    candidate.get_by_label("Full name").fill("Jane Candidate")
    candidate.get_by_label("Email address").fill("jane@example.test")
    candidate.locator("#id_cv").set_input_files(str(cv))
    candidate.get_by_label("Message (optional)").fill("Hello!")
    candidate.get_by_role("button", name="Send application").click()
    candidate.get_by_text("your application was received").wait_for()
    application = Application.objects.get()
    assert (application.utm_source, application.utm_content) == ("linkedin", "posting-7")

    # The candidate cannot reach the job through another organisation's slug.
    response = candidate.goto(f"/careers/other-org/jobs/{job.pk}/")
    assert response.status == 404
    assert not [text for text in console if "Content Security Policy" in text], console

    # Control: the listener does see CSP violations (an injected executable inline script).
    candidate.go_back()
    candidate.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.pwned = 1'; document.head.appendChild(s); }"
    )
    candidate.wait_for_function("() => true")
    assert candidate.evaluate("() => window.pwned") is None
    assert [text for text in console if "Content Security Policy" in text], console

    # 4. The recruiter sees the application with its source and can download the CV.
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="Applications").click()
    row = page.locator('[data-testid="applications"] tbody tr').first
    assert "Jane Candidate" in row.text_content()
    assert re.search(
        r"linkedin\s*/\s*jobboard", row.locator('[data-testid="application-source"]').text_content()
    )
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("Download CV")).click()
    assert download_info.value.path().read_bytes().startswith(b"%PDF-")
