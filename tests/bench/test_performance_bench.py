"""The Performance benchmark's machinery on a few postings (``python -m bench performance``
runs it at 100,000): it must keep working; its timings are not judged here."""

import pytest

from bench.performance import URLS, measure_all
from tests.campaigns.factories import PostingFactory
from tests.factories import AdminMembershipFactory, OrganizationFactory
from tests.jobs.factories import JobViewCounterFactory

pytestmark = pytest.mark.django_db


def test_the_performance_benchmark_measures_every_url_cached_and_not():
    org = OrganizationFactory()
    admin = AdminMembershipFactory(organization=org).user
    for _ in range(3):
        posting = PostingFactory(online=True, campaign__job__organization=org)
        JobViewCounterFactory(job=posting.campaign.job, utm_content=posting.utm_content)
    figures = measure_all(admin, rounds=2)
    assert set(figures) == set(URLS) | {f"{name}_uncached" for name in URLS}
    for figure in figures.values():
        assert figure["requests"] >= 2 and figure["p95_ms"] >= figure["p50_ms"] > 0
    # The same queries whatever the URL, cached or not (the first request fills the cache).
    assert len({figure["queries"] for figure in figures.values()}) <= 2
