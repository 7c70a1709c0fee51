"""A large web import becomes a job: it runs (here in the request, in Huey's immediate mode),
reports progress, ends with the import's report, and keeps nothing when cancelled or stale."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.database import utcnow
from qa_app.extensions import db
from qa_app.interactions.hooks import IMPORT_HOOKS
from qa_app.interactions.models import ImportBatch, Interaction
from qa_app.jobs import files, services
from qa_app.jobs.models import Job, JobKind, JobState
from qa_app.jobs.tasks import run_job
from tests.interactions.conftest import csv_bytes, row, upload
from tests.jobs.conftest import only_job_id


def _count(app, model) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)))


def test_large_upload_runs_as_a_job_and_its_page_shows_the_report(app, login_as, make_user):
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    content = csv_bytes([row(agent.email, n) for n in range(1, 8)])
    response = upload(reviewer, content, "../../etc/big export.csv")
    job_id = only_job_id(app)
    assert response.headers["Location"] == f"/jobs/{job_id}"
    page = reviewer.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "big export.csv: 7 new interactions added, 0 already imported before." in page
    assert 'id="job-progress"' not in page  # over: no bar, no polling
    status = reviewer.get(f"/jobs/{job_id}/status").get_json()
    assert (status["state"], status["done"], status["total"], status["is_over"]) == (
        "done",
        7,
        7,
        True,
    )
    assert _count(app, Interaction) == 7
    assert list(Path(app.config["JOB_FILES_DIR"]).iterdir()) == []  # the upload is gone


def test_the_hooks_run_once_the_import_job_ended_done(app, login_as, make_user, monkeypatch):
    seen: list[tuple[int, JobState]] = []

    def probe(batch_id: int, _checkpoint) -> None:
        seen.append((batch_id, db.session.scalar(sa.select(Job.state))))

    monkeypatch.setitem(IMPORT_HOOKS, "probe", probe)
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    upload(reviewer, csv_bytes([row(agent.email, n) for n in range(1, 8)]), "big.csv")
    with app.app_context():
        batch_id = db.session.scalar(sa.select(ImportBatch.id))
    assert seen == [(batch_id, JobState.DONE)]  # the job's end was committed first
    upload(reviewer, csv_bytes([row(agent.email, 9, csat="7")]), "bad.csv")  # a failed job
    assert len(seen) == 1


def test_job_with_a_bad_row_stores_nothing_and_lists_the_problem(app, login_as, make_user):
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    rows = [row(agent.email, 1), row("nobody@example.com", 2)]
    upload(reviewer, csv_bytes(rows), "bad.csv")
    job_id = only_job_id(app)
    page = reviewer.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "<strong>Nothing was imported</strong>" in page
    assert reviewer.get(f"/jobs/{job_id}/status").get_json()["state"] == "failed"
    assert "<tr><td>3</td>" in page  # the problem row, as on the import page
    assert _count(app, Interaction) == 0 and _count(app, ImportBatch) == 0


def test_small_upload_stays_in_the_request(app, login_as, make_user, config_overrides):
    app.config["IMPORT_JOB_THRESHOLD_BYTES"] = 10_000
    agent = make_user(Role.AGENT)
    response = upload(login_as(Role.REVIEWER), csv_bytes([row(agent.email, 1)]))
    assert response.headers["Location"] == "/interactions"
    assert _count(app, Job) == 0


def test_my_jobs_lists_only_my_jobs_and_others_get_404(app, login_as, make_user):
    agent = make_user(Role.AGENT)
    owner = login_as(Role.REVIEWER)
    upload(owner, csv_bytes([row(agent.email, 1)]), "mine.csv")
    job_id = only_job_id(app)
    assert "mine.csv" in owner.get("/jobs/").get_data(as_text=True)
    other = login_as(Role.REVIEWER)
    assert "mine.csv" not in other.get("/jobs/").get_data(as_text=True)
    for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/status"):
        assert other.get(path).status_code == 404
    admin = login_as(Role.ADMIN)
    assert "mine.csv" in admin.get("/jobs/").get_data(as_text=True)
    assert admin.get(f"/jobs/{job_id}").status_code == 200


def _queued_job(app, owner_id: int, params: dict | None = None) -> int:
    with app.app_context():
        owner = db.session.get(User, owner_id)
        job = services.create_job(JobKind.INTERACTION_IMPORT, owner, params or {})
        db.session.commit()
        return job.id


def test_owner_cancels_a_waiting_job_and_the_queue_drops_it(app, login_as, job_row):
    owner = login_as(Role.REVIEWER)
    job_id = _queued_job(app, owner.user.id)
    response = owner.submit(f"/jobs/{job_id}/cancel", token_from=f"/jobs/{job_id}")
    assert response.status_code == 302
    job = job_row(job_id)
    assert job.state == JobState.CANCELLED
    with app.app_context():
        assert services.queue().is_revoked(job.task_id)
        run_job(job_id)  # a worker that picks it up anyway does nothing
    assert job_row(job_id).state == JobState.CANCELLED


def test_a_running_job_asked_to_stop_rolls_back(app, login_as, make_user, job_row):
    agent = make_user(Role.AGENT)
    owner = login_as(Role.REVIEWER)
    with app.app_context():
        token = files.save_upload(io.BytesIO(csv_bytes([row(agent.email, 1)])))
    job_id = _queued_job(app, owner.user.id, {"upload": token, "source_name": "a.csv"})
    with app.app_context():
        services.claim(job_id)
        db.session.commit()
        services.request_cancel(db.session.get(Job, job_id))  # running: a flag for the task
        assert services.is_cancelling(db.session.get(Job, job_id))
        db.session.execute(sa.update(Job).values(state=JobState.QUEUED))
        db.session.commit()
        run_job(job_id)
    assert job_row(job_id).state == JobState.CANCELLED
    assert _count(app, Interaction) == 0 and _count(app, ImportBatch) == 0


def test_a_running_job_whose_worker_went_silent_is_failed_when_read(app, login_as, job_row):
    owner = login_as(Role.REVIEWER)
    job_id = _queued_job(app, owner.user.id)
    long_ago = utcnow() - timedelta(seconds=app.config["JOB_HEARTBEAT_TIMEOUT_SECONDS"] + 5)
    with app.app_context():
        db.session.execute(
            sa.update(Job).values(
                state=JobState.RUNNING, started_at=long_ago, heartbeat_at=long_ago
            )
        )
        db.session.commit()
    status = owner.get(f"/jobs/{job_id}/status").get_json()
    assert (status["state"], status["is_over"]) == ("failed", True)
    assert "worker stopped" in job_row(job_id).error


def test_a_fresh_heartbeat_keeps_a_running_job_running(app, login_as, job_row):
    owner = login_as(Role.REVIEWER)
    job_id = _queued_job(app, owner.user.id)
    with app.app_context():
        services.claim(job_id)
        db.session.commit()
        services.Progress(job_id, 10)(4)
        assert services.sweep() == 0
    status = owner.get(f"/jobs/{job_id}/status").get_json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == (
        "running",
        4,
        10,
        40,
    )
    assert json.loads(json.dumps(status)) == status
