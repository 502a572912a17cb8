import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distribution.models import TaxonomyKind
from jobs.models import CareerPage, Job, JobStatus
from tests.jobs.factories import (
    ApplicationFactory,
    CareerPageFactory,
    CompleteJobFactory,
    JobFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def job_post_data(recruiter, **overrides):
    data = {
        "title": "Platform engineer",
        "description": "<p>Run the platform.</p>",
        "recruiter": recruiter.pk,
        "show_on_career_page": "on",
        "city": "Paris",
        "country": "fr",
        "salary_from": "40000",
        "salary_to": "50000",
        "salary_currency": "eur",
        "salary_period": "yearly",
    }
    data.update(overrides)
    return data


def test_empty_job_list_invites_to_create(recruiter_client):
    response = recruiter_client.get(reverse("job_list"))
    assert response.status_code == 200
    assert "No jobs yet — create your first job" in response.text


def test_job_list_query_count_is_constant(recruiter_client, org, django_assert_max_num_queries):
    for _ in range(3):
        ApplicationFactory(job=JobFactory(organization=org))
    with django_assert_max_num_queries(12) as few:
        assert recruiter_client.get(reverse("job_list")).status_code == 200
    for _ in range(30):
        ApplicationFactory(job=JobFactory(organization=org))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = recruiter_client.get(reverse("job_list") + "?sort=-applications&page=2")
    assert response.status_code == 200
    assert "Page 2 of 2" in response.text


def test_job_list_search_filter_and_isolation(recruiter_client, org, other_org):
    JobFactory(organization=org, title="Alpha job")
    JobFactory(organization=org, title="Beta job", status=JobStatus.CLOSED)
    JobFactory(organization=other_org, title="Alpha foreign")
    text = recruiter_client.get(reverse("job_list") + "?q=alpha").text
    assert "Alpha job" in text and "Alpha foreign" not in text and "Beta job" not in text
    text = recruiter_client.get(reverse("job_list") + "?status=closed").text
    assert "Beta job" in text and "Alpha job" not in text
    text = recruiter_client.get(reverse("job_list") + "?q=nothing-matches").text
    assert "No job matches these filters." in text


def test_create_job_through_the_form(recruiter_client, recruiter, org):
    industry = TaxonomyTermFactory(kind=TaxonomyKind.INDUSTRY, name_en="Software")
    form_page = recruiter_client.get(reverse("job_create")).text
    for legend in ("Job details", "Location", "Contract &amp; pay", "Target audience"):
        assert f">{legend}</legend>" in form_page
    assert "Software" in form_page
    response = recruiter_client.post(
        reverse("job_create"), job_post_data(recruiter, industry=industry.pk)
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "job_detail", args=[job.pk]
    )
    assert (job.organization, job.country, job.industry) == (org, "FR", industry)
    detail = recruiter_client.get(response["Location"]).text
    assert "Missing for job boards" in detail and 'data-field="postcode"' in detail
    assert 'data-field="industry"' not in detail


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"salary_to": "100"}, "salary_to", "must not be below"),
        ({"salary_from": "-1"}, "salary_from", "greater than or equal to 0"),
        ({"industry": "999999"}, "industry", "Select a valid choice"),
        ({"title": "<script>alert(1)</script>"}, "title", "remove HTML"),
        ({"country": "France"}, "country", "two-letter"),
        ({"salary_currency": ""}, "salary_currency", "currency"),
    ],
)
def test_bad_job_input_is_a_field_error(recruiter_client, recruiter, overrides, field, message):
    response = recruiter_client.post(reverse("job_create"), job_post_data(recruiter, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.text
    assert 'value="Platform engineer"' in response.text or field == "title"
    assert not Job.objects.exists()


def test_edit_close_and_reopen(recruiter_client, recruiter, org):
    job = JobFactory(organization=org)
    response = recruiter_client.post(
        reverse("job_edit", args=[job.pk]), job_post_data(recruiter, title="Renamed")
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.title == "Renamed"
    recruiter_client.post(reverse("job_close", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.CLOSED
    assert "Reopen job" in recruiter_client.get(reverse("job_detail", args=[job.pk])).text
    recruiter_client.post(reverse("job_reopen", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN


def test_invalid_edit_keeps_the_stored_title_in_the_header(recruiter_client, recruiter, org):
    job = JobFactory(organization=org, title="Stored title")
    response = recruiter_client.post(
        reverse("job_edit", args=[job.pk]),
        job_post_data(recruiter, title="New title", salary_to="1"),
    )
    assert response.status_code == 400
    assert "Stored title</a>" in response.text
    job.refresh_from_db()
    assert job.title == "Stored title"


def test_sourcing_tab_shows_the_job_boards_of_the_campaigns_app(recruiter_client, org):
    job = CompleteJobFactory(organization=org)
    response = recruiter_client.get(reverse("job_sourcing", args=[job.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("job_sourcing_boards", args=[job.pk])
    assert response.status_code == 200
    assert 'data-testid="my-own-contracts"' in response.text
    assert "Traffic sources" in response.text
    assert "jobs/job_sourcing.html" in [t.name for t in response.templates]
    detail = recruiter_client.get(reverse("job_detail", args=[job.pk]))
    assert f'href="{reverse("job_sourcing_boards", args=[job.pk])}"' in detail.text


def test_closing_a_job_leads_to_the_sourcing_tab(recruiter_client, org):
    job = CompleteJobFactory(organization=org)
    response = recruiter_client.post(reverse("job_close", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("job_sourcing_boards", args=[job.pk])


def test_applications_list_shows_source_and_constant_queries(
    recruiter_client, org, django_assert_max_num_queries
):
    job = JobFactory(organization=org)
    ApplicationFactory(job=job, utm_source="stepstone", utm_medium="jobboard")
    ApplicationFactory(job=job, utm_source="", utm_medium="")
    url = reverse("job_applications", args=[job.pk])
    with django_assert_max_num_queries(12) as few:
        response = recruiter_client.get(url)
    assert "stepstone / jobboard" in response.text and "Direct" in response.text
    for _ in range(30):
        ApplicationFactory(job=job)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert recruiter_client.get(url).status_code == 200


def test_cv_download_only_for_the_organisation(client, recruiter_client, org, other_admin):
    application = ApplicationFactory(job=JobFactory(organization=org), cv_filename="Jane.pdf")
    url = reverse("application_cv", args=[application.pk])
    response = recruiter_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="Jane.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    client.force_login(other_admin)
    assert client.get(url).status_code == 404


def test_cv_download_of_a_lost_file_is_404_not_500(recruiter_client, org):
    application = ApplicationFactory(job=JobFactory(organization=org))
    application.cv.storage.delete(application.cv.name)
    assert recruiter_client.get(reverse("application_cv", args=[application.pk])).status_code == 404


# --- career page settings -------------------------------------------------------------------


def test_career_page_settings_for_admins(admin_client, org):
    org.career_page_enabled = False
    org.save()
    url = reverse("career_page_settings")
    assert admin_client.get(url).status_code == 200
    png = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")
    response = admin_client.post(
        url, {"enabled": "on", "slug": "acme-jobs", "intro": "Join us", "logo": png}
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.career_page_enabled and CareerPage.objects.get(organization=org).slug == "acme-jobs"
    assert "Administration" in admin_client.get(reverse("administration")).text
    logo = admin_client.get(reverse("careers:logo", args=["acme-jobs"]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"GIF89a", "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
    ],
)
def test_every_accepted_logo_is_served_as_its_type(admin_client, org, head, content_type):
    logo = SimpleUploadedFile("logo", head + b"\0" * 32, "application/octet-stream")
    response = admin_client.post(
        reverse("career_page_settings"), {"enabled": "on", "slug": "acme-jobs", "logo": logo}
    )
    assert response.status_code == 302
    served = admin_client.get(reverse("careers:logo", args=["acme-jobs"]))
    assert served.status_code == 200 and served["Content-Type"] == content_type


def test_career_page_slug_taken_is_a_field_error(admin_client, org, other_org):
    CareerPageFactory(organization=other_org, slug="taken")
    response = admin_client.post(
        reverse("career_page_settings"), {"enabled": "on", "slug": "taken", "intro": "Hi"}
    )
    assert response.status_code == 400
    assert "already used by another organisation" in response.text
    assert 'id="id_slug_error"' in response.text
    assert not CareerPage.objects.filter(organization=org).exists()


def test_career_page_settings_refuse_markup_and_fake_logo(admin_client, org):
    response = admin_client.post(
        reverse("career_page_settings"),
        {
            "enabled": "on",
            "slug": "acme",
            "intro": "<script>alert(1)</script>",
            "logo": SimpleUploadedFile("logo.png", b"GIF-not-really"),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "intro" in errors and "logo" in errors
    assert not CareerPage.objects.exists()
