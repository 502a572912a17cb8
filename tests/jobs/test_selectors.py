import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from campaigns.wizard.forms import TargetGroupForm
from distribution.models import TaxonomyKind
from jobs import selectors
from jobs.fields import JOB_AD_FIELDS, ORDER_REQUIRED_FIELDS
from jobs.models import JobStatus
from tests.jobs.factories import (
    ApplicationFactory,
    CareerPageFactory,
    CompleteJobFactory,
    JobFactory,
    JobViewCounterFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def test_a_complete_job_misses_only_the_logo_until_it_is_set(org):
    job = CompleteJobFactory(organization=org)
    assert [f.name for f in selectors.job_missing_fields(job)] == ["organization_logo"]
    org.logo.save("logo.png", ContentFile(PNG))
    job = selectors.job_get(org=org, job_id=job.pk)
    assert selectors.job_missing_fields(job) == []


def test_missing_fields_of_a_bare_job(org):
    job = JobFactory(organization=org, description="", city="", country="")
    names = [f.name for f in selectors.job_missing_fields(job)]
    assert names[:3] == ["description", "address_line1", "postcode"]
    for expected in (
        "city",
        "country",
        "employment_type",
        "years_of_experience",
        "education_level",
        "seniority",
        "industry",
        "job_function",
    ):
        assert expected in names
    assert all(field.label for field in selectors.job_missing_fields(job))
    assert "salary_from" not in names  # the provider does not require a salary


def test_the_missing_panel_and_the_wizard_require_the_same_fields(org):
    """One list: what the job page says is missing is what the wizard requires."""
    job = JobFactory(organization=org, weekly_hours_to=None, description="", city="")
    missing = {f.name for f in selectors.job_missing_fields(job)} - {"organization_logo"}
    form = TargetGroupForm()
    required = {name for name in JOB_AD_FIELDS if form.fields[name].required}
    assert "weekly_hours_to" in missing
    assert missing <= required == set(ORDER_REQUIRED_FIELDS)


def test_a_retired_taxonomy_term_counts_as_missing(org):
    job = CompleteJobFactory(organization=org)
    job.industry.is_active = False
    job.industry.save()
    assert "industry" in [f.name for f in selectors.job_missing_fields(job)]


def test_years_of_experience_zero_is_not_missing(org):
    job = CompleteJobFactory(organization=org, years_of_experience=0)
    assert "years_of_experience" not in [f.name for f in selectors.job_missing_fields(job)]


def test_job_list_filters_search_and_sorts(org, recruiter):
    a = JobFactory(organization=org, title="Alpha", city="Paris", recruiter=recruiter)
    b = JobFactory(organization=org, title="Beta", city="Lyon", status=JobStatus.CLOSED)
    JobFactory(title="Alpha elsewhere")  # another organisation
    ApplicationFactory(job=b)
    assert list(selectors.job_list(org=org, sort="title")) == [a, b]
    assert list(selectors.job_list(org=org, sort="-title")) == [b, a]
    assert list(selectors.job_list(org=org, search="alp")) == [a]
    assert list(selectors.job_list(org=org, search="lyon")) == [b]
    assert list(selectors.job_list(org=org, status="closed")) == [b]
    assert list(selectors.job_list(org=org, recruiter_id=recruiter.pk)) == [a]
    by_applications = list(selectors.job_list(org=org, sort="-applications"))
    assert by_applications[0] == b and by_applications[0].applications_count == 1


def test_attribution_by_utm_content_in_two_queries(org, other_org, django_assert_num_queries):
    job = JobFactory(organization=org)
    JobViewCounterFactory(job=job, utm_content="p1", count=5)
    JobViewCounterFactory(job=job, utm_content="p1", utm_source="x", count=2)
    JobViewCounterFactory(job=job, utm_content="p2", count=1)
    ApplicationFactory(job=job, utm_content="p1")
    ApplicationFactory(job=job, utm_content="p3")
    foreign = JobFactory(organization=other_org)
    JobViewCounterFactory(job=foreign, utm_content="p1", count=100)
    ApplicationFactory(job=foreign, utm_content="p1")
    with django_assert_num_queries(2):
        result = selectors.attribution_by_utm_content(
            org=org, utm_contents=["p1", "p2", "p3", "p4"]
        )
    assert result == {"p1": (7, 1), "p2": (1, 0), "p3": (0, 1), "p4": (0, 0)}
    with django_assert_num_queries(0):
        assert selectors.attribution_by_utm_content(org=org, utm_contents=[]) == {}


def test_job_source_stats(org):
    job = JobFactory(organization=org)
    JobViewCounterFactory(job=job, utm_source="linkedin", count=4)
    JobViewCounterFactory(job=job, utm_source="", count=2)
    ApplicationFactory(job=job, utm_source="linkedin")
    stats = selectors.job_source_stats(org=org, job=job)
    assert [(s.source, s.views, s.applications) for s in stats] == [
        ("linkedin", 4, 1),
        ("", 2, 0),
    ]


def test_career_selectors_respect_enabled_flag_and_visibility(org, other_org):
    page = CareerPageFactory(organization=org, slug="acme")
    shown = JobFactory(organization=org)
    JobFactory(organization=org, show_on_career_page=False)
    JobFactory(organization=org, status=JobStatus.CLOSED)
    foreign = JobFactory(organization=other_org)
    assert list(selectors.career_jobs(career_page=page)) == [shown]
    with pytest.raises(Http404):
        selectors.career_job_get(career_page=page, job_id=foreign.pk)
    org.career_page_enabled = False
    org.save()
    with pytest.raises(Http404):
        selectors.career_page_get_public(slug="acme")


def test_job_public_url(org, settings):
    settings.SITE_URL = "https://jobs.example"
    job = JobFactory(organization=org)
    assert selectors.job_public_url(job=job) is None
    CareerPageFactory(organization=org, slug="acme")
    assert selectors.job_public_url(job=job) == f"https://jobs.example/careers/acme/jobs/{job.pk}/"
    assert selectors.job_application_url(job=job).endswith("#apply")


def test_taxonomy_factory_kinds():
    term = TaxonomyTermFactory(kind=TaxonomyKind.SENIORITY)
    assert term.kind == TaxonomyKind.SENIORITY
