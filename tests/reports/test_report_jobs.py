"""A report over the threshold is a job: a POST starts it, the worker writes the file (here in the
request, in immediate mode), and only its owner downloads it while it is kept."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from qa_app.accounts.models import Role, Team
from qa_app.extensions import db
from qa_app.jobs import files
from qa_app.jobs.models import Job, JobState
from qa_app.jobs.tasks import run_job
from qa_app.reports.jobs import TEAM, start_report_job
from qa_app.results.periods import parse_filters
from tests.reports.conftest import user
from tests.reports.raw import END, RANGE, START, XLSX, table


@pytest.fixture
def config_overrides(tmp_path: Path) -> dict[str, Any]:
    """Every report with an evaluation is a job; job files in the test's own folder."""
    return {"REPORT_JOB_THRESHOLD_EVALUATIONS": 0, "JOB_FILES_DIR": str(tmp_path / "job-files")}


def _job(app, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def _jobs(app) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.count()).select_from(Job)))


def _start(client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200 and "Prepare the report" in page.get_data(as_text=True)
    action = re.search(r'action="(/reports/[^"]+)"', page.get_data(as_text=True))
    response = client.submit(action.group(1).replace("&amp;", "&"), {}, token_from="/")
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_large_team_report_is_a_job_whose_owner_downloads_the_file(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    team_id = world.seeded.team_ids[0]
    job_id = _start(lead, f"/reports/teams/{team_id}.xlsx?{RANGE}&sheets=1")
    job = _job(app, job_id)
    assert job.state == JobState.DONE and job.progress_done == job.progress_total > 0
    assert "../" not in job.result["file"]["token"] and job.result["file"]["token"].isalnum()
    page = lead.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "The report is ready" in page and f"/jobs/{job_id}/download" in page
    response = lead.get(f"/jobs/{job_id}/download")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=team-")
    assert response.headers["Content-Disposition"].endswith(f"-{START}-{END}.xlsx")
    workbook = load_workbook(io.BytesIO(response.data))
    response.close()
    _, rows = table(workbook["Evaluations"])
    assert len(rows) == job.progress_total
    assert len(workbook.sheetnames) > 5  # the agent sheets were asked for (sheets=1)


def test_only_the_owner_downloads_a_report_job_file(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    job_id = _start(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    mine = lead.get(f"/jobs/{job_id}/download")
    mine.close()
    assert mine.status_code == 200
    for someone in (world.seeded.reviewer_id, world.seeded.agent_ids[0]):
        other = login_as(user=user(app, someone))
        assert other.get(f"/jobs/{job_id}/download").status_code == 404
    admin = login_as(Role.ADMIN)
    assert admin.get(f"/jobs/{job_id}").status_code == 200  # admins see every job...
    assert admin.get(f"/jobs/{job_id}/download").status_code == 404  # ...but not its file


def test_a_lead_cannot_start_a_job_for_another_team(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    other_team = world.seeded.team_ids[1]
    assert lead.get(f"/reports/teams/{other_team}.xlsx?{RANGE}").status_code == 404
    response = lead.submit(f"/reports/teams/{other_team}.xlsx?{RANGE}", {}, token_from="/")
    assert response.status_code == 404 and _jobs(app) == 0


def test_a_post_without_a_token_starts_nothing(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    url = f"/reports/teams/{world.seeded.team_ids[0]}.xlsx?{RANGE}"
    assert lead.post(url, data={}).status_code == 400 and _jobs(app) == 0


def test_the_worker_checks_the_owners_rights_again(app, world):
    with app.app_context():
        team = db.session.get(Team, world.seeded.team_ids[0])
        lead = db.session.get(type(team.lead), world.lead_id)
        filters = parse_filters(_args(RANGE))[0]
        job = start_report_job(lead, TEAM, team.id, filters)
        team.lead_id = world.seeded.reviewer_id  # the lead no longer leads the team
        db.session.commit()
        job_id = job.id
    with app.app_context():
        run_job(job_id)
    job = _job(app, job_id)
    assert job.state == JobState.FAILED and job.error == "You may no longer see this report."
    assert not list(Path(app.config["JOB_FILES_DIR"]).glob("*"))


def _args(query: str):
    from werkzeug.datastructures import MultiDict

    return MultiDict(part.split("=", 1) for part in query.split("&"))


def test_an_expired_file_is_gone_and_the_sweep_deletes_it(app, world, login_as):
    lead = login_as(user=user(app, world.lead_id))
    job_id = _start(lead, f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    [path] = Path(app.config["JOB_FILES_DIR"]).glob("*.result")
    old = time.time() - 25 * 3600
    os.utime(path, (old, old))
    with app.app_context():
        assert files.sweep_files() == 1
    assert not path.exists()
    assert lead.get(f"/jobs/{job_id}/download").status_code == 404
    assert "no longer kept" in lead.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_a_small_report_still_downloads_at_once(app, world, login_as):
    app.config["REPORT_JOB_THRESHOLD_EVALUATIONS"] = 10_000
    lead = login_as(user=user(app, world.lead_id))
    response = lead.get(f"/reports/agents/{world.agent_id}.xlsx?{RANGE}")
    response.close()
    assert response.status_code == 200 and response.mimetype == XLSX and _jobs(app) == 0


def test_the_export_command_draws_a_progress_bar_on_stderr(app, world, runner, tmp_path):
    path = tmp_path / "agent.xlsx"
    args = ["--from", str(START), "--to", str(END), "--agent", str(world.agent_id)]
    result = runner.invoke(args=["reports", "export", *args, "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "Evaluations" in result.stderr and "Wrote" in result.stdout and path.exists()
