"""``python -m bench [name ...]``: run the named benchmarks (all when none is named)."""

import argparse
import json
import os
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = {
    "catalogue": "bench.catalogue",
    "ratelimit": "bench.ratelimit",
    "history": "bench.history",  # needs DATABASE_URL (PostgreSQL); runs its own gunicorn
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
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    from importlib import import_module

    RESULTS.mkdir(exist_ok=True)
    for name in args.names or list(BENCHMARKS):
        print(f"== {name} ==", flush=True)
        result = import_module(BENCHMARKS[name]).run(quick=args.quick)
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(result, indent=2) + "\n")
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        print(f"   (written to {shown})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
