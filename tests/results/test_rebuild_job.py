"""The results rebuild as a job kind (all or nothing, admins only) and its terminal progress."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.jobs.models import Job, JobKind, JobState
from qa_app.jobs.services import create_job
from qa_app.jobs.tasks import enqueue
from qa_app.results.aggregates import REBUILD_STEPS
from qa_app.results.models import AgentDayStats


def _rebuild_as(app, user_id: int) -> Job:
    with app.app_context():
        job = create_job(JobKind.RESULTS_REBUILD, db.session.get(User, user_id), {})
        job_id, task_id = job.id, str(job.task_id)
        db.session.commit()
        enqueue(job_id, task_id)  # immediate mode: runs here
    with app.app_context():
        done = db.session.get(Job, job_id)
        db.session.expunge(done)
        return done


def test_an_admins_rebuild_job_mends_a_stale_aggregate(app, seeded, make_user, runner):
    with app.app_context():
        row = db.session.scalar(sa.select(AgentDayStats))
        row.evaluations += 5
        db.session.commit()
    job = _rebuild_as(app, make_user(Role.ADMIN).id)
    assert job.state == JobState.DONE and job.progress_done == REBUILD_STEPS
    assert job.result["rows"] > 0
    assert runner.invoke(args=["results", "check"]).exit_code == 0


def test_a_reviewers_rebuild_job_fails_and_changes_nothing(app, seeded, make_user):
    job = _rebuild_as(app, make_user(Role.REVIEWER).id)
    assert job.state == JobState.FAILED and job.error == "Only an admin may rebuild the results."


def test_the_rebuild_command_draws_a_progress_bar_on_stderr(app, seeded, runner):
    result = runner.invoke(args=["results", "rebuild"])
    assert result.exit_code == 0 and "Rebuilding" in result.stderr
    assert "Rebuilt the result aggregates" in result.stdout
