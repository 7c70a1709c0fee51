"""Backup and restore for SQLite (online backup API) and PostgreSQL (pg_dump / pg_restore).

Both write to a temporary file first and rename it into place, so a crash never leaves a
half-written backup or database under the final name. See docs/deploy.md.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL

from ..extensions import db


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temporary path in the target's folder (same file system: the rename is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _sqlite_path(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with SQLite's backup API: one consistent snapshot, even while others write."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
        problems = dst.execute("PRAGMA integrity_check").fetchall()
    if problems != [("ok",)]:
        raise BackupError(f"The copy fails SQLite's integrity check: {problems[:3]}")


def backup_database(file: Path) -> None:
    """Write a consistent backup of the app's database to `file`."""
    url = db.engine.url
    file = file.resolve()
    with _temporary_beside(file) as temporary:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(_sqlite_path(url), temporary)
        elif url.get_backend_name() == "postgresql":
            _run_pg("pg_dump", url, ["--format=custom", "--no-owner", f"--file={temporary}"])
        else:
            raise BackupError(f"No backup method for {url.get_backend_name()}.")
        os.replace(temporary, file)


def restore_database(file: Path) -> None:
    """Replace the app's database with the backup in `file` (the app must be stopped)."""
    if not file.is_file():
        raise BackupError(f"No backup file at {file}.")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old database open
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(file.resolve(), _sqlite_path(url).resolve())
    elif url.get_backend_name() == "postgresql":
        args = ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(file)]
        _run_pg("pg_restore", url, args)
    else:
        raise BackupError(f"No restore method for {url.get_backend_name()}.")


def _restore_sqlite(file: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    with _temporary_beside(database) as temporary:
        _sqlite_copy(file, temporary)
        if database.exists():
            # Fold the write-ahead log into the old file, then drop it: a leftover -wal file
            # would otherwise be replayed into the restored database.
            with closing(sqlite3.connect(database)) as old:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, database)


def _pg_tool(name: str) -> str:
    """The pg_dump/pg_restore of the server's major version (an older one refuses to dump)."""
    with db.engine.connect() as connection:
        major = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"{name} (PostgreSQL {major}) was not found: install the client tools.")


def _run_pg(name: str, url: URL, args: list[str]) -> None:
    """Run a PostgreSQL client tool; the password goes through the environment, never argv."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    command = [_pg_tool(name), f"--dbname={url.database}"]
    if url.host:
        command.append(f"--host={url.host}")
    if url.port:
        command.append(f"--port={url.port}")
    if url.username:
        command.append(f"--username={url.username}")
    command += ["--no-password", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip()}")
