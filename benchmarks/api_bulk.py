"""Time the API's bulk create against the file import of the same rows, in the same run.

    .venv/bin/python benchmarks/api_bulk.py [--rows N] [--batch N] [--database-url URL]

Both runs start from an empty database holding the same agents (a fresh SQLite file each, or the
scratch database a URL names: its tables are dropped and made again). The API run posts the rows
through the test client, `--batch` interactions a request (each request its own transaction),
with a read+write token of an admin; the file run imports one CSV of the same rows. Printed: the
rows, their size as JSON and as CSV, both times and their ratio (goal: at most 1.5 x), by the
wall clock and by this process's CPU time (steadier on a machine other programs keep busy: the
database is SQLite in the same process, so the CPU time holds the whole work).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_interactions import fresh_app, make_rows, run_import, write_csv  # noqa: E402

from qa_app.accounts.models import Role, User  # noqa: E402
from qa_app.api.services import create_token  # noqa: E402
from qa_app.extensions import db  # noqa: E402


def _token(app: Any) -> str:
    with app.app_context():
        admin = User(
            email="admin@bench.example.com",
            display_name="Admin",
            role=Role.ADMIN,
            password_hash="-",
        )
        db.session.add(admin)
        db.session.flush()
        _row, value = create_token(admin, "bench", can_write=True, expires_at=None)
        db.session.commit()
    return value


def _bodies(rows: int, batch: int) -> list[bytes]:
    """The requests' bodies, made before the clock starts."""
    items = list(make_rows(rows))
    return [
        json.dumps({"interactions": items[start : start + batch]}).encode()
        for start in range(0, rows, batch)
    ]


def run_api(app: Any, bodies: list[bytes]) -> tuple[float, float]:
    """Seconds (wall clock, and this process's CPU) to post every batch, each answered 201."""
    headers = {"Authorization": f"Bearer {_token(app)}", "Content-Type": "application/json"}
    client = app.test_client()
    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        response = client.post("/api/v1/interactions/bulk", data=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)[:500]
    seconds = (time.perf_counter() - started, time.process_time() - cpu)
    with app.app_context():
        db.engine.dispose()
    return seconds


def run_file(app: Any, path: Path) -> tuple[float, float]:
    """The file import's seconds: wall clock, and this process's CPU."""
    cpu = time.process_time()
    wall = run_import(app, path)
    return wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--database-url", help="an empty scratch database (default: SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "rows.csv"
        write_csv(csv_path, args.rows)
        bodies = _bodies(args.rows, args.batch)
        json_mib = sum(map(len, bodies)) / 2**20
        csv_mib = csv_path.stat().st_size / 2**20
        print(f"{args.rows:,} rows: {json_mib:.1f} MiB of JSON in {len(bodies)} requests, "
              f"{csv_mib:.1f} MiB of CSV")  # fmt: skip
        # Warm up first: the import hooks load word-form dictionaries once per process, which
        # would otherwise be charged to whichever run came first.
        warm = folder / "warm.csv"
        write_csv(warm, 10)
        run_import(fresh_app(args.database_url, folder, "warm"), warm)
        api_app = fresh_app(args.database_url, folder, "api")
        api_app.config.update(API_BULK_MAX_ITEMS=args.batch, API_RATE_LIMIT_PER_TOKEN="1000/second")
        api = run_api(api_app, bodies)
        imported = run_file(fresh_app(args.database_url, folder, "import"), csv_path)
        for label, (wall, cpu) in (("API bulk", api), ("file import", imported)):
            print(f"{label:>12}: {wall:7.2f} s  {args.rows / wall:8,.0f} rows/s  CPU {cpu:7.2f} s")
        # On a busy machine the wall clock also counts other programs; the CPU time does not.
        print(f"{'ratio':>12}: {api[0] / imported[0]:7.2f} x wall clock, "
              f"{api[1] / imported[1]:.2f} x CPU  (goal: at most 1.5 x)")  # fmt: skip


if __name__ == "__main__":
    main()
