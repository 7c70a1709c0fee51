"""Helpers for the job tests: uploads that become jobs, a job's row, a worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.jobs.models import Job, JobState

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    """Every upload becomes a job; uploads are kept in a folder of the test's own."""
    return {"IMPORT_JOB_THRESHOLD_BYTES": 0, "JOB_FILES_DIR": str(tmp_path / "job-files")}


@pytest.fixture
def job_row(app) -> Callable[[int], Job]:
    def read(job_id: int) -> Job:
        with app.app_context():
            job = db.session.get(Job, job_id)
            assert job is not None
            db.session.expunge(job)
        return job

    return read


def only_job_id(app) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(Job.id)))


def wait_for(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def start_worker(app, *args: str, script: str | None = None) -> subprocess.Popen[bytes]:
    """A worker in its own process, on the test's database and queue file."""
    env = {
        **os.environ,
        "QA_ENV": "development",
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "JOBS_QUEUE_FILE": app.config["JOBS_QUEUE_FILE"],
        "JOB_FILES_DIR": app.config["JOB_FILES_DIR"],
        "JOB_HEARTBEAT_TIMEOUT_SECONDS": str(app.config["JOB_HEARTBEAT_TIMEOUT_SECONDS"]),
    }
    command = [sys.executable, script] if script else [sys.executable, "-m", "flask", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 (our own interpreter)


def state_is(job_row: Callable[[int], Job], job_id: int, *states: JobState) -> Callable[[], bool]:
    return lambda: job_row(job_id).state in states
