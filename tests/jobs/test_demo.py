import pytest

from accounts import demo as accounts_demo
from distribution.models import TaxonomyKind
from jobs import demo, selectors
from jobs.models import Application, CareerPage, Job, JobViewCounter
from tests.jobs.factories import TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_complete():
    accounts_demo.seed(log=lambda message: None)
    for kind in TaxonomyKind.values:
        TaxonomyTermFactory.create_batch(2, kind=kind)
    demo.seed(log=lambda message: None)
    counts = (
        Job.objects.count(),
        Application.objects.count(),
        JobViewCounter.objects.count(),
        CareerPage.objects.count(),
    )
    demo.seed(log=lambda message: None)
    assert counts == (
        Job.objects.count(),
        Application.objects.count(),
        JobViewCounter.objects.count(),
        CareerPage.objects.count(),
    )
    assert set(CareerPage.objects.values_list("slug", flat=True)) == {"acme-talent", "initech"}
    acme_jobs = list(Job.objects.filter(organization__slug="acme-talent"))
    missing = [selectors.job_missing_fields(job) for job in acme_jobs]
    assert any(not fields for fields in missing) and any(fields for fields in missing)
    application = Application.objects.first()
    assert application.cv.read().startswith(b"%PDF-")
    assert Application.objects.exclude(utm_source="").exists()


def test_demo_seed_without_taxonomy_leaves_it_empty():
    accounts_demo.seed(log=lambda message: None)
    demo.seed(log=lambda message: None)
    assert not Job.objects.exclude(industry=None).exists()
    assert Job.objects.count() == 10
