"""Time the organisation's Excel report against bare openpyxl writing the same sheets (issue 23).

    .venv/bin/python benchmarks/excel_report.py [--evaluations N] [--database-url URL] [--repeat R]

Builds a scratch database (a fresh SQLite file in a temporary folder, or an empty scratch database
at URL: its tables are dropped and created again) with benchmarks/report_data.py: 500 agents,
N evaluations over a year with comments and disputes, and their aggregates.

Then, in the same run, each timed in wall and CPU time (other jobs on the machine inflate only the
first), the fastest of R runs taken in turn:

- report: the organisation report for the year (`flask reports export --all`): every sheet, one
  row per evaluation, from the first query to the saved file;
- styled: openpyxl's write-only mode through its public API (`append`, `cell.value`) writing the
  same sheets, rows and columns from real rows read beforehand (so it reads no database), the
  Evaluations sheet's dates and scores in formatted cells. The goal's reference;
- values: the same with no style at all, the floor of what openpyxl needs.

Both openpyxl runs use the XML writer openpyxl chose (lxml's when installed). Then the report once
more with openpyxl's own pure-Python writer, what it used before lxml was installed: in a child
process started with OPENPYXL_LXML=False, the switch openpyxl reads when it is imported
(--skip-python-writer leaves it out). Last, each again under tracemalloc for its peak memory
(Python's allocations: lxml's own buffers are not traced).
"""

from __future__ import annotations

import argparse
import os
import subprocess
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

import openpyxl  # noqa: E402
from flask import Flask  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402
from report_data import AGENTS, YEAR, build, database_url, open_app  # noqa: E402  (beside us)

from qa_app.extensions import db  # noqa: E402
from qa_app.reports import services  # noqa: E402
from qa_app.reports.evaluation_chunks import read_evaluations  # noqa: E402
from qa_app.reports.evaluation_sheet import evaluation_rows, evaluations_table  # noqa: E402
from qa_app.xlsx.writer import SheetShape, write_report  # noqa: E402

GOAL_RATIO = 1.2  # issue 23: at most 1.2 times bare openpyxl write-only, with the same lxml


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


@dataclass(frozen=True)
class Sample:
    """Real rows of the Evaluations sheet, and the number format of each formatted column."""

    rows: list[tuple[Any, ...]]
    formats: dict[int, str]  # column index -> number format (the dates and the score)


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


def sample_rows(app: Flask, size: int = 1_000) -> Sample:
    """Real rows of the Evaluations sheet, read once before any clock starts."""
    with app.app_context():
        table = evaluations_table(read_evaluations(YEAR, None), with_agent=True)
        rows = iter(table.rows)
        sample = list(islice(rows, size))
        getattr(rows, "close", lambda: None)()
        db.session.rollback()
        db.engine.dispose()
    columns = enumerate(c.kind.number_format for c in table.columns)
    return Sample(sample, {i: fmt for i, fmt in columns if fmt != "General"})


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


def bare(shapes: list[SheetShape], sample: Sample, path: Path, styled: bool) -> Clock:
    """Seconds for write-only openpyxl to write the same sheets, rows and columns.

    Evaluations gets the sample's real rows again and again; the small sheets get numbers."""
    clock = Clock.start()
    workbook = Workbook(write_only=True)
    for shape in shapes:
        ws = workbook.create_sheet(shape.title)
        if shape.title == "Evaluations":
            _append_evaluations(ws, shape.rows, sample, styled)
            continue
        for n in range(shape.rows):
            ws.append([n * 0.5] * shape.columns)
    workbook.save(path)
    return clock.stop()


def _append_evaluations(ws: Any, count: int, sample: Sample, styled: bool) -> None:
    """Rows through the public API; styled, each formatted column's cell is made once, refilled."""
    cells = {}
    for index, number_format in sample.formats.items() if styled else ():
        cells[index] = WriteOnlyCell(ws)
        cells[index].number_format = number_format
    rows = sample.rows
    for n in range(count):
        row = list(rows[n % len(rows)])
        for index, cell in cells.items():
            if row[index] is not None:
                cell.value = row[index]
                row[index] = cell
        ws.append(row)


def timings(
    app: Flask, sample: Sample, folder: Path, repeat: int
) -> tuple[dict[str, Clock], list[SheetShape]]:
    """The fastest of `repeat` runs of each, taken in turn so that all see the same machine."""
    runs: dict[str, list[Clock]] = {"report": [], "styled": [], "values": []}
    for _ in range(repeat):
        clock, shapes = export(app, folder / "report.xlsx")
        runs["report"].append(clock)
        runs["styled"].append(bare(shapes, sample, folder / "styled.xlsx", styled=True))
        runs["values"].append(bare(shapes, sample, folder / "values.xlsx", styled=False))
    return {label: Clock.best(clocks) for label, clocks in runs.items()}, shapes


