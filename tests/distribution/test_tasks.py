"""The periodic tasks: a provider failure is logged and left to the next run."""

import pytest

from distribution.models import Channel, SyncState
from distribution.tasks import sync_catalogue, sync_taxonomy

pytestmark = pytest.mark.django_db


def test_sync_catalogue_task_resumes_after_a_provider_failure(provider, caplog):
    provider.add_fault(kind="error", path="/products/channels/mocs/", status=503, times=1)
    sync_catalogue.apply(kwargs={"full": True}).get()
    assert "will resume next run" in caplog.text
    assert Channel.objects.count() == 0
    sync_catalogue.apply().get()  # the pass that failed is taken up by the periodic run
    assert Channel.objects.count() == 3000
    assert SyncState.objects.get(name="channels").completed_at is not None


def test_sync_taxonomy_task_survives_an_unreachable_provider(provider, caplog):
    provider.add_fault(kind="drop", path="/products/industries/", times=1)
    sync_taxonomy.apply().get()
    assert "taxonomy sync failed" in caplog.text
    sync_taxonomy.apply().get()
    assert SyncState.objects.get(name="taxonomy").completed_at is not None
