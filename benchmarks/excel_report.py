"""Time the organisation's Excel report against openpyxl writing the same cells with no formatting.

    .venv/bin/python benchmarks/excel_report.py [--evaluations N] [--database-url URL]

Builds a scratch database (a fresh SQLite file in a temporary folder, or an empty scratch database
at URL: its tables are dropped and created again) with benchmarks/report_data.py: 500 agents,
N evaluations over a year with comments and disputes, and their aggregates.

Then, in the same run: the organisation report (`flask reports export --all` for the year: every
sheet, one row per evaluation), and openpyxl's write-only mode writing the same number of rows and
columns per sheet, without styles, from rows made beforehand (so it reads no database). Each is
timed (wall and CPU time: other jobs on the machine inflate only the first), then run again under
tracemalloc for its peak memory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from report_data import AGENTS, YEAR, build  # noqa: E402  (beside this script)

from qa_app.extensions import db  # noqa: E402
from qa_app.reports import services  # noqa: E402
from qa_app.reports.evaluation_chunks import read_evaluations  # noqa: E402
from qa_app.reports.evaluation_sheet import evaluation_rows  # noqa: E402
from qa_app.xlsx.writer import SheetShape, write_report  # noqa: E402


@dataclass(frozen=True)
class Clock:
    """Wall time, and this process's CPU time (which other jobs on the machine do not inflate)."""

    wall: float
    cpu: float

    @classmethod
    def start(cls) -> Clock:
        return cls(time.perf_counter(), time.process_time())

    def stop(self) -> Clock:
        return Clock(time.perf_counter() - self.wall, time.process_time() - self.cpu)

    @staticmethod
    def best(clocks: list[Clock]) -> Clock:
        return Clock(min(c.wall for c in clocks), min(c.cpu for c in clocks))


def export(app: Flask, path: Path) -> tuple[Clock, list[SheetShape]]:
    """Seconds for the organisation report, from the first query to the saved file."""
    with app.app_context():
        clock = Clock.start()
        report = services.organisation_export(YEAR, "Benchmark", agent_sheets=False)
        shapes = write_report(report.report, path)
        clock = clock.stop()
        db.session.rollback()
        db.engine.dispose()
    return clock, shapes


def sample_rows(app: Flask, size: int = 1_000) -> list[tuple[Any, ...]]:
    """Real rows of the Evaluations sheet, read once before any clock starts."""
    with app.app_context():
        rows = list(islice(evaluation_rows(read_evaluations(YEAR, None), with_agent=True), size))
        db.session.rollback()
        db.engine.dispose()
    return rows


def reading(app: Flask) -> Clock:
    """Seconds to read every row of the Evaluations sheet without writing it: the database's share."""
    with app.app_context():
        clock = Clock.start()
        for _ in evaluation_rows(read_evaluations(YEAR, None), with_agent=True):
            pass
        clock = clock.stop()
        db.session.rollback()
        db.engine.dispose()
    return clock


def plain(shapes: list[SheetShape], sample: list[tuple[Any, ...]], path: Path) -> Clock:
    """Seconds for write-only openpyxl to write the same rows x columns with no styles at all."""
    clock = Clock.start()
    workbook = Workbook(write_only=True)
    for shape in shapes:
        ws = workbook.create_sheet(shape.title)
        wide = shape.title == "Evaluations"  # real rows there; numbers on the small sheets
        for n in range(shape.rows):
            ws.append(sample[n % len(sample)] if wide else [n * 0.5] * shape.columns)
    workbook.save(path)
    return clock.stop()


def timings(
    app: Flask, sample: list[tuple[Any, ...]], folder: Path, repeat: int
) -> tuple[Clock, Clock, list[SheetShape]]:
    """The fastest of `repeat` runs of each, taken in turn so that both see the same machine."""
    reports, plains = [], []
    for _ in range(repeat):
        clock, shapes = export(app, folder / "report.xlsx")
        reports.append(clock)
        plains.append(plain(shapes, sample, folder / "plain.xlsx"))
    return Clock.best(reports), Clock.best(plains), shapes


def peak(run: Any, *args: Any) -> int:
    """The largest traced allocation while `run` ran, in bytes."""
    tracemalloc.start()
    try:
        run(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _print_times(shapes: list[SheetShape], folder: Path, times: dict[str, Clock]) -> None:
    cells = sum(s.rows * s.columns for s in shapes)
    sizes = ", ".join(f"{s.title} {s.rows:,}x{s.columns}" for s in shapes)
    print(f"sheets: {sizes} ({cells:,} cells)")
    for label, clock in times.items():
        mib = (folder / f"{label}.xlsx").stat().st_size / 2**20
        print(f"{label:>8}: {clock.wall:7.2f} s wall  {clock.cpu:7.2f} s CPU  {mib:6.1f} MiB file")
    report, plain = times["report"], times["plain"]
    wall, cpu = report.wall / plain.wall, report.cpu / plain.cpu
    print(f"{'ratio':>8}: {wall:7.2f} x wall  {cpu:7.2f} x CPU  (target: at most 1.2 x)")


def _print_memory(peaks: dict[str, int]) -> None:
    for label, value in peaks.items():
        print(f"{label:>8}: {value / 2**20:7.1f} MiB peak traced memory")
    extra = (peaks["report"] - peaks["plain"]) / 2**20
    print(f"{'extra':>8}: {extra:7.1f} MiB  (target: at most 50 MiB more)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        app = build(args.database_url, folder, args.evaluations)
        took = time.perf_counter() - started
        print(f"data: {args.evaluations:,} evaluations of {AGENTS} agents, built in {took:.0f} s")
        sample = sample_rows(app)
        report_s, plain_s, shapes = timings(app, sample, folder, args.repeat)
        print(f"times: the fastest of {args.repeat} runs each, taken in turn")
        _print_times(shapes, folder, {"report": report_s, "plain": plain_s})
        read = reading(app)
        print(f"{'of which':>8}: {read.wall:7.2f} s wall  {read.cpu:7.2f} s CPU  reading the rows")
        peaks = {
            "report": peak(export, app, folder / "report-mem.xlsx"),
            "plain": peak(plain, shapes, sample, folder / "plain-mem.xlsx"),
        }
        _print_memory(peaks)


if __name__ == "__main__":
    main()
