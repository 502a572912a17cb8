"""The Performance page (Administration → Job boards → Performance) at 100,000 postings:
figures per board and contract, charts per day, on PostgreSQL, measured in-process with
Django's test client (the whole request: middleware, session, queries, templates).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench performance [--quick]
    (or ``python -m bench.performance [--quick] [--keep] [--reuse]``)

It seeds its own database (``jobcast_bench_performance``, dropped afterwards) with the
History benchmark's data (bench/history.py: 100,000 postings over 60 boards in the measured
organisation, 20,000 in another), views and applications spread over the last 90 days.
The goal: p95 < 150 ms for every measured URL, and as many queries at 100,000 postings as
with one board. Django and the product are imported inside the functions (the benchmark
chooses its database before ``django.setup()``).
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import history
from bench.cli import RESULTS, seeded_bench_main
from bench.stats import percentile

BENCH_DB = os.environ.get("BENCH_PERFORMANCE_DATABASE", "jobcast_bench_performance")
TARGET_POSTINGS = 100_000
QUICK_POSTINGS = 20_000
OTHER_ORG_POSTINGS = 20_000
GOAL_P95_MS = 150
PAGE = "/administration/job-boards/performance/"
URLS = {
    "last_30_days": f"{PAGE}?period=30",
    "last_90_days": f"{PAGE}?period=90",
    "per_contract_sorted_by_cost": f"{PAGE}?period=90&by=contract&sort=-cost_per_application",
    "csv_90_days": f"{PAGE}export.csv?period=90",
}


def seed(*, postings: int) -> dict:
    from django.db import connection

    from campaigns.services.board_day_figures import board_day_figures_rebuild
    from campaigns.services.board_posting_figures import board_posting_figures_rebuild
    from contracts.models import Contract, ContractGroup
    from distribution.models import Channel

    rng = random.Random(11)  # the same data on every run
    channels = Channel.objects.bulk_create(
        [
            Channel(provider_id=600_000 + i, name=f"Board {i:04d}", search_name=f"board {i:04d}")
            for i in range(history.BOARDS_USED)
        ]
    )
    started = time.perf_counter()
    target = history.seed_organisation(
        name="Bench Performance", postings=postings, channels=channels, rng=rng
    )
    other = history.seed_organisation(
        name="Bench Other", postings=OTHER_ORG_POSTINGS, channels=channels, rng=rng
    )
    org = target["org"]
    group = ContractGroup.objects.create(organization=org, name="Default")
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                organization=org,
                group=group,
                channel=channel,
                provider_contract_id=f"bench-{channel.provider_id}",
            )
            for channel in channels
        ]  # fmt: skip
    )
    with connection.cursor() as cursor:
        # Orders over the past year, views and applications over the last 90 days
        # (the seed stamps them all today), each posting on its board's contract.
        cursor.execute(
            "UPDATE campaigns_campaign SET created_at = now() - (id * 7919 % 525600) "
            "* interval '1 minute'"
        )
        cursor.execute(
            "UPDATE campaigns_posting p SET created_at = c.created_at FROM campaigns_campaign c "
            "WHERE c.id = p.campaign_id"
        )
        # (out of the way first: one posting's two days never collide on the way)
        cursor.execute("UPDATE jobs_jobviewcounter SET day = day - 1000")
        cursor.execute("UPDATE jobs_jobviewcounter SET day = current_date - (id % 90)::int")
        cursor.execute(
            "UPDATE jobs_application SET created_at = now() - (id % 90) * interval '1 day'"
        )
        for contract in contracts:
            cursor.execute(
                "UPDATE campaigns_posting SET contract_id = %s WHERE organization_id = %s "
                "AND channel_id = %s",
                [contract.pk, org.pk, contract.channel_id],
            )
    # The roll-ups the page reads, as the write paths would have left them (the seed wrote
    # postings, counters and applications in bulk, around them).
    for seeded in (org, other["org"]):
        board_day_figures_rebuild(org_id=seeded.pk)
        board_posting_figures_rebuild(org_id=seeded.pk)
    connection.close()
    history.vacuum_analyze()
    target["seconds"] = round(time.perf_counter() - started, 1)
    return target


def reused() -> dict:
    from accounts.models import Organization

    org = Organization.objects.get(name="Bench Performance")
    return {"org": org, "admin": org.memberships.get(role="admin").user, "seconds": 0}


def measure(client, url: str, *, rounds: int) -> dict:
    """Latencies of ``rounds`` GETs of ``url`` (after one to warm up), and its queries."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return {
        "requests": rounds,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        # This process's CPU time (Django, templates; not PostgreSQL's): what a request costs
        # whatever else the machine runs, which the wall-clock times above do not show.
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries": len(executed),
    }


