"""Time the interaction import against two plain inserts of the same rows; show memory is flat.

    .venv/bin/python benchmarks/import_interactions.py [--rows N] [--database-url URL] [--repeat N]
        [--hooks]

Without --database-url every run gets a fresh SQLite file in a temporary folder. A URL must name an
empty scratch database: its tables are dropped and created again before every run. Its 500
agents are in 50 teams, so the import counts the teams' customer sums as an organisation's does.

Printed, for the same rows in the same run:
- the import: read the CSV, check every row, find the ids already stored (one query a batch),
  insert in batches, count the per-agent-day aggregates, ANALYZE after a big load, commit. The
  hooks other slices run after an import (Auto QA pre-scoring, signals) are OFF: they are their
  slices' work, not the import's; --hooks times one more import with them on, into a database
  with the shipped scorecard templates published (so Auto QA scores every channel), and prints
  each hook's own time beside the import's (the word-form dictionaries loaded before, as the
  worker does); the hooks run after the import's commit, as the app runs them. It also prints how long an evaluation submission for one of the import's agents
  waited meanwhile: every PROBE_SECONDS a second connection takes that submission's locks and
  lets go, in a transaction of its own. On PostgreSQL these are its agent's period rows, whose
  team the agent is in and the team's rows, without the app's lock timeout; on SQLite the
  database's write lock (BEGIN IMMEDIATE), giving up after the app's busy timeout.
- SQLAlchemy Core: a batched executemany of prepared dict rows (1,000 rows a call).
- the driver's own ``cursor.executemany`` of prepared tuples (sqlite3 or psycopg) into the same
  table, in one transaction: the honest floor. The import writes no child table (turns are a
  JSON column of interactions). On PostgreSQL, COPY is printed as a further floor.
- each timing: the fastest of --repeat runs (3), after a warm-up import of the small file.
- the ratios, the goal "at most 3x the driver's executemany", rows/s, and the import's peak
  traced memory for a file ten times smaller and for the whole file (flat: at most 1.5x; give
  --rows 20000 or more, so that the small file fills a few batches of 1,000 rows).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, Team, User, team_members  # noqa: E402
from qa_app.bulk import Batches  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.hooks import IMPORT_HOOKS, ImportHook  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.interactions.services import after_import, import_interactions  # noqa: E402
from qa_app.interactions.validation import COLUMNS  # noqa: E402

AGENTS = 500
TEAMS = 50  # every agent in one, as in a real organisation: the import counts the teams' sums
BATCH = 1000
GOAL = 3.0  # the import at most this many times the driver's own executemany
PROBE_SECONDS = 0.1  # how often the submission's locks are taken during the import with hooks
FLAT = 1.5  # peak memory for ten times the rows at most this many times the small file's
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
PHRASES = [
    "Good morning, how can I help you today?",
    "Καλημέρα, θα ήθελα να ρωτήσω για τον λογαριασμό μου.",
    "Jó napot! A számlámmal kapcsolatban telefonálok.",
    "Bună ziua, comanda mea nu a sosit încă.",
    "I have checked your account and the refund is on its way.",
]


def agent_email(n: int) -> str:
    return f"agent{n:04}@bench.example.com"


def make_rows(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Believable interactions: a few lines of transcript, metrics on most rows."""
    rnd = random.Random(seed)
    for n in range(count):
        lines = [f"{'Agent' if i % 2 else 'Customer'}: {rnd.choice(PHRASES)}" for i in range(6)]
        yield {
            "external_id": f"BENCH-{n:08}",
            "channel": rnd.choice(("call", "chat", "email")),
            "agent_email": agent_email(rnd.randrange(AGENTS)),
            "occurred_at": (START + timedelta(seconds=n * 37)).isoformat(),
            "duration_seconds": rnd.randrange(30, 1800),
            "language": rnd.choice(("en", "el", "hu", "ro")),
            "customer_ref": f"CUST-{rnd.randrange(100_000):06}",
            "subject": rnd.choice(PHRASES)[:40],
            "transcript": "\n".join(lines),
            "recording_url": f"https://recordings.example.com/{n}.mp3",
            "csat": rnd.randint(1, 5),
            "nps": rnd.randint(0, 10),
            "ces": rnd.randint(1, 7),
            "first_contact_resolved": rnd.choice(("yes", "no", "")),
            "handle_seconds": rnd.randrange(60, 2400),
        }


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(make_rows(count))


