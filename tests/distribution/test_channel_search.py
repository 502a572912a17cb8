"""Channel search through its trigram index: the same answers as a plain scan, on PostgreSQL
(pg_trgm, migration 0003) and on the embedded SQLite default (an FTS5 trigram table kept in
step by triggers, migration 0004). CI runs this module on both databases (marker
``embedded``)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from distribution.models import Channel
from distribution.selectors import TRIGRAM, channel_search
from distribution.services import catalogue_sync, normalize_search

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

FTS_TABLE = "distribution_channel_search"
WORDS = ["Bright", "Jobs", "Career", "Talent", "Hub", "Works", "Green", "Energy", "Remote"]
PLACES = ["Netherlands", "Nederland", "Finland", "Pune", "São Paulo", "Zürich", "Kraków"]
ODD_NAMES = [
    'The "Quoted" Board',
    "100% Jobs",
    "Under_score Careers",
    "O'Reilly Talent",
    "Back\\slash Works",
    "Arbetsförmedlingen",
    "Jobs & Co.",
    "A",
    "Ab",
]


def channel(provider_id: int, name: str, **extra) -> Channel:
    return Channel.objects.create(
        provider_id=provider_id, name=name, search_name=normalize_search(name), **extra
    )


@pytest.fixture
def catalogue():
    names = [f"{w1} {w2} {place}" for w1, w2, place in itertools.product(WORDS, WORDS, PLACES)]
    Channel.objects.bulk_create(
        Channel(
            provider_id=index,
            name=name,
            search_name=normalize_search(name),
            is_active=index % 7 != 0,  # some retired boards, which must never be found
        )
        for index, name in enumerate(names + ODD_NAMES, start=1)
    )


def scan(term: str, limit: int) -> list[str]:
    """What the search must answer, worked out without any index: active names starting
    with the term in the database's name order, then those containing it elsewhere."""
    needle = normalize_search(term)
    ordered = list(
        Channel.objects.filter(is_active=True)
        .order_by("search_name")
        .values_list("search_name", flat=True)
    )
    starting = [name for name in ordered if name.startswith(needle)]
    inside = [name for name in ordered if needle in name and not name.startswith(needle)]
    return (starting + inside)[:limit]


def searched(term: str, limit: int = 20) -> list[str]:
    return [c.search_name for c in channel_search(term=term, limit=limit)]


TERMS = [
    # short terms (fewer characters than a trigram): no index, a scan of the name index
    "a", "e", "ab", "rk", "zz",
    # one trigram, and longer
    "job", "nds", "and", "ner", "jobs", "erla", "netherlands", "bright jobs", "s ta",
    "green energy pune", "alent", "WORKS", "  Remote   Hub ",
    # accents are folded on both sides
    "sao paulo", "são", "zurich", "krakow", "förmed", "arbetsform",
    # characters with a meaning in LIKE, in FTS5 queries or in SQL
    '"quoted"', 'the "', '"', "100%", "0% j", "%", "under_s", "_", "o'reilly", "'",
    "back\\slash", "\\", "& co.", "jobs &", "*", "job*", "(", "-", "NEAR", "and or not",
    # nothing matches
    "zzzz", "xyz board",
]  # fmt: skip


@pytest.mark.parametrize("limit", [1, 5, 20, 1000])
def test_search_answers_exactly_what_a_scan_answers(catalogue, limit):
    for term in TERMS:
        assert searched(term, limit) == scan(term, limit), term


def test_short_terms_find_substrings_too(catalogue):
    assert len(normalize_search("rk")) < TRIGRAM
    found = searched("rk", limit=1000)
    assert found and all("rk" in name for name in found)
    assert any(not name.startswith("rk") for name in found)  # not only prefix matches


def test_substring_search_uses_the_trigram_index(catalogue):
    with CaptureQueriesContext(connection) as queries:
        searched("erlands")
    substring_query = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert FTS_TABLE in substring_query
            cursor.execute("EXPLAIN QUERY PLAN " + substring_query)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert f"SCAN {FTS_TABLE} VIRTUAL TABLE" in plan
            assert "USING INTEGER PRIMARY KEY" in plan  # only the matching rows are read
        else:
            # As with 30,000 rows, where the planner prefers the trigram index by itself.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + substring_query)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "distribution_channel_search_trgm" in plan


def fts_table_exists() -> bool:
    return FTS_TABLE in connection.introspection.table_names(include_views=True)


def assert_index_in_step() -> None:
    """On SQLite, FTS5 compares its index with the channel table (raises if they differ)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO distribution_channel_search (distribution_channel_search, rank) "
                "VALUES ('integrity-check', 1)"
            )


def test_the_trigram_table_exists_on_sqlite_only():
    assert fts_table_exists() == (connection.vendor == "sqlite")


def test_the_index_follows_every_way_channels_are_written():
    first = channel(1, "Alpha Careers")
    Channel.objects.bulk_create([Channel(provider_id=2, name="Beta", search_name="beta works")])
    assert searched("careers") == ["alpha careers"] and searched("works") == ["beta works"]

    first.name, first.search_name = "Gamma", "gamma talent"
    first.save()
    Channel.objects.filter(provider_id=2).update(search_name="delta jobs")
    assert searched("careers") == [] and searched("works") == []
    assert searched("talent") == ["gamma talent"] and searched("jobs") == ["delta jobs"]

    # The catalogue sync's upsert: INSERT ... ON CONFLICT DO UPDATE.
    Channel.objects.bulk_create(
        [
            Channel(provider_id=2, name="Epsilon", search_name="epsilon hub"),
            Channel(provider_id=3, name="Zeta", search_name="zeta hub"),
        ],
        update_conflicts=True,
        unique_fields=["provider_id"],
        update_fields=["name", "search_name"],
    )
    assert searched("jobs") == [] and searched(" hub") == ["epsilon hub", "zeta hub"]

    # A write that does not touch the name leaves it findable.
    Channel.objects.update(seen_in_pass=7)
    assert searched("talent") == ["gamma talent"]

    Channel.objects.filter(provider_id=3).delete()
    assert searched(" hub") == ["epsilon hub"]
    assert_index_in_step()


def test_the_catalogue_sync_keeps_the_index_in_step(provider):
    channel(999_999, "Gone Jobs")
    Channel.objects.create(provider_id=1006, name="Old name", search_name="old stepstone name")
    catalogue_sync(full=True)
    assert searched("stepstone") == ["stepstone"]  # renamed at the provider
    assert searched("aukri") == ["naukri"]
    assert searched("gone job") == []  # retired
    assert_index_in_step()