def python_writer(url: str, folder: Path) -> Clock:
    """One report written with openpyxl's pure-Python XML writer, in a child process."""
    command = [sys.executable, __file__, "--export-only", url, str(folder / "python.xlsx")]
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    # Our own interpreter running this script: nothing in the command comes from outside.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    wall, cpu = done.stdout.split()[-2:]
    return Clock(float(wall), float(cpu))


def export_only(url: str, path: Path) -> None:
    """The child's part: one report, its wall and CPU seconds printed last."""
    if openpyxl.LXML:
        raise SystemExit("OPENPYXL_LXML=False did not switch lxml off")
    clock, _ = export(open_app(url), path)
    print(f"{clock.wall:.3f} {clock.cpu:.3f}")


def peak(run: Any, *args: Any) -> int:
    """The largest traced allocation while `run` ran, in bytes."""
    tracemalloc.start()
    try:
        run(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _verdict(met: bool) -> str:
    return "met" if met else "missed"


def _print_times(shapes: list[SheetShape], folder: Path, times: dict[str, Clock]) -> None:
    cells = sum(s.rows * s.columns for s in shapes)
    sizes = ", ".join(f"{s.title} {s.rows:,}x{s.columns}" for s in shapes)
    print(f"sheets: {sizes} ({cells:,} cells)")
    for label, clock in times.items():
        mib = (folder / f"{label}.xlsx").stat().st_size / 2**20
        print(f"{label:>8}: {clock.wall:7.2f} s wall  {clock.cpu:7.2f} s CPU  {mib:6.1f} MiB file")
    report = times["report"]
    for label in ("styled", "values"):
        wall, cpu = report.wall / times[label].wall, report.cpu / times[label].cpu
        goal = f"goal <= {GOAL_RATIO} x: {_verdict(wall <= GOAL_RATIO)}"
        note = goal if label == "styled" else "(the floor, for reference)"
        print(f"report/{label}: {wall:5.2f} x wall  {cpu:5.2f} x CPU  {note}")


def _print_python_writer(report: Clock, python: Clock) -> None:
    print(
        f"{'python':>8}: {python.wall:7.2f} s wall  {python.cpu:7.2f} s CPU  (the report, one run)"
    )
    faster = report.wall < python.wall
    print(
        f"report/python: {report.wall / python.wall:5.2f} x wall  {report.cpu / python.cpu:5.2f} x"
        f" CPU  goal faster than today's pure-Python writer: {_verdict(faster)}"
    )


def _print_memory(peaks: dict[str, int]) -> None:
    for label, value in peaks.items():
        print(f"{label:>8}: {value / 2**20:7.1f} MiB peak traced memory")
    extra = (peaks["report"] - peaks["styled"]) / 2**20
    print(f"{'extra':>8}: {extra:7.1f} MiB over styled  (target: at most 50 MiB more)")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evaluations", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    parser.add_argument("--skip-python-writer", action="store_true", help="no pure-Python run")
    parser.add_argument("--export-only", nargs=2, help=argparse.SUPPRESS)  # the child: URL, path
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    if args.export_only:
        return export_only(args.export_only[0], Path(args.export_only[1]))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        app = build(args.database_url, folder, args.evaluations)
        took = time.perf_counter() - started
        print(f"data: {args.evaluations:,} evaluations of {AGENTS} agents, built in {took:.0f} s")
        print(f"openpyxl {openpyxl.__version__}, lxml writer: {openpyxl.LXML}")
        sample = sample_rows(app)
        times, shapes = timings(app, sample, folder, args.repeat)
        print(f"times: the fastest of {args.repeat} runs each, taken in turn")
        _print_times(shapes, folder, times)
        read = reading(app)
        print(f"{'of which':>8}: {read.wall:7.2f} s wall  {read.cpu:7.2f} s CPU  reading the rows")
        if not args.skip_python_writer:
            url = database_url(args.database_url, folder)
            _print_python_writer(times["report"], python_writer(url, folder))
        peaks = {
            "report": peak(export, app, folder / "report-mem.xlsx"),
            "styled": peak(bare, shapes, sample, folder / "styled-mem.xlsx", True),
        }
        _print_memory(peaks)


if __name__ == "__main__":
    main()
