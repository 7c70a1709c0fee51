"""Scoring stored interactions again from a page: one run at a time, progress per batch."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.autoqa import services as autoqa
from qa_app.extensions import db
from qa_app.jobs import services as jobs
from qa_app.jobs.models import Job, JobKind, JobState
from tests.autoqa.conftest import TURNS

RUNNING = "An Auto QA run is already waiting or running"


def _jobs(app) -> list[Job]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(Job).order_by(Job.id)))
        db.session.expunge_all()
        return found


def test_a_reviewer_rescores_from_a_day_on_and_follows_the_job(
    app, login_as, make_user, make_interaction, rules_card, auto_rows, monkeypatch
):
    rules_card()
    agent = make_user()
    old = make_interaction(agent, transcript_turns=TURNS)
    new = [
        make_interaction(
            agent, transcript_turns=TURNS, occurred_at=datetime(2026, 4, d, tzinfo=UTC)
        )
        for d in range(1, 6)
    ]
    steps: list[int] = []
    monkeypatch.setattr(autoqa, "BATCH_SIZE", 2)
    report = jobs.Progress.__call__

    def spy(self: jobs.Progress, done: int) -> None:  # what the job page would read meanwhile
        report(self, done)
        steps.append(jobs.live(self.job_id)["done"])

    monkeypatch.setattr(jobs.Progress, "__call__", spy)
    client = login_as(Role.REVIEWER)
    assert 'action="/autoqa/rescore"' in client.get("/autoqa/trust").get_data(as_text=True)
    response = client.submit("/autoqa/rescore", {"since": "2026-04-01"}, token_from="/autoqa/trust")
    (job,) = _jobs(app)
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert (job.kind, job.state, job.params) == (
        JobKind.AUTOQA_RUN,
        JobState.DONE,
        {"since": "2026-04-01"},
    )
    assert steps == [0, 2, 4, 5]  # the bar moves after every batch
    assert [row[0] for row in auto_rows()] == [i.id for i in new]  # the older one is left out
    assert old.id not in [row[0] for row in auto_rows()]
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Auto QA scored 5 of 5 interactions." in page


def test_no_second_run_starts_while_one_is_waiting(app, login_as, make_user):
    with app.app_context():
        owner = db.session.get(User, make_user(Role.REVIEWER).id)
        waiting = jobs.create_job(JobKind.AUTOQA_RUN, owner, {})
        waiting_id = waiting.id
        db.session.commit()
    reviewer = login_as(Role.REVIEWER)
    page = reviewer.get("/autoqa/trust").get_data(as_text=True)
    assert RUNNING in page and 'action="/autoqa/rescore"' not in page
    assert f"/jobs/{waiting_id}" not in page  # another reviewer's job: not theirs to open
    response = reviewer.submit("/autoqa/rescore", {}, token_from="/")
    assert response.headers["Location"] == "/autoqa/trust"
    assert RUNNING in reviewer.get("/autoqa/trust").get_data(as_text=True)
    admin = login_as(Role.ADMIN)
    assert admin.submit("/autoqa/rescore", {}, token_from="/").headers["Location"] == (
        f"/jobs/{waiting_id}"
    )
    assert [job.id for job in _jobs(app)] == [waiting_id]


def test_a_day_that_is_not_a_date_starts_nothing(app, login_as):
    client = login_as(Role.ADMIN)
    response = client.submit("/autoqa/rescore", {"since": "3026-01-01"}, token_from="/")
    assert response.headers["Location"] == "/autoqa/trust"
    assert "Choose a date between" in client.get("/autoqa/trust").get_data(as_text=True)
    assert _jobs(app) == []


def test_the_version_page_offers_a_run_while_its_rules_apply(app, login_as, rules_card):
    from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
    from qa_app.scorecards.services import import_doc

    first = rules_card()
    reviewer = login_as(Role.REVIEWER)
    assert 'id="rescore"' in reviewer.get(f"/scorecards/{first}").get_data(as_text=True)
    later = rules_card()  # published after it, for the same channel: the first no longer applies
    assert 'id="rescore"' not in reviewer.get(f"/scorecards/{first}").get_data(as_text=True)
    assert 'id="rescore"' in reviewer.get(f"/scorecards/{later}").get_data(as_text=True)
    with app.app_context():  # a published version without any rule offers nothing
        plain = import_doc(
            load_shipped_template(SHIPPED_DIR / "email.yaml"), None, publish_now=True
        )
        for criterion in plain.ordered_criteria:
            criterion.rule = None
        db.session.commit()
        plain_id = plain.id
    assert 'id="rescore"' not in reviewer.get(f"/scorecards/{plain_id}").get_data(as_text=True)
    lead = login_as(Role.LEAD)
    assert 'id="rescore"' not in lead.get(f"/scorecards/{later}").get_data(as_text=True)
