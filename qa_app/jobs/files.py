"""Files a job reads (an upload saved for it) and makes for its owner to download (a written
report), and their retention.

An upload is kept under JOB_FILES_DIR with a random name of ours until its job ends.

A job that makes a file writes it under JOB_FILES_DIR with a random name of ours and says so in
its result: `{"file": {"token", "name", "mimetype"}}` (see `describe`). Only the job's owner may
download it; it is deleted JOB_FILE_RETENTION_HOURS after it was written, downloaded or not
(docs/jobs.md).
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path
from typing import IO, Any

from flask import current_app

from .models import Job, JobState

RESULT_SUFFIX = ".result"
UPLOAD_SUFFIX = ".upload"


def _folder() -> Path:
    return Path(current_app.config["JOB_FILES_DIR"])


def _retention_seconds() -> float:
    return float(current_app.config["JOB_FILE_RETENTION_HOURS"]) * 3600


def new_file() -> tuple[str, Path]:
    """A fresh token and the path it names, for a job to write its file to."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_hex(16)
    return token, folder / f"{token}{RESULT_SUFFIX}"


def describe(token: str, name: str, mimetype: str) -> dict[str, str]:
    """What a job's result says about its file; `name` is the download name we built."""
    return {"token": token, "name": name, "mimetype": mimetype}


def _path(result: dict[str, Any] | None) -> Path | None:
    token = str(((result or {}).get("file") or {}).get("token", ""))
    if not token.isalnum():  # also refuses an empty token: never a path from elsewhere
        return None
    return _folder() / f"{token}{RESULT_SUFFIX}"


def _expired(path: Path, now: float) -> bool:
    return now - path.stat().st_mtime >= _retention_seconds()


def kept_file(job: Job) -> Path | None:
    """The finished job's file while it is kept; None when there is none or it has expired."""
    path = _path(job.result) if job.state == JobState.DONE else None
    if path is None or not path.is_file():
        return None
    if _expired(path, time.time()):
        path.unlink(missing_ok=True)
        return None
    return path


def discard(result: dict[str, Any] | None) -> None:
    """Delete the file a result names (a job that did not end done keeps none)."""
    path = _path(result)
    if path is not None:
        path.unlink(missing_ok=True)


def sweep_files() -> int:
    """Delete the job files older than the retention time; how many were deleted."""
    folder = _folder()
    if not folder.is_dir():
        return 0
    now, deleted = time.time(), 0
    for path in folder.glob(f"*{RESULT_SUFFIX}"):
        try:
            if _expired(path, now):
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # deleted by another sweep meanwhile
            continue
    return deleted


def upload_path(params: dict[str, Any]) -> Path:
    """Where a job's uploaded file is kept: a random name of ours, never the user's."""
    token = str(params.get("upload", ""))
    if not token.isalnum():
        raise ValueError("a job's upload token must be letters and digits")
    return _folder() / f"{token}{UPLOAD_SUFFIX}"


def save_upload(stream: IO[bytes]) -> str:
    """Copy an uploaded file under instance/; returns the token that names it."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_hex(16)
    with (folder / f"{token}{UPLOAD_SUFFIX}").open("xb") as out:
        shutil.copyfileobj(stream, out)
    return token


def discard_upload(params: dict[str, Any]) -> None:
    if params.get("upload"):
        upload_path(params).unlink(missing_ok=True)
