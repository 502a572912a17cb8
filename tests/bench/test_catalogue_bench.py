"""The catalogue benchmark's machinery on small catalogues (``python -m bench catalogue`` runs
it at 3,000 and 30,000 channels): it must keep working; its timings are not judged here."""

import pytest

from bench.catalogue import TERMS, measure_size, summarise

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_the_catalogue_benchmark_measures_each_size_and_checks_its_goals():
    rows = {str(size): measure_size(size, rounds=1) for size in (150, 600)}
    assert rows["150"]["sync_calls"] == 1 and rows["600"]["sync_calls"] == 2  # pages of 500
    for row in rows.values():
        assert row["search_p95_ms"] > 0 and row["bare_p95_ms"] > 0
        assert set(row["slowest_terms_p50_ms"]) <= set(TERMS)
    summary = summarise(rows)
    assert summary["growth_p95"] == round(
        rows["600"]["search_p95_ms"] / rows["150"]["search_p95_ms"], 2
    )
    assert set(summary["goals"]) == {"search_p95_ms_at_largest", "growth_p95"}
    assert all(isinstance(goal["met"], bool) for goal in summary["goals"].values())
