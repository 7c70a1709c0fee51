"""The web "run for a period" is a job (run here in the request, in immediate mode): its page shows
what was drawn, its progress counts the plan's agents, and the worker checks the rights again."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.jobs.models import Job, JobKind, JobState
from qa_app.jobs.tasks import run_job
from qa_app.sampling.jobs import start_sampling_job
from qa_app.sampling.models import SamplingPlan, SamplingRun
from tests.sampling.conftest import WEEK, add_interactions, assignments, make_plan


def _job(app, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def test_the_run_button_starts_a_job_that_draws_the_sample(app, login_as, org):
    for agent in org.agents:
        add_interactions(app, agent, 4)
    plan_id = make_plan(app, org)
    reviewer = login_as(user=org.reviewers[0])
    response = reviewer.submit(
        f"/sampling/plans/{plan_id}/run", {"day": "2026-03-04"}, token_from="/"
    )
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    job = _job(app, job_id)
    assert (job.kind, job.state) == (JobKind.SAMPLING_RUN, JobState.DONE)
    assert job.progress_done == job.progress_total == 3  # the plan's three agents
    page = reviewer.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "6 interactions drawn and assigned." in page
    assert f"/sampling/plans/{plan_id}?period=2026-03-02" in page
    assert len(assignments(app, plan_id)) == 6


def test_the_worker_refuses_a_run_whose_owner_is_no_longer_a_reviewer(app, org):
    for agent in org.agents:
        add_interactions(app, agent, 4)
    plan_id = make_plan(app, org)
    with app.app_context():
        owner = db.session.get(User, org.reviewers[0].id)
        job = start_sampling_job(owner, db.session.get(SamplingPlan, plan_id), WEEK)
        owner.role = Role.AGENT
        db.session.commit()
        job_id = job.id
    with app.app_context():
        run_job(job_id)
    job = _job(app, job_id)
    assert job.state == JobState.FAILED and job.error == "You may no longer run this sampling plan."
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingRun)) == 0


def test_the_command_draws_a_progress_bar_on_stderr(app, org, runner):
    add_interactions(app, org.agents[0], 3)
    make_plan(app, org)
    result = runner.invoke(args=["sampling", "run", "--period", "2026-03-05"])
    assert result.exit_code == 0, result.output
    assert "Plans" in result.stderr and "Plans" not in result.stdout
