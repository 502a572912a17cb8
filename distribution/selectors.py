"""Reads of the catalogue mirror (global rows: they belong to no organisation)."""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from .models import Channel, TaxonomyKind, TaxonomyTerm
from .services import normalize_search


def _starts_with(needle: str) -> Q:
    """A prefix condition the database can answer from the ``search_name`` index."""
    if connection.vendor == "sqlite":
        # SQLite uses no index for LIKE ... ESCAPE; a range over the binary-collated index
        # holds exactly the names with this prefix.
        return Q(search_name__gte=needle, search_name__lt=needle[:-1] + chr(ord(needle[-1]) + 1))
    # PostgreSQL: LIKE 'x%' uses the varchar_pattern_ops index Django adds for db_index.
    return Q(search_name__startswith=needle)


# A trigram index cannot serve a needle shorter than one trigram; such a needle matches so
# many names that walking the name index finds a page of them quickly anyway.
TRIGRAM = 3


def _contains(needle: str) -> Q:
    """A substring condition the database can answer from a trigram index."""
    if connection.vendor == "sqlite" and len(needle) >= TRIGRAM:
        # The FTS5 trigram table of migration distribution/0004 (external content, kept in
        # step by triggers): a quoted phrase matches exactly the names containing it.
        phrase = '"' + needle.replace('"', '""') + '"'
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM distribution_channel_search "
                "WHERE distribution_channel_search MATCH %s",
                [phrase],
            )
        )
    # PostgreSQL: LIKE '%x%' uses the pg_trgm GIN index of migration distribution/0003.
    return Q(search_name__contains=needle)


def channel_search(*, term: str, limit: int = 20) -> list[Channel]:
    """Active channels whose name starts with ``term`` (first, by name), then those that
    contain it elsewhere (by name). Two indexed queries, each stopping at ``limit`` rows;
    substring matches use a trigram index (pg_trgm on PostgreSQL, FTS5 on SQLite)."""
    needle = normalize_search(term)
    active = Channel.objects.filter(is_active=True).order_by("search_name")
    if not needle:
        return list(active[:limit])
    prefix = _starts_with(needle)
    found = list(active.filter(prefix)[:limit])
    if len(found) < limit:
        found += list(active.filter(_contains(needle)).exclude(prefix)[: limit - len(found)])
    return found


def taxonomy_choices(kind: str) -> list[TaxonomyTerm]:
    """Active terms of one taxonomy in display order, in the current language. Job
    functions come depth-first (a parent before its children); each term gets ``depth``."""
    terms = list(TaxonomyTerm.objects.active().of_kind(TaxonomyKind(kind)))
    terms.sort(key=lambda t: t.name.casefold())
    if kind != TaxonomyKind.JOB_FUNCTION:
        for term in terms:
            term.depth = 0
        return terms
    children: dict[int | None, list[TaxonomyTerm]] = {}
    ids = {t.pk for t in terms}
    for term in terms:
        parent = term.parent_id if term.parent_id in ids else None
        children.setdefault(parent, []).append(term)
    ordered: list[TaxonomyTerm] = []

    def walk(parent, depth):
        for term in children.get(parent, []):
            term.depth = depth
            ordered.append(term)
            walk(term.pk, depth + 1)

    walk(None, 0)
    return ordered
