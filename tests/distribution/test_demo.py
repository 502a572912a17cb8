"""Demo data uses the provider's own ids, is idempotent and leaves synced rows alone."""

import pytest
from django.core.management import call_command

from distribution import demo
from distribution.models import Channel, SyncState, TaxonomyKind, TaxonomyTerm
from distribution.tasks import sync_catalogue, sync_taxonomy

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_uses_provider_ids():
    messages = []
    demo.seed(log=messages.append)
    counts = (Channel.objects.count(), TaxonomyTerm.objects.count())
    demo.seed(log=messages.append)
    assert (Channel.objects.count(), TaxonomyTerm.objects.count()) == counts
    assert Channel.objects.get(provider_id=1001).name == "Naukri"
    assert Channel.objects.get(provider_id=1004).name == "LinkedIn"
    assert [t.provider_id for t in TaxonomyTerm.objects.filter(kind="seniority")] != []
    assert set(
        TaxonomyTerm.objects.filter(kind=TaxonomyKind.EDUCATION_LEVEL).values_list(
            "provider_id", flat=True
        )
    ) == {1, 2, 3, 4}
    backend = TaxonomyTerm.objects.get(kind=TaxonomyKind.JOB_FUNCTION, provider_id=211)
    assert backend.parent.provider_id == 21
    assert "channels" in messages[-1]


def test_seeded_rows_match_what_the_sandbox_serves(provider):
    demo.seed(log=lambda message: None)
    seeded = dict(Channel.objects.values_list("provider_id", "name"))
    terms = set(TaxonomyTerm.objects.values_list("kind", "provider_id", "name_en", "name_fr"))
    result = sync_catalogue.apply(kwargs={"full": True})
    assert result.successful()
    sync_taxonomy.apply(kwargs={"force": True})
    synced = dict(Channel.objects.filter(provider_id__in=seeded).values_list("provider_id", "name"))
    assert synced == seeded
    assert (
        set(TaxonomyTerm.objects.values_list("kind", "provider_id", "name_en", "name_fr")) == terms
    )
    assert not TaxonomyTerm.objects.filter(is_active=False).exists()


def test_management_command_syncs_now(provider, capsys):
    call_command("sync_provider_catalogue")
    output = capsys.readouterr().out
    # industries come in two pages, in two languages: 4 calls, +2 job functions, +2 lists
    assert "taxonomy: 8 calls" in output and "catalogue: 6 calls, 3000 new" in output
    assert SyncState.objects.get(name="channels").completed_at is not None
    call_command("sync_provider_catalogue", "--if-due")
    assert "skipped (the catalogue is up to date)" in capsys.readouterr().out
