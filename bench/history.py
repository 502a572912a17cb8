"""The History page under load, next to a bare one-query view on the same server in the same
run: 100,000 postings in one organisation on PostgreSQL, gunicorn, 4 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench history [--quick]
    (or ``python -m bench.history [--quick] [--keep] [--reuse]``)

docs/benchmarks.md says what is measured and how. Django and the product are imported inside
the functions: the benchmark chooses its settings and database before ``django.setup()``.
"""

import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import dj_database_url
import psycopg
import requests

from bench.cli import RESULTS, seeded_bench_main
from bench.stats import percentile

# The database the benchmark creates (and drops) on DATABASE_URL's server.
BENCH_DB = os.environ.get("BENCH_HISTORY_DATABASE", "jobcast_bench")
TARGET_POSTINGS = 100_000
OTHER_ORGS_POSTINGS = (20_000, 20_000)
POSTINGS_PER_CAMPAIGN = 2
CHANNELS = 2_000
BOARDS_USED = 60
CLIENTS = 4
WORKERS = 4
# Numbers "{n}" in a URL to load, never the same twice in a run (a distinct URL per request).
DISTINCT = itertools.count()
# The goals, as fractions of the baseline's throughput, and the latency budget.
GOAL_HIT = 0.45
GOAL_MISS = 0.25
GOAL_P95_MS = 150
GOAL_URLS = ("history", "history_page_cache_miss")


# --- database -----------------------------------------------------------------------------


def bench_database_url() -> tuple[str, dict]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench.history needs DATABASE_URL=postgres://... (the server to benchmark on)")
    config = dj_database_url.parse(url)
    base, _, _ = url.rpartition("/")
    return f"{base}/{BENCH_DB}", config


def recreate_database(config: dict, *, drop_only: bool = False) -> None:
    conninfo = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "dbname": "postgres",
    }
    if config.get("PASSWORD"):
        conninfo["password"] = config["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {BENCH_DB}")


# --- data ---------------------------------------------------------------------------------


def order_payload(name: str, title: str) -> dict:
    """An order document as wide as a real one (what a campaign row carries)."""
    return {
        "campaign_name": name,
        "recruiter": {"id": "1", "name": "Rita Recruiter", "email": "rita@bench.test"},
        "posting": {
            "title": title,
            "description": "<p>" + "We build things that matter. " * 30 + "</p>",
            "organization_name": "Bench",
            "location": {"address_line1": "1 Rue", "postcode": "69001", "city": "Lyon"},
            "employment_type": "permanent",
            "weekly_hours": {"from": 35, "to": 39},
            "salary": {"period": "yearly", "from": 45000, "to": 55000, "currency": "EUR"},
        },
        "target_group": {"seniority": {"vonq_id": 2, "description": "Senior"}},
        "products": [{"board": "Board", "posting_requirements": {"headline": "Join us"}}],
    }


