"""A report job through a real `flask jobs worker` process: the file it writes is downloaded."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from qa_app.jobs.models import JobState
from tests.jobs.conftest import (
    job_row,  # noqa: F401  (the fixture, for this test)
    only_job_id,
    start_worker,
    state_is,
    wait_for,
)
from tests.reports.conftest import user
from tests.reports.raw import RANGE, XLSX


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    return {
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.db"),
        "JOB_FILES_DIR": str(tmp_path / "job-files"),
        "REPORT_JOB_THRESHOLD_EVALUATIONS": 0,
    }


def test_a_worker_process_writes_the_report_its_owner_downloads(
    app,
    world,
    login_as,
    job_row,  # noqa: F811
):
    lead = login_as(user=user(app, world.lead_id))
    url = f"/reports/teams/{world.seeded.team_ids[0]}.xlsx?{RANGE}"
    assert lead.submit(url, {}, token_from="/").status_code == 302
    job_id = only_job_id(app)
    assert job_row(job_id).state == JobState.QUEUED
    assert lead.get(f"/jobs/{job_id}/download").status_code == 404  # nothing yet
    worker = start_worker(app, "jobs", "worker")
    try:
        wait_for(state_is(job_row, job_id, JobState.DONE, JobState.FAILED))
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(20)
    assert job_row(job_id).state == JobState.DONE
    response = lead.get(f"/jobs/{job_id}/download")
    response.close()
    assert response.status_code == 200 and response.mimetype == XLSX
