"""Time `flask results check` and measure its memory at two data sizes, beside the old way.

    .venv/bin/python benchmarks/results_check.py [--sizes 10000,100000] [--agents N]
        [--unevaluated N] [--database-url URL] [--no-old]

For each size it builds the data of benchmarks/results_pages.py (N evaluations of ten criteria
over 52 weeks, UNEVALUATED interactions per evaluation nobody evaluated, then the aggregates) and
runs the check in a fresh child process, which reports the time, how much the process grew
(ru_maxrss after the check less before it: the database library's memory included) and the peak
of Python's own allocations (tracemalloc, in a second run). The reference is the check as it was
before (every row of each table and of its recomputation in Python sets), run the same way on the
same data. The goal: memory flat in the data. Without --database-url a fresh SQLite file in a
temporary folder is used; a URL must name an empty scratch database (its tables are dropped and
created for each size).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402

from benchmarks.results_pages import build  # noqa: E402
from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.results.verify import COMPARISONS, compare_all  # noqa: E402

METHODS = {"database": "in the database (EXCEPT)", "sets": "old: Python sets"}


def _plain(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{float(value):.4f}"
    return str(value)


def _python_sets(connection: Connection) -> int:
    """The check as it was: both sides of every table held in Python sets, then compared."""
    differing = 0
    for comparison in COMPARISONS:
        table = comparison.table
        kept_stmt = sa.select(*[table.c[name] for name in comparison.columns])
        kept = {tuple(map(_plain, row)) for row in connection.execute(kept_stmt)}
        fresh = {tuple(map(_plain, row)) for row in connection.execute(comparison.fresh)}
        differing += len(kept ^ fresh)
    return differing


def _in_database(connection: Connection) -> int:
    return sum(found.rows for found in compare_all(connection))


def _app(url: str) -> Any:
    return create_app(type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))


def _max_rss_mb() -> float:
    """The process's peak resident memory. ru_maxrss would carry the parent's peak over through
    fork and exec (Linux keeps it), so the memory map's own high-water mark is read when there."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB


def measure_here(url: str, method: str) -> dict[str, float]:
    """In a fresh process: run the check once timed, once under tracemalloc."""
    check = _in_database if method == "database" else _python_sets
    with _app(url).app_context(), db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1")).all()  # connected, modules loaded
        before = _max_rss_mb()
        began = time.perf_counter()
        differing = check(connection)
        seconds = time.perf_counter() - began
        grown = _max_rss_mb() - before
        tracemalloc.start()
        check(connection)
        python_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"seconds": seconds, "grown": grown, "python": python_peak, "differing": differing}


def _child(url: str, method: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", method, "--database-url", url]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def _build(url: str, evaluations: int, agents: int, unevaluated: int) -> str:
    with _app(url).app_context():
        db.drop_all()
        db.create_all()
        began = time.perf_counter()
        build(evaluations, agents, unevaluated)
        rows = {
            c.table.description: db.session.scalar(sa.select(sa.func.count()).select_from(c.table))
            for c in COMPARISONS
        }
        dialect = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    kept = ", ".join(f"{table} {count:,}" for table, count in rows.items())
    return (
        f"{evaluations:,} evaluations ({evaluations * unevaluated:,} more interactions), {dialect}; "
        f"kept rows: {kept}; built in {time.perf_counter() - began:.0f} s"
    )


def _line(method: str, figures: dict[str, float]) -> str:
    return (
        f"  {METHODS[method]:<26} {figures['seconds']:7.2f} s | process grew "
        f"{figures['grown']:7.1f} MB | Python peak {figures['python']:7.1f} MB | "
        f"{int(figures['differing'])} rows differ"
    )


def run(args: argparse.Namespace, url: str) -> None:
    methods = ["database"] if args.no_old else ["database", "sets"]
    results: dict[int, dict[str, dict[str, float]]] = {}
    for size in args.sizes:
        print("data:", _build(url, size, args.agents, args.unevaluated), flush=True)
        results[size] = {method: _child(url, method) for method in methods}
        for method in methods:
            print(_line(method, results[size][method]), flush=True)
        if "sets" in results[size]:
            ours, old = results[size]["database"], results[size]["sets"]
            print(
                f"  database / old: time {ours['seconds'] / old['seconds']:.2f}x, "
                f"process growth {ours['grown'] / max(old['grown'], 0.1):.3f}x"
            )
    small, large = (results[size]["database"] for size in (args.sizes[0], args.sizes[-1]))
    flat = (
        large["python"] <= small["python"] * 1.5 + 1 and large["grown"] <= small["grown"] * 1.5 + 10
    )
    print(
        f"goal: memory flat in the data ({args.sizes[-1] / args.sizes[0]:.0f}x the evaluations: "
        f"Python peak {small['python']:.1f} -> {large['python']:.1f} MB, process growth "
        f"{small['grown']:.1f} -> {large['grown']:.1f} MB; within 1.5x + 1 MB and 1.5x + 10 MB): "
        f"{'met' if flat else 'missed'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="two or more evaluation counts")
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--unevaluated", type=int, default=1, help="per evaluation")
    parser.add_argument("--database-url")
    parser.add_argument("--no-old", action="store_true", help="skip the old Python-set check")
    parser.add_argument("--measure", choices=list(METHODS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the child process
        print(json.dumps(measure_here(args.database_url, args.measure)))
        return
    args.sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        run(args, args.database_url or f"sqlite:///{folder}/bench.db")


if __name__ == "__main__":
    main()