def seed_organisation(*, name: str, postings: int, channels: list, rng: random.Random) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Membership, Organization, Plan, Role, User
    from campaigns.models import Campaign, Posting, PostingStatus
    from jobs.models import Application, Job, JobViewCounter

    slug = name.lower().replace(" ", "-")
    org = Organization.objects.create(
        name=name,
        slug=slug,
        plan=Plan.SUBSCRIBER,
        verified_at=timezone.now(),
        career_page_enabled=True,
        my_own_contracts_enabled=True,
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(email=f"{role}{i}@{slug}.test", full_name=f"{role.title()} {i}", password=password)
            for i, role in enumerate(["admin"] + ["recruiter"] * 12)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(organization=org, user=u, role=Role.ADMIN if i == 0 else Role.RECRUITER)
            for i, u in enumerate(users)
        ]
    )
    campaigns_count = postings // POSTINGS_PER_CAMPAIGN
    jobs = Job.objects.bulk_create(
        [
            Job(
                organization=org,
                title=f"Job {i} {rng.choice(['engineer', 'nurse', 'chef'])}",
                city="Lyon",
                country="FR",
                recruiter=rng.choice(users),
            )
            for i in range(max(10, campaigns_count // 50))
        ],  # fmt: skip
        batch_size=5000,
    )
    campaigns = []
    for i in range(campaigns_count):
        job = rng.choice(jobs)
        campaign_name = f"{job.title} campaign {i}"
        campaigns.append(
            Campaign(
                organization=org,
                job=job,
                name=campaign_name,
                ordered_by=job.recruiter,
                order_reference=uuid.uuid4().hex,
                provider_campaign_id=f"{slug}-{i}",
                status="online",
                payload=order_payload(campaign_name, job.title),
            )
        )
    Campaign.objects.bulk_create(campaigns, batch_size=5000)
    statuses = (
        [PostingStatus.SUBMITTED] * 10
        + [PostingStatus.IN_PROGRESS] * 10
        + [PostingStatus.ONLINE] * 50
        + [PostingStatus.OFFLINE] * 25
        + [PostingStatus.FAILED] * 5
    )
    now = timezone.now()
    rows = []
    for campaign in campaigns:
        for channel in rng.sample(channels, POSTINGS_PER_CAMPAIGN):
            status = rng.choice(statuses)
            published = status in (PostingStatus.ONLINE, PostingStatus.OFFLINE)
            rows.append(
                Posting(
                    organization=org,
                    campaign=campaign,
                    channel=channel,
                    board_name=channel.name,
                    provider_contract_id="c",
                    product_id=str(channel.provider_id),
                    utm_content=f"p{uuid.uuid4().hex[:20]}",
                    status=status,
                    published_at=now - timedelta(days=rng.randint(1, 300)) if published else None,
                    offline_at=now - timedelta(days=rng.randint(0, 30))
                    if status == PostingStatus.OFFLINE
                    else None,
                    job_board_link=f"https://board.example/ads/{uuid.uuid4().hex[:12]}"
                    if published
                    else "",
                    clicks=rng.randint(0, 400) if published else 0,
                    status_description="Rejected by the board" if status == "failed" else "",
                )
            )
    Posting.objects.bulk_create(rows, batch_size=5000)
    by_campaign = {c.pk: c for c in campaigns}
    counters, applications = [], []
    today = timezone.localdate()
    for posting in rows:
        if posting.published_at is None:
            continue
        job_id = by_campaign[posting.campaign_id].job_id
        for back in (0, 1):
            counters.append(
                JobViewCounter(organization=org, job_id=job_id, day=today - timedelta(days=back),
                               utm_source="board", utm_medium="job_board",
                               utm_content=posting.utm_content, count=rng.randint(1, 50))
            )  # fmt: skip
        if rng.random() < 0.1:
            applications.append(
                Application(organization=org, job_id=job_id, name="Candidate",
                            email="c@bench.test", cv="cvs/bench.pdf", cv_filename="cv.pdf",
                            utm_content=posting.utm_content)
            )  # fmt: skip
    JobViewCounter.objects.bulk_create(counters, batch_size=10000)
    Application.objects.bulk_create(applications, batch_size=5000)
    return {"org": org, "admin": users[0]}


def seed() -> dict:
    from django.db import connection

    from distribution.models import Channel

    rng = random.Random(7)  # the same data on every run
    channels = Channel.objects.bulk_create(
        [
            Channel(provider_id=500_000 + i, name=f"Board {i:04d}", search_name=f"board {i:04d}")
            for i in range(CHANNELS)
        ],
        batch_size=5000,
    )
    used = channels[:BOARDS_USED]
    started = time.perf_counter()
    target = seed_organisation(
        name="Bench History", postings=TARGET_POSTINGS, channels=used, rng=rng
    )
    for index, count in enumerate(OTHER_ORGS_POSTINGS):
        seed_organisation(name=f"Bench Other {index}", postings=count, channels=used, rng=rng)
    with connection.cursor() as cursor:
        # Orders spread over the past year (auto_now_add stamped them all "now").
        cursor.execute(
            "UPDATE campaigns_campaign SET created_at = now() - (id * 7919 % 525600) "
            "* interval '1 minute'"
        )
        cursor.execute(
            "UPDATE campaigns_posting p SET created_at = c.created_at FROM campaigns_campaign c "
            "WHERE c.id = p.campaign_id"
        )
    connection.close()
    vacuum_analyze()
    target["seconds"] = round(time.perf_counter() - started, 1)
    target["board"] = used[0]
    return target


def reused() -> dict:
    from accounts.models import Organization
    from campaigns.models import Posting
    from distribution.models import Channel

    org = Organization.objects.get(slug="bench-history")
    admin = org.memberships.get(role="admin").user
    board = Channel.objects.get(pk=Posting.objects.filter(organization=org).first().channel_id)
    return {"org": org, "admin": admin, "board": board, "seconds": 0}


def vacuum_analyze() -> None:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = True
    try:
        raw.execute("VACUUM ANALYZE")
    finally:
        raw.autocommit = previous


# --- server and load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--preload",
         "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except requests.RequestException:  # workers still booting
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def session_cookie(user) -> tuple[str, str]:
    """A logged-in session for ``user``, as the login view would have created it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


def load(url: str, *, cookie: tuple[str, str], per_client: int, max_seconds: float,
         headers: dict | None = None) -> tuple[list[float], float]:  # fmt: skip
    """CLIENTS threads, each with its own requests.Session, at most ``per_client`` requests
    and ``max_seconds`` each. Returns the latencies (ms) and the wall time (s)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client():
        with requests.Session() as session:
            session.cookies.set(*cookie)
            deadline = time.monotonic() + max_seconds
            mine = []
            for _ in range(per_client):
                if time.monotonic() > deadline:
                    break
                target = url.format(n=next(DISTINCT)) if "{n}" in url else url
                started = time.perf_counter()
                response = session.get(target, headers=headers, timeout=30, allow_redirects=False)
                mine.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {url}")
                    break
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"requests failed: {errors[:3]}")
    return latencies, time.perf_counter() - started


def _proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pids(server_pid: int) -> list[int]:
    """gunicorn's workers (children of ``server_pid``) and the PostgreSQL backends serving
    the benchmark's database: the processes that do the server's work."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat[1]) == server_pid or (command.startswith("postgres:") and BENCH_DB in command):
            pids.append(int(entry.name))
    return pids


class CpuMeter:
    """CPU time used by the server's processes and by the load's clients (this process)
    while one URL is loaded: what each request costs the machine, whatever else runs on it
    (other processes' work is not counted, unlike in wall-clock throughput)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def snapshot(self) -> tuple[dict[int, float], float]:
        pids = _server_pids(self.server_pid)
        return {pid: _proc_cpu_seconds(pid) for pid in pids}, sum(os.times()[:2])

    @staticmethod
    def used(before, after) -> tuple[float, float]:
        (server_before, client_before), (server_after, client_after) = before, after
        server = sum(cpu - server_before.get(pid, 0.0) for pid, cpu in server_after.items())
        return server, client_after - client_before


def measure(targets: dict[str, tuple[str, dict]], *, cookie, rounds: int, per_client: int,
            max_seconds: float, meter: CpuMeter) -> dict:  # fmt: skip
    """Interleaved rounds (baseline, then each History URL, again and again) so that drift of
    the machine affects all of them alike."""
    samples = {name: {"latencies": [], "seconds": 0.0, "server": 0.0, "client": 0.0}
               for name in targets}  # fmt: skip
    for url, headers in targets.values():  # warm every worker up
        load(url, cookie=cookie, per_client=15, max_seconds=10, headers=headers)
    for _ in range(rounds):
        for name, (url, headers) in targets.items():
            before = meter.snapshot()
            latencies, seconds = load(
                url, cookie=cookie, per_client=per_client, max_seconds=max_seconds,
                headers=headers,
            )  # fmt: skip
            server, client = meter.used(before, meter.snapshot())
            sample = samples[name]
            sample["latencies"].extend(latencies)
            sample["seconds"] += seconds
            sample["server"] += server
            sample["client"] += client
    figures = {}
    for name, sample in samples.items():
        latencies, count = sample["latencies"], len(sample["latencies"])
        figures[name] = {
            "requests": count,
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "rps": round(count / sample["seconds"], 1),
            "server_cpu_ms": round(sample["server"] * 1000 / count, 2),
            "client_cpu_ms": round(sample["client"] * 1000 / count, 2),
        }
    return figures


# --- in-process checks --------------------------------------------------------------------


def page_queries_and_plan(org, board) -> dict:
    """Queries one History request runs at 100,000 postings, and the page query's plan."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from campaigns.history.selectors import (
        HistoryFilters,
        history_slice_values,
        posting_history,
    )

    admin = org.memberships.filter(role="admin").first().user
    client = Client()
    client.force_login(admin)
    counts = {}
    targets = (
        ("first (nothing cached)", ""),
        ("again (the page cached)", ""),
        ("filtered (first time)", f"?status=online&board={board.pk}"),
    )
    for label, query in targets:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/administration/job-boards/history/{query}")
        assert response.status_code == 200, response.status_code
        counts[label] = len(captured.captured_queries)
    plans = {}
    for sort in ("-ordered", "-published", "board", "campaign"):
        postings = posting_history(org=org, filters=HistoryFilters(sort=sort))
        page = history_slice_values(org=org, postings=postings, start=0, stop=25)
        plans[sort] = page.explain().splitlines()
    return {"queries_per_request": counts, "plans": plans}


def csv_export(base: str, cookie) -> dict:
    started = time.perf_counter()
    lines = 0
    with requests.Session() as session:
        session.cookies.set(*cookie)
        with session.get(f"{base}/administration/job-boards/history/export.csv", stream=True,
                         timeout=600) as response:  # fmt: skip
            response.raise_for_status()
            first_byte = None
            for chunk in response.iter_content(chunk_size=65536):
                first_byte = first_byte or time.perf_counter()
                lines += chunk.count(b"\n")
    return {
        "rows": lines - 1,
        "seconds": round(time.perf_counter() - started, 2),
        "first_byte_ms": round((first_byte - started) * 1000, 1) if first_byte else None,
    }


# --- the run ------------------------------------------------------------------------------


def run(*, quick: bool = False, keep: bool = False, reuse: bool = False) -> dict:
    """``reuse`` keeps a database left by ``keep`` (to iterate on the code, not the data)."""
    from django.apps import apps

    if apps.ready:
        # Another benchmark already set Django up in this process (``python -m bench``):
        # this one needs its own settings and database, so it runs in a fresh process.
        command = [sys.executable, "-m", "bench.history", *(["--quick"] if quick else [])]
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parents[1])
        return json.loads((RESULTS / "history.json").read_text())
    bench_url, config = bench_database_url()
    if not reuse:
        recreate_database(config)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.history_settings"
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    server = None
    try:
        call_command("migrate", verbosity=0)
        if reuse:
            data = reused()
        else:
            print("   seeding 140,000 postings ...", flush=True)
            data = seed()
        org, board = data["org"], data["board"]
        checks = page_queries_and_plan(org, board)
        cookie = session_cookie(data["admin"])
        connection.close()
        server, base = start_gunicorn({**os.environ})
        history = f"{base}/administration/job-boards/history/"
        targets = {
            "baseline": (f"{base}/bench/baseline/", {}),
            # For scale: an ordinary logged-in page of the product (session, user, membership,
            # layout), which every private page pays before doing anything of its own.
            "dashboard_reference": (f"{base}/", {}),
            "history": (history, {}),
            "history_filtered": (f"{history}?status=online&board={board.pk}", {}),
            "history_sorted_published": (f"{history}?sort=-published", {}),
            "history_page_40": (f"{history}?page=40", {}),
            "history_live_fragment": (history, {"HX-Request": "true"}),
            # Past the page cache (campaigns/history/page_cache.py), last because they fill
            # the cache with pages nobody asks for again:
            # - a query string never seen before on every request: the page is rendered,
            #   its rows and filters come from their own fragments;
            "history_page_cache_miss": (f"{history}?fresh={{n}}", {}),
            # - the first view after a change (the history version replaced first);
            "history_after_change": (f"{base}/bench/history-after-change/", {}),
            # - everything rendered and read again: no cache at all.
            "history_without_cache": (f"{base}/bench/history-without-cache/", {}),
        }
        load_average = Path("/proc/loadavg").read_text().split()[:3]
        figures = measure(
            targets,
            cookie=cookie,
            meter=CpuMeter(server.pid),
            rounds=2 if quick else 3,
            per_client=40 if quick else 150,
            max_seconds=10 if quick else 20,
        )
        baseline = figures["baseline"]
        baseline_cost = baseline["server_cpu_ms"] + baseline["client_cpu_ms"]
        for figure in figures.values():
            figure["ratio_to_baseline"] = round(figure["rps"] / baseline["rps"], 2)
            # What the throughput ratio is where the machine does nothing else: the CPU a
            # baseline request costs (server and client) over what this URL's costs.
            cost = figure["server_cpu_ms"] + figure["client_cpu_ms"]
            figure["cpu_cost_ratio"] = round(baseline_cost / cost, 2)
        return {
            "database": "postgresql",
            "postings": {"target_org": TARGET_POSTINGS, "other_orgs": list(OTHER_ORGS_POSTINGS)},
            "seed_seconds": data["seconds"],
            "gunicorn_workers": WORKERS,
            "clients": CLIENTS,
            "cpu_count": os.cpu_count(),
            "figures": figures,
            "load_average": load_average,
            "history_ratio": figures["history"]["ratio_to_baseline"],
            "history_miss_ratio": figures["history_page_cache_miss"]["ratio_to_baseline"],
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "target_met": figures["history"]["ratio_to_baseline"] >= GOAL_HIT
            and figures["history_page_cache_miss"]["ratio_to_baseline"] >= GOAL_MISS
            and all(figures[name]["p95_ms"] < GOAL_P95_MS for name in GOAL_URLS),
            "csv_export_all_rows": csv_export(base, cookie),
            **checks,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        connection.close()
        if not keep:
            recreate_database(config, drop_only=True)


def report(result: dict) -> None:
    print(f"   {'url':<26} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'ratio':>6} "
          f"{'server cpu ms':>14} {'client cpu ms':>14} {'cpu ratio':>10}")  # fmt: skip
    for name, figure in result["figures"].items():
        print(
            f"   {name:<26} {figure['p50_ms']:>8} {figure['p95_ms']:>8} {figure['rps']:>8} "
            f"{figure['ratio_to_baseline']:>6} {figure['server_cpu_ms']:>14} "
            f"{figure['client_cpu_ms']:>14} {figure['cpu_cost_ratio']:>10}"
        )
    verdict = "met" if result["target_met"] else "NOT met"
    print(f"   load average at the start: {result['load_average']}")
    print(f"   History/baseline throughput: {result['history_ratio']:.2f} on a page cache hit "
          f"(goal ≥ {GOAL_HIT}), {result['history_miss_ratio']:.2f} on a miss (goal ≥ "
          f"{GOAL_MISS}), p95 < {GOAL_P95_MS} ms: {verdict} ({result['cache']})")  # fmt: skip
    export = result["csv_export_all_rows"]
    print(f"   CSV export: {export['rows']} rows in {export['seconds']} s "
          f"(first byte after {export['first_byte_ms']} ms)")  # fmt: skip
    print(f"   queries per History request: {result['queries_per_request']}")


def main(argv=None) -> int:
    return seeded_bench_main(
        name="history", description=__doc__, bench_db=BENCH_DB, run=run, report=report, argv=argv
    )


if __name__ == "__main__":
    sys.exit(main())
