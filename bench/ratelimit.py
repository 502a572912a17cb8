"""How much of the provider's limit two worker processes get through the shared limiter.

A sandbox runs with a tightened limit (30 calls per 10 s). Two worker processes, each with
its own provider client, call the provider as fast as the shared limiter lets them for a
few windows. Reported: the calls the sandbox accepted, the 429s it answered (must be 0),
and the steady-state use of the limit, as a fraction of it. With callers always waiting,
call ``i + k`` can start only when call ``i`` has left the window (``k`` = the calls the
priority may use per window), so the mean of ``t[i + k] - t[i]`` is the window the limiter
actually keeps:

    calls per minute = 60 * k / mean(t[i + k] - t[i]);  fraction = that / provider's limit

A fraction just under 1.0 (the limiter's small slack) means no budget is wasted. The same run
is repeated with background priority, whose ceiling is (limit - reserve) / limit.
"""

import multiprocessing
import os
import tempfile
import time
import uuid

LIMIT, WINDOW, RESERVE = 30, 10.0, 5


def worker(env: dict, priority: str, seconds: float, results) -> None:
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.getLogger("distribution").setLevel(logging.WARNING)
    from distribution.client import provider_client
    from distribution.errors import ProviderRateLimited

    client = provider_client(priority=priority)
    deadline = time.time() + seconds
    calls, rejected = [], 0
    while time.time() < deadline:
        try:
            client.list_channels(limit=1)
            calls.append(time.time())
        except ProviderRateLimited as error:
            rejected += 1
            time.sleep(min(error.retry_after, 1.0))
    results.put({"calls": calls, "rejected": rejected})


def one_run(sandbox, token: str, priority: str, seconds: float, var_dir: str) -> dict:
    env = {
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "JOBCAST_VAR_DIR": var_dir,
        "PROVIDER_BASE_URL": sandbox.url,
        "PROVIDER_TOKEN": token,
        "PROVIDER_RATE_LIMIT": str(LIMIT),
        "PROVIDER_RATE_WINDOW": str(WINDOW),
        "PROVIDER_RATE_RESERVE": str(RESERVE),
        "PROVIDER_RATE_WAIT_INTERACTIVE": str(WINDOW * 2),
        "PROVIDER_RATE_WAIT_BACKGROUND": str(WINDOW * 2),
    }
    before = sandbox.stats()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=worker, args=(env, priority, seconds, results)) for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    after = sandbox.stats()
    calls = sorted(t for outcome in outcomes for t in outcome["calls"])
    k = LIMIT if priority == "interactive" else LIMIT - RESERVE
    gaps = [later - first for first, later in zip(calls, calls[k:], strict=False)]
    per_minute = 60 * k / (sum(gaps) / len(gaps)) if gaps else 0.0
    limit_per_minute = LIMIT * 60 / WINDOW
    return {
        "priority": priority,
        "seconds_per_worker": seconds,
        "accepted": len(calls),
        "sandbox_served": after["requests_served"] - before["requests_served"],
        "per_worker": [len(outcome["calls"]) for outcome in outcomes],
        "provider_429s": after["throttled"] - before["throttled"],
        "limiter_refusals": sum(outcome["rejected"] for outcome in outcomes),
        "calls_per_minute": round(per_minute, 1),
        "fraction_of_limit": round(per_minute / limit_per_minute, 3),
        "ceiling_fraction": round(k / LIMIT, 3),
    }


def run(*, quick: bool = False) -> dict:
    from tests.fixtures.sandbox import SandboxProcess

    seconds = 2.5 * WINDOW if quick else 4.5 * WINDOW
    token = f"bench-{uuid.uuid4().hex[:8]}"
    backend = "redis" if os.environ.get("REDIS_URL") else "sqlite"
    report = {
        "sandbox_limit": f"{LIMIT} per {WINDOW:g} s",
        "limit_per_minute": LIMIT * 60 / WINDOW,
        "reserve": RESERVE,
        "backend": backend,
        "runs": [],
    }
    with (
        tempfile.TemporaryDirectory() as var_dir,
        SandboxProcess(
            "--rate-limit", str(LIMIT), "--rate-window", str(WINDOW), token=token
        ) as sandbox,
    ):
        for priority in ("interactive", "background"):
            result = one_run(sandbox, token, priority, seconds, var_dir)
            report["runs"].append(result)
            print(
                f"   {priority:>11}: {result['accepted']} calls "
                f"({result['per_worker'][0]} + {result['per_worker'][1]} by two workers), "
                f"steady {result['calls_per_minute']}/min against a limit of "
                f"{report['limit_per_minute']:g}/min = {result['fraction_of_limit']} of it "
                f"(ceiling {result['ceiling_fraction']}); provider 429s: "
                f"{result['provider_429s']}",
                flush=True,
            )
            time.sleep(WINDOW + 1)  # let the window empty between runs
    return report
