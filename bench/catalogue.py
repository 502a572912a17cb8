"""Channel search server time at 3,000 and 30,000 channels, against a bare Django view.

The catalogue comes from a real sandbox process through ``catalogue_sync`` (that time is
reported too). Each search term is requested through Django's full request handling (test
client: middleware, URL routing, view, JSON) and so is a bare view answering "ok": the ratio
search/bare is what to watch, the milliseconds are for orientation only.

The database is the configured one (the embedded SQLite default, or PostgreSQL with
``DATABASE_URL``); ``bench/results/catalogue.json`` keeps the last run of each, with the
goals (p95 at 30,000 channels under 50 ms, and at most twice the p95 at 3,000).
"""

import json
import logging
import statistics
import time
import uuid
from pathlib import Path

import django

from bench.stats import percentile

TERMS = [
    "n", "na", "nauk", "indeed", "step", "bright", "jobs", "careers", "talent hub",
    "remote work", "green energy", "netherlands", "förmed", "zzzz", "e", "link", "pro ",
]  # fmt: skip
SIZES = (3000, 30000)
GOAL_P95_MS = 50.0
GOAL_GROWTH = 2.0
RESULTS_FILE = Path(__file__).resolve().parent / "results" / "catalogue.json"


def measure(client, path: str, params: list[dict], rounds: int, by_term=None) -> list[float]:
    timings = []
    for _ in range(rounds):
        for query in params:
            started = time.perf_counter()
            response = client.get(path, query)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            if by_term is not None:
                by_term.setdefault(query["q"], []).append(elapsed)
            assert response.status_code == 200, response.status_code
    return timings


def measure_size(size: int, *, rounds: int) -> dict:
    """Mirror a sandbox catalogue of ``size`` channels into the current database, then time
    the search and the bare view. Needs Django set up and a database to write to."""
    # Imported here: ``python -m bench`` sets up Django first (bench/__main__.py).
    from django.test import Client
    from django.test.utils import override_settings

    from distribution.models import Channel
    from distribution.ratelimit import rate_limiter
    from distribution.services import catalogue_sync
    from tests.fixtures.sandbox import SandboxProcess

    token = f"bench-{uuid.uuid4().hex[:8]}"
    with (
        SandboxProcess("--channels", str(size), "--rate-limit", "100000", token=token) as sandbox,
        override_settings(
            PROVIDER_BASE_URL=sandbox.url,
            PROVIDER_TOKEN=token,
            PROVIDER_RATE_LIMIT=100_000,
            ROOT_URLCONF="bench.urls",
            ALLOWED_HOSTS=["*"],
        ),
    ):
        rate_limiter().reset()
        started = time.perf_counter()
        sync = catalogue_sync(full=True)
        sync_seconds = time.perf_counter() - started
        assert Channel.objects.filter(is_active=True).count() == size
        client = Client()
        queries = [{"q": term} for term in TERMS]
        measure(client, "/bench/search/", queries, 1)  # warm up
        bare = measure(client, "/bench/bare/", queries, rounds)
        by_term: dict[str, list[float]] = {}
        search = measure(client, "/bench/search/", queries, rounds, by_term)
    row = {
        "channels": size,
        "sync_seconds": round(sync_seconds, 2),
        "sync_calls": sync.calls,
        "bare_p50_ms": round(statistics.median(bare), 3),
        "bare_p95_ms": round(percentile(bare, 0.95), 3),
        "search_p50_ms": round(statistics.median(search), 3),
        "search_p95_ms": round(percentile(search, 0.95), 3),
    }
    row["slowest_terms_p50_ms"] = dict(
        sorted(
            ((t, round(statistics.median(v), 2)) for t, v in by_term.items()),
            key=lambda item: -item[1],
        )[:4]
    )
    row["ratio_p50"] = round(row["search_p50_ms"] / row["bare_p50_ms"], 2)
    row["ratio_p95"] = round(row["search_p95_ms"] / row["bare_p95_ms"], 2)
    return row


def summarise(rows: dict[str, dict]) -> dict:
    """Growth from the smallest to the largest catalogue, and the goals met or not."""
    small, large = rows[str(min(map(int, rows)))], rows[str(max(map(int, rows)))]
    growth = round(large["search_p95_ms"] / small["search_p95_ms"], 2)
    return {
        "growth_p95": growth,
        "goals": {
            "search_p95_ms_at_largest": {
                "goal": f"< {GOAL_P95_MS:g}",
                "value": large["search_p95_ms"],
                "met": large["search_p95_ms"] < GOAL_P95_MS,
            },
            "growth_p95": {
                "goal": f"< {GOAL_GROWTH:g}",
                "value": growth,
                "met": growth < GOAL_GROWTH,
            },
        },
    }


def run(*, quick: bool = False) -> dict:
    django.setup()
    logging.getLogger("distribution").setLevel(logging.WARNING)
    # Imported once Django is set up.
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # A database file next to the embedded default's, as it runs (Django's test database
        # would be in memory).
        connection.settings_dict["TEST"]["NAME"] = str(Path(old_name).with_name("bench.sqlite3"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rounds = 5 if quick else 30
    result = {"rounds": rounds, "terms": TERMS, "sizes": {}}
    try:
        for size in SIZES:
            row = result["sizes"][str(size)] = measure_size(size, rounds=rounds)
            print(
                f"   {size:>6} channels: search p50 {row['search_p50_ms']:.2f} ms "
                f"p95 {row['search_p95_ms']:.2f} ms | bare view p50 {row['bare_p50_ms']:.2f} ms "
                f"p95 {row['bare_p95_ms']:.2f} ms | ratio p50 {row['ratio_p50']} "
                f"p95 {row['ratio_p95']} | sync {row['sync_calls']} calls "
                f"{row['sync_seconds']} s\n            slowest terms (p50 ms): "
                f"{row['slowest_terms_p50_ms']}",
                flush=True,
            )
        result.update(summarise(result["sizes"]))
        vendor = connection.vendor
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for name, goal in result["goals"].items():
        verdict = "met" if goal["met"] else "NOT MET"
        print(f"   {vendor}: {name} = {goal['value']} (goal {goal['goal']}): {verdict}")
    # One file for both databases: the other database's last run is kept.
    previous = json.loads(RESULTS_FILE.read_text()) if RESULTS_FILE.exists() else {}
    return {"databases": {**previous.get("databases", {}), vendor: result}}
