"""``python -m bench [name ...]``: run the named benchmarks (all when none is named)."""

import argparse
import json
import os
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# status_sync's simulated minutes per number of organisations (bench/status_sync.py).
DEFAULT_MINUTES = {100: 240, 1000: 240, 5000: 60}
BENCHMARKS = {
    "catalogue": "bench.catalogue",
    "ratelimit": "bench.ratelimit",
    "history": "bench.history",  # needs DATABASE_URL (PostgreSQL); runs its own gunicorn
    "status_sync": "bench.status_sync",  # simulated clock, real schedule and database
    # needs DATABASE_URL (PostgreSQL) and REDIS_URL; runs a sandbox and a Celery worker
    "kill_drill": "bench.kill_drill",
    # needs DATABASE_URL (PostgreSQL) and REDIS_URL; runs a sandbox and two Celery workers
    "order_burst": "bench.order_burst",
    "performance": "bench.performance",  # needs DATABASE_URL (PostgreSQL)
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        choices=[[], *BENCHMARKS],
        metavar="name",
        help=f"one or more of: {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds, shorter runs")
    parser.add_argument("--kills", type=int, default=None, help="kill_drill: SIGKILLs (100)")
    parser.add_argument(
        "--orgs",
        type=int,
        nargs="+",
        default=None,
        help="status_sync: only these numbers of organisations (others keep their figures)",
    )
    parser.add_argument(
        "--minutes", type=int, default=None, help="status_sync: simulated minutes per size"
    )
    args = parser.parse_args(argv)
    if args.orgs:
        os.environ["STATUS_SYNC_SIZES"] = ",".join(
            f"{orgs}:{args.minutes or DEFAULT_MINUTES.get(orgs, 60)}" for orgs in args.orgs
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    from importlib import import_module

    RESULTS.mkdir(exist_ok=True)
    for name in args.names or list(BENCHMARKS):
        print(f"== {name} ==", flush=True)
        options = {"kills": args.kills} if name == "kill_drill" else {}
        result = import_module(BENCHMARKS[name]).run(quick=args.quick, **options)
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        print(f"   (written to {shown})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
