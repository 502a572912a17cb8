"""The catalogue and taxonomy mirrors against the sandbox's real catalogue (3,000 boards)."""

import threading

import pytest
from django.db import connection

from distribution.errors import ProviderNotFound, ProviderRateLimited
from distribution.models import Channel, SyncState, TaxonomyKind, TaxonomyTerm
from distribution.ratelimit import rate_limiter
from distribution.services import (
    _lease,
    catalogue_sync,
    channel_details,
    normalize_search,
    taxonomy_sync,
)
from tests.distribution.conftest import NAUKRI, STEPSTONE

pytestmark = pytest.mark.django_db

LIST_ROUTE = "GET /products/channels/mocs/"


def list_calls(provider) -> int:
    return provider.stats()["requests_by_route"].get(LIST_ROUTE, 0)


def test_catalogue_sync_mirrors_every_channel(provider):
    result = catalogue_sync(full=True)
    assert result.complete and result.calls == 6  # 3,000 boards, pages of 500
    assert result.created == Channel.objects.count() == 3000
    naukri = Channel.objects.get(provider_id=NAUKRI)
    assert naukri.name == "Naukri" and naukri.search_name == "naukri"
    assert naukri.is_active and naukri.logo_url.startswith(provider.url)
    assert naukri.url == "https://www.naukri.com"


def test_catalogue_sync_is_idempotent_and_writes_only_changes(provider):
    Channel.objects.create(provider_id=STEPSTONE, name="Old name", search_name="old name")
    first = catalogue_sync(full=True)
    assert first.updated == 1 and first.created == 2999
    again = catalogue_sync(full=True)
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert Channel.objects.count() == 3000
    assert Channel.objects.get(provider_id=STEPSTONE).name == "StepStone"


def test_channels_no_longer_listed_are_retired_and_come_back(provider):
    Channel.objects.create(provider_id=999_999, name="Gone Jobs", search_name="gone jobs")
    Channel.objects.create(provider_id=NAUKRI, name="Naukri", search_name="naukri", is_active=False)
    result = catalogue_sync(full=True)
    assert result.retired == 1
    assert not Channel.objects.get(provider_id=999_999).is_active  # kept, not deleted
    assert Channel.objects.get(provider_id=NAUKRI).is_active


def test_periodic_sync_skips_when_up_to_date(provider):
    catalogue_sync(full=True)
    calls = list_calls(provider)
    result = catalogue_sync()
    assert result.skipped == "the catalogue is up to date"
    assert list_calls(provider) == calls


def test_sync_stopped_by_the_budget_resumes_where_it_stopped(provider, settings):
    settings.PROVIDER_CATALOGUE_PAGE_SIZE = 1000
    settings.PROVIDER_RATE_LIMIT = 3
    settings.PROVIDER_RATE_RESERVE = 1  # background work gets 2 calls per window
    settings.PROVIDER_RATE_WAIT_BACKGROUND = 0
    Channel.objects.create(provider_id=999_999, name="Gone Jobs", search_name="gone jobs")
    with pytest.raises(ProviderRateLimited):
        catalogue_sync()
    state = SyncState.objects.get(name="channels")
    assert state.cursor == 2000 and state.completed_at is None
    assert Channel.objects.count() == 2001
    assert Channel.objects.get(provider_id=999_999).is_active  # not retired mid-pass
    rate_limiter().reset()
    result = catalogue_sync()
    assert result.complete and result.calls == 1 and result.retired == 1
    assert list_calls(provider) == 3
    assert SyncState.objects.get(name="channels").cursor == 0


def test_a_sync_while_another_holds_the_lease_skips(provider):
    with _lease("channels") as state:
        assert state is not None
        result = catalogue_sync(full=True)
    assert result.skipped == "another catalogue sync is running"
    assert list_calls(provider) == 0
    assert catalogue_sync(full=True).complete  # the lease was released


@pytest.mark.django_db(transaction=True)
def test_two_syncs_at_once_are_safe(provider):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Threads on the shared-cache in-memory test database get "table is locked" at once
        # (no busy timeout there); the embedded default is a WAL file with one. The lease
        # itself is covered above; this runs on PostgreSQL (CI).
        pytest.skip("concurrent writers need a real database file or PostgreSQL")
    provider.add_fault(kind="latency", path="/products/channels/mocs/", seconds=0.5, times=1)
    results = []

    def run():
        try:
            results.append(catalogue_sync(full=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(bool(r.skipped) for r in results) == [False, True]
    assert Channel.objects.filter(is_active=True).count() == 3000
    assert list_calls(provider) == 6


def test_taxonomy_sync(provider):
    TaxonomyTerm.objects.create(kind=TaxonomyKind.INDUSTRY, provider_id=7, name_en="Retired")
    result = taxonomy_sync(force=True)
    assert result.complete and result.retired == 1
    industry = TaxonomyTerm.objects.get(kind=TaxonomyKind.INDUSTRY, provider_id=14)
    assert (industry.name_en, industry.name_fr) == ("Information Technology", "Informatique")
    assert not TaxonomyTerm.objects.get(kind=TaxonomyKind.INDUSTRY, provider_id=7).is_active
    backend = TaxonomyTerm.objects.get(kind=TaxonomyKind.JOB_FUNCTION, provider_id=211)
    assert backend.parent.provider_id == 21 and backend.parent.parent.provider_id == 2
    assert TaxonomyTerm.objects.filter(kind=TaxonomyKind.EDUCATION_LEVEL).count() == 4
    assert TaxonomyTerm.objects.filter(kind=TaxonomyKind.SENIORITY).count() == 5

    again = taxonomy_sync(force=True)
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert taxonomy_sync().skipped == "the taxonomy is up to date"


def test_channel_details_are_cached(provider):
    route = "GET /products/channels/mocs/{id}/"
    first = channel_details(NAUKRI, language="en")
    second = channel_details(NAUKRI, language="en")
    assert first == second and first.name == "Naukri"
    assert provider.stats()["requests_by_route"][route] == 1
    french = channel_details(NAUKRI, language="fr")
    assert french.credentials[1].label == "Mot de passe"
    channel_details(NAUKRI, language="en", refresh=True)
    assert provider.stats()["requests_by_route"][route] == 3


def test_details_of_a_channel_the_provider_forgot_retire_it(provider):
    Channel.objects.create(provider_id=999_999, name="Gone Jobs", search_name="gone jobs")
    with pytest.raises(ProviderNotFound):
        channel_details(999_999)
    assert not Channel.objects.get(provider_id=999_999).is_active


def test_normalize_search():
    assert normalize_search("  Arbetsförmedlingen  Jobs ") == "arbetsformedlingen jobs"
