"""The command line of the benchmarks that seed their own PostgreSQL database
(``python -m bench.history``, ``python -m bench.performance``): quick, keep and reuse the
database, then the report and the results file."""

import argparse
import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def seeded_bench_main(
    *, name, description, bench_db, run, report, argv=None, quick_help="fewer requests"
) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}", description=description)
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--keep", action="store_true", help=f"keep the {bench_db} database")
    parser.add_argument("--reuse", action="store_true", help="use the database --keep left")
    args = parser.parse_args(argv)
    print(f"== {name} ==", flush=True)
    result = run(quick=args.quick, keep=args.keep or args.reuse, reuse=args.reuse)
    report(result)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"   (written to {path})")
    return 0
