"""Auto QA runs as a job kind: reviewers and admins only, progress counted in interactions."""

from __future__ import annotations

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.jobs.models import Job, JobKind, JobState
from qa_app.jobs.services import create_job
from qa_app.jobs.tasks import enqueue
from tests.autoqa.conftest import TURNS


def _run_as(app, user_id: int, params: dict) -> Job:
    with app.app_context():
        job = create_job(JobKind.AUTOQA_RUN, db.session.get(User, user_id), params)
        job_id, task_id = job.id, str(job.task_id)
        db.session.commit()
        enqueue(job_id, task_id)  # immediate mode: runs here
    with app.app_context():
        done = db.session.get(Job, job_id)
        db.session.expunge(done)
        return done


def test_a_reviewers_run_scores_every_interaction(
    app, make_user, make_interaction, rules_card, auto_rows
):
    rules_card()
    agent = make_user()
    ids = [make_interaction(agent, transcript_turns=TURNS).id for _ in range(3)]
    job = _run_as(app, make_user(Role.REVIEWER).id, {})
    assert (job.state, job.progress_done, job.result) == (
        JobState.DONE,
        3,
        {"scored": 3, "total": 3},
    )
    assert [row[0] for row in auto_rows()] == ids


def test_an_agents_run_fails_and_scores_nothing(
    app, make_user, make_interaction, rules_card, auto_rows
):
    rules_card()
    make_interaction(make_user(), transcript_turns=TURNS)
    job = _run_as(app, make_user(Role.AGENT).id, {"since": "2026-01-01"})
    assert job.state == JobState.FAILED
    assert job.error == "Only a reviewer or an admin may run Auto QA."
    assert auto_rows() == []


def test_the_import_job_scores_what_it_imported(app, login_as, make_user, rules_card, auto_rows):
    from tests.interactions.conftest import jsonl_bytes, row, upload

    app.config["IMPORT_JOB_THRESHOLD_BYTES"] = 0  # every upload becomes a job
    rules_card()
    agent = make_user()
    content = jsonl_bytes([row(agent.email, n, transcript=TURNS) for n in (1, 2)])
    assert upload(login_as(Role.REVIEWER), content, "chats.jsonl").status_code == 302
    with app.app_context():
        import sqlalchemy as sa

        job = db.session.scalar(sa.select(Job))
        assert job is not None and job.kind == JobKind.INTERACTION_IMPORT
        assert job.state == JobState.DONE
    assert len(auto_rows()) == 2
