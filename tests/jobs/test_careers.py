import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jobs.models import Application, JobStatus, JobViewCounter
from jobs.pdf import minimal_pdf
from tests.jobs.factories import CareerPageFactory, CompleteJobFactory, JobFactory

pytestmark = pytest.mark.django_db

UTM = "utm_source=linkedin&utm_medium=jobboard&utm_campaign=spring&utm_content=posting-42"


@pytest.fixture
def page(org):
    return CareerPageFactory(organization=org, slug="acme")


def job_url(job, suffix=""):
    return reverse("careers:job", args=[job.organization.career_page.slug, job.pk]) + suffix


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def apply_data(**overrides):
    data = {
        "name": "Jane Candidate",
        "email": "jane@example.test",
        "phone": "+33 6 12 34 56 78",
        "message": "I would love to join.",
        "cv": SimpleUploadedFile("Jane CV.pdf", minimal_pdf(["Jane"]), "application/pdf"),
        "website": "",
    }
    data.update(overrides)
    return data


def test_career_list_shows_open_shown_jobs_with_constant_queries(
    client, org, page, django_assert_max_num_queries
):
    JobFactory(organization=org, title="Open one")
    JobFactory(organization=org, title="Hidden one", show_on_career_page=False)
    JobFactory(organization=org, title="Closed one", status=JobStatus.CLOSED)
    url = reverse("careers:list", args=["acme"])
    with django_assert_max_num_queries(3) as few:
        response = client.get(url + "?" + UTM)
    text = response.text
    assert "Open one" in text and "Hidden one" not in text and "Closed one" not in text
    assert "utm_content=posting-42" in text  # the UTM tags follow the candidate to the job
    for _ in range(25):
        JobFactory(organization=org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_disabled_or_unknown_career_page_is_404(client, org, page):
    job = JobFactory(organization=org)
    org.career_page_enabled = False
    org.save()
    for url in (
        reverse("careers:list", args=["acme"]),
        job_url(job),
        reverse("careers:feed", args=["acme"]),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("careers:list", args=["nobody"])).status_code == 404


def test_another_organisations_job_is_404_under_this_slug(client, org, other_org, page):
    CareerPageFactory(organization=other_org, slug="other")
    foreign = JobFactory(organization=other_org)
    assert client.get(reverse("careers:job", args=["acme", foreign.pk])).status_code == 404
    assert client.get(reverse("careers:job", args=["other", foreign.pk])).status_code == 200


def test_job_page_counts_views_by_utm_and_carries_json_ld(client, org, page):
    job = CompleteJobFactory(
        organization=org,
        allows_remote_work=True,
        description="<p>Fun</p><script>bad()</script></script><!-- x -->",
    )
    response = client.get(job_url(job, "?" + UTM))
    client.get(job_url(job, "?" + UTM))
    client.get(job_url(job))
    assert response.status_code == 200
    counters = {row.utm_source: row.count for row in JobViewCounter.objects.filter(job=job)}
    assert counters == {"linkedin": 2, "": 1}
    assert 'name="utm_content" value="posting-42"' in response.text
    data = json_ld(response.text)
    assert data["@type"] == "JobPosting" and data["title"] == job.title
    for key in ("description", "datePosted", "hiringOrganization", "jobLocation", "validThrough"):
        assert data[key]
    assert "bad()" not in data["description"]
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "FR"}
    assert data["baseSalary"]["value"]["minValue"] == 45000
    assert data["baseSalary"]["value"]["unitText"] == "YEAR"
    assert data["employmentType"] == "FULL_TIME"
    assert data["identifier"]["value"] == f"JC-{job.pk}" and data["directApply"] is True
    assert data["hiringOrganization"]["name"] == org.name


def test_json_ld_cannot_break_out_of_its_script_element(client, org, page):
    job = JobFactory(organization=org, title="</script><script>alert(1)</script> & co")
    html = client.get(job_url(job)).text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["title"] == job.title


def test_closed_job_is_410_with_a_clear_page(client, org, page):
    job = JobFactory(organization=org, status=JobStatus.CLOSED)
    response = client.get(job_url(job))
    assert response.status_code == 410
    assert "no longer open" in response.text
    assert client.post(job_url(job), apply_data()).status_code == 410
    assert not Application.objects.exists()


def test_apply_stores_the_application_with_its_utm(client, org, page):
    job = JobFactory(organization=org)
    form_page = client.get(job_url(job, "?" + UTM)).text
    hidden = dict(re.findall(r'type="hidden" name="(utm_\w+)" value="([^"]*)"', form_page))
    response = client.post(job_url(job), apply_data(**hidden))
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:applied", args=["acme", job.pk])
    assert "your application was received" in client.get(response["Location"]).text
    application = Application.objects.get()
    assert (application.job, application.organization) == (job, org)
    assert (application.utm_source, application.utm_campaign, application.utm_content) == (
        "linkedin",
        "spring",
        "posting-42",
    )
    assert application.cv.read().startswith(b"%PDF-")


def test_apply_errors_keep_the_typed_values(client, org, page):
    job = JobFactory(organization=org)
    fake = SimpleUploadedFile("cv.pdf", b"MZ this is a program", "application/pdf")
    response = client.post(
        job_url(job),
        apply_data(cv=fake, email="not-an-email", utm_source="indeed", message="Hello there"),
    )
    assert response.status_code == 400
    text = response.text
    assert 'value="Jane Candidate"' in text and "Hello there" in text
    assert 'name="utm_source" value="indeed"' in text
    assert 'id="id_cv_error"' in text and 'id="id_email_error"' in text
    assert "Please choose your CV file again." in text
    assert not Application.objects.exists()


def test_apply_requires_csrf(org, page):
    job = JobFactory(organization=org)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(job_url(job), apply_data()).status_code == 403
    assert not Application.objects.exists()


def test_honeypot_pretends_success_and_stores_nothing(client, org, page):
    job = JobFactory(organization=org)
    response = client.post(job_url(job), apply_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_apply_is_rate_limited_per_ip(client, org, page, settings):
    settings.JOBS_APPLY_RATE_LIMIT = (2, 3600)
    job = JobFactory(organization=org)
    for _ in range(2):
        assert client.post(job_url(job), apply_data()).status_code == 302
    response = client.post(job_url(job), apply_data(name="Third try"))
    assert response.status_code == 429
    assert "Too many applications" in response.text and 'value="Third try"' in response.text
    assert Application.objects.count() == 2
    other_ip = client.post(job_url(job), apply_data(), REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 302


def test_feed_lists_open_jobs_as_valid_xml(client, org, page):
    job = CompleteJobFactory(
        organization=org, title="Dev & <Ops>", description="<p>Ends with ]]> here</p>"
    )
    JobFactory(organization=org, status=JobStatus.CLOSED, title="Closed")
    JobFactory(organization=org, show_on_career_page=False, title="Hidden")
    response = client.get(reverse("careers:feed", args=["acme"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output under test
    jobs = root.findall("job")
    assert len(jobs) == 1
    entry = jobs[0]
    assert entry.findtext("title") == "Dev & <Ops>"
    assert entry.findtext("referencenumber") == f"JC-{job.pk}"
    assert entry.findtext("description") == "<p>Ends with ]]> here</p>"
    assert entry.findtext("url").endswith(f"/careers/acme/jobs/{job.pk}/")
    assert entry.findtext("company") == org.name
    assert entry.findtext("city") == "Lyon" and entry.findtext("country") == "FR"
    assert entry.findtext("salary") == "45000-55000 EUR per year"
    assert entry.findtext("jobtype") == "fulltime"
