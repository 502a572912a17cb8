"""Demo data: the taxonomy and the well-known boards, from a static copy of the provider's
catalogue (the sandbox is not running yet when ``make run`` seeds). Idempotent: rows that
exist (perhaps already refreshed by a sync) are left as they are."""

from django.db import transaction

from . import seed_data
from .messages import TaxonomyEntry
from .models import Channel, TaxonomyKind, TaxonomyTerm
from .services import normalize_search, taxonomy_store


def _entries(rows) -> list[TaxonomyEntry]:
    return [
        TaxonomyEntry(
            id=row[0],
            name_en=row[1],
            name_fr=row[2],
            children=_entries(row[3]) if len(row) > 3 else [],
        )
        for row in rows
    ]


@transaction.atomic
def seed(*, log) -> None:
    taxonomies = {
        TaxonomyKind.INDUSTRY: seed_data.INDUSTRIES,
        TaxonomyKind.JOB_FUNCTION: seed_data.JOB_FUNCTIONS,
        TaxonomyKind.EDUCATION_LEVEL: seed_data.EDUCATION_LEVELS,
        TaxonomyKind.SENIORITY: seed_data.SENIORITY,
    }
    for kind, rows in taxonomies.items():
        if not TaxonomyTerm.objects.filter(kind=kind).exists():
            taxonomy_store(kind=kind, entries=_entries(rows))
    existing = set(Channel.objects.values_list("provider_id", flat=True))
    new = [
        Channel(
            provider_id=provider_id,
            name=name,
            search_name=normalize_search(name),
            url=url,
            type=channel_type,
        )
        for provider_id, name, url, channel_type in seed_data.CHANNELS
        if provider_id not in existing
    ]
    Channel.objects.bulk_create(new, ignore_conflicts=True)
    log(
        f"distribution: {TaxonomyTerm.objects.count()} taxonomy terms, "
        f"{Channel.objects.count()} channels ({len(new)} new)"
    )