def measure_all(admin, *, rounds: int) -> dict:
    """Each URL as served (its aggregates in the cache after the first request, as the
    History's pages), and again with the cache off: every request computes everything."""
    from django.test import Client, override_settings

    client = Client()
    client.force_login(admin)
    figures = {name: measure(client, url, rounds=rounds) for name, url in URLS.items()}
    with override_settings(HISTORY_CACHE_SECONDS=0):
        for name, url in URLS.items():
            figures[f"{name}_uncached"] = measure(client, url, rounds=max(5, rounds // 5))
    return figures


def run(*, quick: bool = False, keep: bool = False, reuse: bool = False) -> dict:
    from django.apps import apps

    if apps.ready:
        # ``python -m bench`` set Django up for another benchmark: this one needs its own
        # database, so it runs in a fresh process.
        command = [sys.executable, "-m", "bench.performance", *(["--quick"] if quick else [])]
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parents[1])
        return json.loads((RESULTS / "performance.json").read_text())
    history.BENCH_DB = BENCH_DB  # bench.history's database helpers, on this database
    bench_url, config = history.bench_database_url()
    if not reuse:
        history.recreate_database(config)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.history_settings"
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    postings = QUICK_POSTINGS if quick else TARGET_POSTINGS
    try:
        call_command("migrate", verbosity=0)
        if reuse:
            # Statistics and visibility for what migrations wrote since the seed (the
            # roll-ups' backfill), as autovacuum would have them by now.
            history.vacuum_analyze()
            data = reused()
        else:
            print(f"   seeding {postings + OTHER_ORG_POSTINGS:,} postings ...", flush=True)
            data = seed(postings=postings)
        load_at_start = Path("/proc/loadavg").read_text().split()[:3]
        figures = measure_all(data["admin"], rounds=20 if quick else 100)
        queries = {figure["queries"] for figure in figures.values()}
        return {
            "database": "postgresql",
            "postings": {"target_org": postings, "other_orgs": [OTHER_ORG_POSTINGS]},
            "boards": history.BOARDS_USED,
            "seed_seconds": data["seconds"],
            "measured": "in-process, Django test client, one client at a time",
            "cpu_count": os.cpu_count(),
            "load_average_at_start": load_at_start,
            "load_average": Path("/proc/loadavg").read_text().split()[:3],
            "figures": figures,
            "goal_p95_ms": GOAL_P95_MS,
            "target_met": all(
                figure["p95_ms"] < GOAL_P95_MS
                for name, figure in figures.items()
                if not name.endswith("_uncached")
            ),
            "target_met_uncached": all(
                figure["p95_ms"] < GOAL_P95_MS
                for name, figure in figures.items()
                if name.endswith("_uncached")
            ),
            "queries_per_request": sorted(queries),
        }
    finally:
        connection.close()
        if not keep:
            history.recreate_database(config, drop_only=True)


def report(result: dict) -> None:
    print(f"   {'url':<38} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'queries':>8}")
    for name, figure in result["figures"].items():
        print(f"   {name:<38} {figure['p50_ms']:>8} {figure['p95_ms']:>8}"
              f" {figure['cpu_p50_ms']:>8} {figure['queries']:>8}")  # fmt: skip
    verdict = "met" if result["target_met"] else "NOT met"
    uncached = "met" if result["target_met_uncached"] else "NOT met"
    print(f"   p95 < {GOAL_P95_MS} ms at {result['postings']['target_org']:,} postings: {verdict}"
          f" (cache off: {uncached})")  # fmt: skip


def main(argv=None) -> int:
    return seeded_bench_main(
        name="performance",
        description=__doc__,
        bench_db=BENCH_DB,
        run=run,
        report=report,
        argv=argv,
        quick_help="20,000 postings, fewer requests",
    )


if __name__ == "__main__":
    sys.exit(main())
