import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from distribution.models import TaxonomyKind
from jobs import services
from jobs.models import Application, CareerPage, Job, JobStatus, JobViewCounter
from jobs.pdf import minimal_pdf
from jobs.utm import Utm
from tests.factories import MembershipFactory
from tests.jobs.factories import CareerPageFactory, JobFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def pdf_upload(name="cv.pdf", content=None):
    return SimpleUploadedFile(name, content or minimal_pdf(["Jane Doe"]), "application/pdf")


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- jobs --------------------------------------------------------------------------------


def test_job_create_sanitises_description_and_normalises_codes(org, recruiter):
    job = services.job_create(
        org=org,
        by=recruiter,
        title="  Data engineer ",
        description='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">l</a></p>',
        country="fr",
        salary_currency="eur",
        salary_from=Decimal(100),
        salary_to=Decimal(200),
        salary_period="yearly",
    )
    job.refresh_from_db()
    assert job.title == "Data engineer"
    assert "script" not in job.description and "onclick" not in job.description
    assert "javascript" not in job.description
    assert job.description.startswith("<p>Hi")
    assert (job.country, job.salary_currency) == ("FR", "EUR")
    assert job.recruiter == recruiter and job.status == JobStatus.OPEN


@pytest.mark.parametrize(
    "fields, error_field",
    [
        ({"salary_from": Decimal(200), "salary_to": Decimal(100)}, "__all__"),
        ({"salary_from": Decimal(-5)}, "__all__"),
        ({"title": "<script>alert(1)</script>"}, "title"),
        ({"city": "<b>Paris</b>"}, "city"),
        ({"title": ""}, "title"),
    ],
)
def test_job_create_refuses_bad_input_and_stores_nothing(org, recruiter, fields, error_field):
    data = {"title": "Engineer", **fields}
    with pytest.raises(ValidationError) as caught:
        services.job_create(org=org, by=recruiter, **data)
    assert error_field in caught.value.message_dict
    assert not Job.objects.exists()


