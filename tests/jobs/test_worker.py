"""A real worker process: `flask jobs worker` runs a queued import to the end; a worker killed
with SIGKILL mid-import leaves nothing stored, and its job is failed once its heartbeat is old."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.interactions.models import ImportBatch, Interaction
from qa_app.jobs import services
from qa_app.jobs.models import JobState
from tests.conftest import stop_process
from tests.interactions.conftest import csv_bytes, row, upload
from tests.jobs.conftest import only_job_id, start_worker, state_is, wait_for

SLOW_WORKER = str(Path(__file__).with_name("slow_worker.py"))


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    """A real queue in a SQLite file; a short heartbeat timeout."""
    return {
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.db"),
        "JOB_FILES_DIR": str(tmp_path / "job-files"),
        "IMPORT_JOB_THRESHOLD_BYTES": 0,
        "JOB_HEARTBEAT_TIMEOUT_SECONDS": 3,
    }


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        count = sa.select(sa.func.count())
        interactions = db.session.scalar(count.select_from(Interaction))
        batches = db.session.scalar(count.select_from(ImportBatch))
        db.session.rollback()
        return int(interactions or 0), int(batches or 0)


def test_flask_jobs_worker_runs_a_queued_import(app, login_as, make_user, job_row):
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    upload(reviewer, csv_bytes([row(agent.email, n) for n in range(1, 21)]), "queued.csv")
    job_id = only_job_id(app)
    assert job_row(job_id).state == JobState.QUEUED  # nothing runs it in the request
    worker = start_worker(app, "jobs", "worker")
    try:
        wait_for(state_is(job_row, job_id, JobState.DONE, JobState.FAILED))
    finally:
        stop_process(worker)
    job = job_row(job_id)
    assert (job.state, job.progress_done, job.result["rows_added"]) == (JobState.DONE, 20, 20)
    assert _stored(app) == (20, 1)
    assert list(Path(app.config["JOB_FILES_DIR"]).iterdir()) == []
    page = reviewer.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "queued.csv: 20 new interactions added" in page


def test_a_worker_killed_mid_import_stores_nothing_and_its_job_fails(
    app, login_as, make_user, job_row
):
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    upload(reviewer, csv_bytes([row(agent.email, n) for n in range(1, 201)]), "slow.csv")
    job_id = only_job_id(app)
    worker = start_worker(app, script=SLOW_WORKER)
    try:
        with app.app_context():
            wait_for(lambda: services.live(job_id).get("done", 0) >= 20)
        # A page read (not a write lock, as this test's own reads would take) while it runs.
        assert reviewer.get(f"/jobs/{job_id}/status").get_json()["state"] == "running"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        stop_process(worker)
    assert _stored(app) == (0, 0)
    assert reviewer.get(f"/jobs/{job_id}/status").get_json()["state"] == "running"  # not yet old
    time.sleep(app.config["JOB_HEARTBEAT_TIMEOUT_SECONDS"] + 0.5)
    status = reviewer.get(f"/jobs/{job_id}/status").get_json()
    assert (status["state"], status["is_over"]) == ("failed", True)
    assert _stored(app) == (0, 0)
    assert "worker stopped" in job_row(job_id).error


def test_an_idle_worker_looks_at_the_queue_at_least_every_poll_interval(app, runner, monkeypatch):
    """Huey's consumer backs off up to ten seconds between looks at an empty SQLite queue;
    `flask jobs worker` caps that at JOBS_POLL_SECONDS."""
    made: dict[str, Any] = {}

    class Consumer:
        def run(self) -> None:
            made["ran"] = True

    def create_consumer(**options: Any) -> Consumer:
        made.update(options)
        return Consumer()

    monkeypatch.setattr(app.extensions["huey"], "create_consumer", create_consumer)
    app.config["JOBS_POLL_SECONDS"] = 0.5
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code == 0, result.output
    assert made["ran"] and made["max_delay"] == 0.5 and made["periodic"] is True
