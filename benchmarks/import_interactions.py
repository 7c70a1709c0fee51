"""Time the interaction import against a raw insert of the same rows, and show its memory is flat.

    .venv/bin/python benchmarks/import_interactions.py [--rows N] [--database-url URL]

Without --database-url every run gets a fresh SQLite file in a temporary folder. A URL must name an
empty scratch database: its tables are dropped and created again before every run.

Printed: the full import (read, check, batched insert, one transaction and its commit) beside a raw
batched executemany of the same rows into the same table (SQLAlchemy core, 1,000 rows a call), and
the import's peak traced memory for a small and a large file.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402

from config import TestingConfig  # noqa: E402
from qa_app import create_app  # noqa: E402
from qa_app.accounts.models import Role, User  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.interactions.models import Interaction  # noqa: E402
from qa_app.interactions.services import import_interactions  # noqa: E402
from qa_app.interactions.validation import COLUMNS  # noqa: E402

AGENTS = 500
BATCH = 1000
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
    """An app on an empty schema with the agents in it."""
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
        db.session.commit()
    return app


def run_import(app: Flask, path: Path) -> float:
    """Seconds for the whole import, commit included."""
    with app.app_context():
        started = time.perf_counter()
        with path.open("rb") as stream:
            report = import_interactions(stream, source_name=path.name, created_by=None)
        assert report.ok, report.lines()[:5]
        db.session.commit()
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


def run_raw(app: Flask, count: int) -> float:
    """Seconds for a batched executemany of prepared rows, in one transaction."""
    with app.app_context():
        found = db.session.execute(sa.select(User.email, User.id))
        agent_ids = {email: user_id for email, user_id in found}
        rows = table_rows(count, agent_ids)
        insert = sa.insert(Interaction.__table__)
        started = time.perf_counter()
        conn = db.session.connection()
        for start in range(0, len(rows), BATCH):
            conn.execute(insert, rows[start : start + BATCH])
        db.session.commit()
        seconds = time.perf_counter() - started
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big, small = folder / "big.csv", folder / "small.csv"
        write_csv(big, args.rows)
        small_rows = max(1, args.rows // 10)
        write_csv(small, small_rows)
        mib = big.stat().st_size / 2**20
        print(f"{args.rows:,} rows for {AGENTS} agents, {mib:.1f} MiB of CSV")
        imported = run_import(fresh_app(args.database_url, folder, "import"), big)
        raw = run_raw(fresh_app(args.database_url, folder, "raw"), args.rows)
        for label, seconds in (("import", imported), ("raw executemany", raw)):
            print(f"{label:>16}: {seconds:7.2f} s  {args.rows / seconds:10,.0f} rows/s")
        print(f"{'ratio':>16}: {imported / raw:7.2f} x  (target: at most 3 x)")
        for label, path, count in (("small", small, small_rows), ("large", big, args.rows)):
            peak = peak_memory(fresh_app(args.database_url, folder, f"mem-{label}"), path)
            print(f"{'peak memory':>16}: {peak / 2**20:7.1f} MiB importing {count:,} rows")


if __name__ == "__main__":
    main()