def fresh_app(url: str | None, folder: Path, name: str) -> Flask:
    """An app on an empty schema with the agents in it, each in one of TEAMS teams."""
    url = url or f"sqlite:///{folder / f'{name}.db'}"
    app = create_app(type("Bench", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        db.drop_all()
        db.create_all()
        agents = [
            {
                "email": agent_email(n),
                "display_name": f"Agent {n}",
                "role": Role.AGENT,
                "password_hash": "-",
                "is_active": True,
                "session_version": 1,
            }
            for n in range(AGENTS)
        ]
        db.session.execute(sa.insert(User), agents)
        teams = [{"name": f"Team {n}", "created_at": datetime.now(UTC)} for n in range(TEAMS)]
        db.session.execute(sa.insert(Team), teams)
        team_ids = list(db.session.scalars(sa.select(Team.id).order_by(Team.id)))
        members = [
            {"team_id": team_ids[n % TEAMS], "agent_id": agent_id}
            for n, agent_id in enumerate(db.session.scalars(sa.select(User.id).order_by(User.id)))
        ]
        db.session.execute(sa.insert(team_members), members)
        db.session.commit()
    return app


@contextmanager
def hooks(on: bool) -> Iterator[list[str]]:
    """The other slices' import hooks, left registered or taken away for the run."""
    saved = dict(IMPORT_HOOKS)
    if not on:
        IMPORT_HOOKS.clear()
    try:
        yield list(IMPORT_HOOKS)
    finally:
        IMPORT_HOOKS.clear()
        IMPORT_HOOKS.update(saved)


def run_import(app: Flask, path: Path, with_hooks: bool = False) -> float:
    """Seconds for the whole import, commit included (and the hooks after it, when on)."""
    with app.app_context(), hooks(with_hooks):
        started = time.perf_counter()
        with path.open("rb") as stream:
            report = import_interactions(stream, source_name=path.name, created_by=None)
        assert report.ok, report.lines()[:5]
        db.session.commit()
        after_import(report)  # nothing when the hooks are off
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds


def table_rows(count: int, agent_ids: dict[str, int]) -> list[dict[str, Any]]:
    """The same rows as table values, prepared before the clock starts."""
    created = datetime.now(UTC)
    rows = []
    for values in make_rows(count):
        resolved = values["first_contact_resolved"]
        rows.append(
            {
                **{k: values[k] for k in COLUMNS if k not in ("agent_email", "transcript")},
                "agent_id": agent_ids[values["agent_email"]],
                "occurred_at": datetime.fromisoformat(values["occurred_at"]),
                "transcript_text": values["transcript"],
                "transcript_turns": None,
                "first_contact_resolved": None if not resolved else resolved == "yes",
                "import_batch_id": None,
                "import_row": None,
                "created_at": created,
            }
        )
    return rows


def agents() -> dict[str, int]:
    found = db.session.execute(sa.select(User.email, User.id))
    return {email: user_id for email, user_id in found}


def run_core(app: Flask, count: int) -> float:
    """Seconds for SQLAlchemy Core's batched executemany of prepared dict rows, one transaction."""
    with app.app_context():
        rows = table_rows(count, agents())
        insert = sa.insert(Interaction.__table__)
        started = time.perf_counter()
        conn = db.session.connection()
        for start in range(0, len(rows), BATCH):
            conn.execute(insert, rows[start : start + BATCH])
        db.session.commit()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return seconds


def driver_tuples(rows: list[dict[str, Any]], sqlite: bool) -> list[tuple[Any, ...]]:
    """The rows as the driver takes them: SQLite stores timestamps as SQLAlchemy's UTC text."""

    def moment(value: datetime) -> Any:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else value

    return [
        tuple(moment(v) if isinstance(v, datetime) else v for v in row.values()) for row in rows
    ]


def run_driver(app: Flask, count: int, copy: bool = False) -> float:
    """Seconds for the driver's own executemany of prepared tuples (or COPY), one transaction."""
    with app.app_context():
        rows = table_rows(count, agents())
        sqlite = db.engine.dialect.name == "sqlite"
        names = ", ".join(rows[0])
        marks = ", ".join(["?" if sqlite else "%s"] * len(rows[0]))
        tuples = driver_tuples(rows, sqlite)
        db.session.rollback()  # ends the read that holds SQLite's write lock
        raw = db.engine.raw_connection()
        try:
            cursor = raw.driver_connection.cursor()
            started = time.perf_counter()
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")  # the app's connections start no transaction
            if copy:
                with cursor.copy(f"COPY interactions ({names}) FROM STDIN") as stream:
                    for values in tuples:
                        stream.write_row(values)
            else:
                sql = f"INSERT INTO interactions ({names}) VALUES ({marks})"  # noqa: S608
                for start in range(0, len(tuples), BATCH):
                    cursor.executemany(sql, tuples[start : start + BATCH])
            raw.driver_connection.commit()
            seconds = time.perf_counter() - started
        finally:
            raw.close()
        db.engine.dispose()
    return seconds


def peak_memory(app: Flask, path: Path) -> int:
    """The largest traced allocation during an import, in bytes."""
    tracemalloc.start()
    try:
        run_import(app, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def line(label: str, seconds: float, rows: int, note: str = "") -> None:
    print(f"{label:>28}: {seconds:7.2f} s {rows / seconds:10,.0f} rows/s  {note}".rstrip())


def met(ok: bool) -> str:
    return "met" if ok else "missed"


def best(args: argparse.Namespace, folder: Path, run: Callable[[Flask], float]) -> float:
    """The fastest of --repeat runs, each on a fresh database (the least disturbed by others)."""
    return min(run(fresh_app(args.database_url, folder, "run")) for _ in range(args.repeat))


def timings(args: argparse.Namespace, big: Path, small: Path, folder: Path) -> None:
    url, rows = args.database_url, args.rows
    run_import(fresh_app(url, folder, "warm-up"), small)  # the process's one-off set-up costs
    imported = best(args, folder, lambda app: run_import(app, big))
    core = best(args, folder, lambda app: run_core(app, rows))
    driver = best(args, folder, lambda app: run_driver(app, rows))
    ratio = imported / driver
    line("import (hooks off)", imported, rows)
    line("SQLAlchemy Core, dict rows", core, rows, f"import / core   = {imported / core:5.2f} x")
    line("driver executemany, tuples", driver, rows, f"import / driver = {ratio:5.2f} x")
    if url and url.startswith("postgresql"):
        copied = best(args, folder, lambda app: run_driver(app, rows, copy=True))
        note = f"import / COPY   = {imported / copied:5.2f} x"
        line("driver COPY (further floor)", copied, rows, note)
    print(f"goal <= {GOAL:g}x of driver executemany: {met(ratio <= GOAL)} ({ratio:.2f} x)")
    if args.hooks:
        app, spent = published_app(url, folder), {}
        waits: list[float] = []
        with hooks(True) as names, timed_hooks(spent), submission_waits(app, url, waits):
            on = run_import(app, big, with_hooks=True)
        line("import, hooks on", on, rows, f"({', '.join(names)}; not part of the goal)")
        if waits:
            give_up = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
            print(
                f"{'a submission meanwhile':>28}: waited at most {max(waits):7.2f} s for its "
                f"locks ({len(waits)} tries, {sum(w > 1 for w in waits)} over a second, "
                f"{sum(w >= give_up for w in waits)} gave up; the app gives up after {give_up:g} s)"
            )
        for name, seconds in spent.items():
            line(
                f"{name} hook",
                seconds,
                rows,
                f"hook / import (hooks off) = {seconds / imported:5.2f} x",
            )


def published_app(url: str | None, folder: Path) -> Flask:
    """fresh_app() with the shipped templates published, and the hooks' dictionaries loaded."""
    from qa_app.interactions.hooks import prepare_import_hooks
    from qa_app.scorecards.schema import list_shipped_templates, load_shipped_template
    from qa_app.scorecards.services import import_doc

    app = fresh_app(url, folder, "hooks")
    with app.app_context():
        for path in list_shipped_templates():
            import_doc(load_shipped_template(path), None, publish_now=True)
        db.session.commit()
        prepare_import_hooks()
    return app


@contextmanager
def timed_hooks(spent: dict[str, float]) -> Iterator[None]:
    """Each registered hook timed into ``spent`` by name (inside hooks(True))."""

    def timed(name: str, hook: ImportHook) -> ImportHook:
        def run(batch_id: int, batches: Batches) -> object:
            started = time.perf_counter()
            try:
                return hook(batch_id, batches)
            finally:
                spent[name] = time.perf_counter() - started

        return run

    for name, hook in list(IMPORT_HOOKS.items()):
        IMPORT_HOOKS[name] = timed(name, hook)
    yield


@contextmanager
def submission_waits(app: Flask, url: str | None, waits: list[float]) -> Iterator[None]:
    """While the block runs, every PROBE_SECONDS, take the locks an evaluation submission for the
    first agent takes and put each wait in seconds into `waits`: on PostgreSQL its agent's and
    team's result locks, on SQLite the database's write lock (BEGIN IMMEDIATE, waiting up to the
    app's busy timeout; a try that gives up counts that long)."""
    stop = threading.Event()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            probe = _sqlite_probe(str(db.engine.url.database), app, stop, waits)
        else:
            probe = _postgresql_probe(app, stop, waits)
        db.session.remove()
    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _sqlite_probe(
    path: str, app: Flask, stop: threading.Event, waits: list[float]
) -> Callable[[], None]:
    timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000

    def probe() -> None:
        while not stop.wait(PROBE_SECONDS):
            other = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            began = time.perf_counter()
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
            except sqlite3.OperationalError:  # "database is locked": the submission gave up
                pass
            finally:
                waits.append(time.perf_counter() - began)
                other.close()

    return probe


def _postgresql_probe(app: Flask, stop: threading.Event, waits: list[float]) -> Callable[[], None]:
    from qa_app.database import take_turns
    from qa_app.results.families import STATS
    from qa_app.results.rollups import lock_names
    from qa_app.results.team_rollups import team_locks

    agent_id, team_id = db.session.execute(
        sa.select(team_members.c.agent_id, team_members.c.team_id)
        .order_by(team_members.c.agent_id)
        .limit(1)
    ).one()

    def probe() -> None:
        with app.app_context():
            while not stop.wait(PROBE_SECONDS):
                with db.engine.connect() as other:
                    other.exec_driver_sql("SET LOCAL lock_timeout = 0")
                    began = time.perf_counter()
                    take_turns(other, *lock_names([STATS], [(agent_id, START.date())]))
                    take_turns(other, *team_locks([team_id]))
                    waits.append(time.perf_counter() - began)
                    other.rollback()

    return probe


def memory(args: argparse.Namespace, files: list[tuple[Path, int]], folder: Path) -> None:
    peaks = []
    for label, (path, count) in zip(("small", "large"), files, strict=True):
        peak = peak_memory(fresh_app(args.database_url, folder, f"mem-{label}"), path)
        peaks.append(peak)
        print(f"{'peak memory':>28}: {peak / 2**20:7.1f} MiB importing {count:,} rows")
    growth = peaks[1] / peaks[0]
    print(
        f"goal memory flat (<= {FLAT:g}x for 10x the rows): {met(growth <= FLAT)} ({growth:.2f} x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the fastest counts")
    parser.add_argument("--hooks", action="store_true", help="also time an import with hooks on")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big, small = folder / "big.csv", folder / "small.csv"
        write_csv(big, args.rows)
        small_rows = max(1, args.rows // 10)
        write_csv(small, small_rows)
        mib = big.stat().st_size / 2**20
        where = "PostgreSQL" if args.database_url else "SQLite (temporary file)"
        load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
        print(
            f"{args.rows:,} rows for {AGENTS} agents in {TEAMS} teams, {mib:.1f} MiB of CSV, {where}"
        )
        print(f"load average before the run: {load} on {os.cpu_count()} CPUs")
        timings(args, big, small, folder)
        memory(args, [(small, small_rows), (big, args.rows)], folder)


if __name__ == "__main__":
    main()