def test_job_create_refuses_unknown_or_wrong_kind_taxonomy(org, recruiter):
    seniority = TaxonomyTermFactory(kind=TaxonomyKind.SENIORITY)
    with pytest.raises(ValidationError) as caught:
        services.job_create(org=org, by=recruiter, title="x", industry_id=seniority.pk)
    assert "industry" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.job_create(org=org, by=recruiter, title="x", industry_id=999999)
    retired = TaxonomyTermFactory(kind=TaxonomyKind.INDUSTRY, is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.job_create(org=org, by=recruiter, title="x", industry_id=retired.pk)
    assert "industry" in caught.value.message_dict
    assert not Job.objects.exists()


def test_job_recruiter_must_belong_to_the_organisation(org, recruiter, other_admin):
    with pytest.raises(ValidationError) as caught:
        services.job_create(org=org, by=recruiter, title="x", recruiter_id=other_admin.pk)
    assert "recruiter" in caught.value.message_dict


def test_job_update_keeps_a_retired_term_it_already_had(org, recruiter):
    term = TaxonomyTermFactory(kind=TaxonomyKind.INDUSTRY)
    job = services.job_create(org=org, by=recruiter, title="x", industry_id=term.pk)
    term.is_active = False
    term.save()
    job = services.job_update(org=org, job_id=job.pk, by=recruiter, title="y")
    assert job.industry_id == term.pk and job.title == "y"


def test_job_update_of_another_organisation_is_404(org, other_org, recruiter):
    job = JobFactory(organization=other_org)
    with pytest.raises(Http404):
        services.job_update(org=org, job_id=job.pk, by=recruiter, title="mine")
    job.refresh_from_db()
    assert job.title != "mine"


def test_job_close_twice_changes_nothing_and_reopen(org, recruiter):
    job = JobFactory(organization=org)
    closed = services.job_close(org=org, job_id=job.pk, by=recruiter)
    again = services.job_close(org=org, job_id=job.pk, by=recruiter)
    assert closed.status == JobStatus.CLOSED and closed.closed_at is not None
    assert again.closed_at == closed.closed_at
    reopened = services.job_reopen(org=org, job_id=job.pk, by=recruiter)
    assert reopened.status == JobStatus.OPEN and reopened.closed_at is None


def test_job_close_of_another_organisation_is_404(org, other_org, recruiter):
    job = JobFactory(organization=other_org)
    with pytest.raises(Http404):
        services.job_close(org=org, job_id=job.pk, by=recruiter)
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN


# --- career page ----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_career_page_update_creates_and_toggles(org, admin):
    org.career_page_enabled = False
    org.save()
    page = services.career_page_update(
        org=org,
        by=admin,
        enabled=True,
        slug="Acme",
        intro="Hello",
        logo=SimpleUploadedFile("logo.png", PNG, "image/png"),
    )
    org.refresh_from_db()
    assert page.slug == "acme" and org.career_page_enabled and org.logo.name
    services.career_page_update(org=org, by=admin, enabled=False, slug="acme", remove_logo=True)
    org.refresh_from_db()
    assert not org.career_page_enabled and not org.logo
    assert CareerPage.objects.count() == 1


def test_career_page_slug_taken_by_another_organisation(org, other_org, admin):
    CareerPageFactory(organization=other_org, slug="taken")
    org.career_page_enabled = False
    org.save()
    with pytest.raises(ValidationError) as caught:
        services.career_page_update(org=org, by=admin, enabled=True, slug="taken")
    assert "another organisation" in caught.value.message_dict["slug"][0]
    org.refresh_from_db()
    assert not org.career_page_enabled  # nothing half-way
    assert not CareerPage.objects.for_org(org).exists()


def test_career_page_refuses_a_disguised_logo(org, admin):
    with pytest.raises(ValidationError) as caught:
        services.career_page_update(
            org=org,
            by=admin,
            enabled=True,
            slug="acme",
            logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png"),
        )
    assert "logo" in caught.value.message_dict
    assert not CareerPage.objects.exists()


# --- applications ------------------------------------------------------------------------------


def test_application_create_stores_cv_privately_with_utm(org, settings):
    job = JobFactory(organization=org)
    application = services.application_create(
        job=job,
        name="Jane Doe",
        email="jane@example.test",
        cv=pdf_upload("My CV (final).pdf"),
        utm=Utm(utm_source="linkedin", utm_content="posting-1"),
    )
    assert application.organization == org
    assert application.utm_source == "linkedin" and application.utm_content == "posting-1"
    assert application.cv_filename == "My CV (final).pdf"
    stored = settings.JOBS_PRIVATE_MEDIA_ROOT / application.cv.name
    assert stored.exists() and stored.read_bytes().startswith(b"%PDF-")
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 - no public URL exists


@pytest.mark.parametrize(
    "name, content, accepted",
    [
        ("cv.pdf", minimal_pdf(["x"]), True),
        ("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, True),
        ("cv.docx", docx_bytes(), True),
        ("cv.pdf", b"MZ\x90\x00 this is an exe", False),
        ("cv.docx", b"PK\x03\x04 not really a zip", False),
        ("cv.pdf", docx_bytes(), False),  # a real docx named .pdf
        ("cv.exe", minimal_pdf(["x"]), False),
        ("cv.pdf", b"", False),
    ],
)
def test_application_cv_is_checked_by_content(org, name, content, accepted):
    job = JobFactory(organization=org)
    upload = SimpleUploadedFile(name, content)
    if accepted:
        services.application_create(job=job, name="A", email="a@example.test", cv=upload)
        assert Application.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as caught:
            services.application_create(job=job, name="A", email="a@example.test", cv=upload)
        assert "cv" in caught.value.message_dict
        assert not Application.objects.exists()


def test_application_cv_over_10_mb_is_refused(org, settings):
    job = JobFactory(organization=org)
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        services.application_create(job=job, name="A", email="a@example.test", cv=big)
    assert "largest CV" in caught.value.message_dict["cv"][0]
    assert not Application.objects.exists()
    assert not (settings.JOBS_PRIVATE_MEDIA_ROOT / "cvs").exists()


def test_application_to_a_closed_job_is_refused(org):
    job = JobFactory(organization=org, status=JobStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.application_create(job=job, name="A", email="a@example.test", cv=pdf_upload())


def test_failed_row_removes_the_stored_cv(org, settings):
    job = JobFactory(organization=org)
    with pytest.raises(ValidationError):
        services.application_create(
            job=job, name="A", email="not-an-email", cv=pdf_upload(), utm=Utm()
        )
    assert not Application.objects.exists()
    cv_dir = settings.JOBS_PRIVATE_MEDIA_ROOT / "cvs"
    assert not cv_dir.exists() or not any(cv_dir.rglob("*.pdf"))


def test_application_refuses_markup_in_text_fields(org):
    job = JobFactory(organization=org)
    with pytest.raises(ValidationError) as caught:
        services.application_create(
            job=job,
            name="<script>alert(1)</script>",
            email="a@example.test",
            message="<img src=x onerror=alert(1)>",
            cv=pdf_upload(),
        )
    assert {"name", "message"} <= set(caught.value.message_dict)


# --- view counters ------------------------------------------------------------------


def test_job_view_record_increments_one_row_per_job_day_and_utm(org):
    job = JobFactory(organization=org)
    linkedin = Utm(utm_source="linkedin", utm_content="p1")
    for _ in range(3):
        services.job_view_record(job=job, utm=linkedin)
    services.job_view_record(job=job, utm=Utm())
    services.job_view_record(job=job, utm=linkedin, day=datetime.date(2026, 1, 1))
    rows = {
        (row.utm_source, row.day.isoformat() if row.day.year == 2026 else "today"): row.count
        for row in JobViewCounter.objects.all()
    }
    assert sorted(rows.values()) == [1, 1, 3]
    assert JobViewCounter.objects.count() == 3
    assert all(row.organization_id == org.pk for row in JobViewCounter.objects.all())


def test_utm_values_are_trimmed_and_bounded():
    utm = Utm.from_mapping({"utm_source": "  x\x00y  ", "utm_content": "z" * 500, "other": "q"})
    assert utm.utm_source == "xy" and len(utm.utm_content) == 100
    assert not Utm.from_mapping({})


def test_recruiter_factory_is_a_member(org):
    job = JobFactory(organization=org)
    assert MembershipFactory._meta.model.objects.filter(
        organization=org, user=job.recruiter
    ).exists()
