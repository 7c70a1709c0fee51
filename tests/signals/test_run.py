"""Computing signals again from a page: one run at a time, as a job (docs/spotlight.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import InteractionSignal, SignalKind
from qa_app.jobs import services as jobs
from qa_app.jobs.models import JobKind, JobState
from tests.autoqa.test_rescore import _jobs

RUN = "/signals/run"
BUSY = "A signals run is already waiting or running"


def _signalled(app) -> list[tuple[int, SignalKind]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(InteractionSignal.interaction_id, InteractionSignal.kind)
        )
        return sorted((row[0], row[1]) for row in rows)


def test_an_admin_saves_phrases_and_computes_from_a_day_on(
    app, login_as, make_user, make_interaction
):
    agent = make_user(Role.AGENT)
    make_interaction(agent, csat=1, occurred_at=datetime(2026, 3, 1, tzinfo=UTC))
    new = make_interaction(agent, csat=2, occurred_at=datetime(2026, 4, 2, tzinfo=UTC))
    client = login_as(Role.ADMIN)
    saved = client.submit(
        "/signals/phrases", {"language": "en", "phrases": "lawyer"}, token_from="/signals/phrases"
    )
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Compute the signals again to apply them." in page
    assert f'action="{RUN}"' in page
    response = client.submit(RUN, {"since": "2026-04-01"}, token_from="/signals/phrases")
    (job,) = _jobs(app)
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert (job.kind, job.state, job.params) == (
        JobKind.SIGNALS_RUN,
        JobState.DONE,
        {"since": "2026-04-01"},
    )
    assert _signalled(app) == [(new.id, SignalKind.LOW_CSAT)]  # the one of March is left out
    done = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Signals computed for 1 interactions: 1 signals." in done


def test_no_second_run_starts_while_one_is_waiting(app, login_as, make_user):
    with app.app_context():
        owner = db.session.get(User, make_user(Role.ADMIN).id)
        waiting_id = jobs.create_job(JobKind.SIGNALS_RUN, owner, {}).id
        db.session.commit()
    reviewer = login_as(Role.REVIEWER)
    page = reviewer.get("/sampling/hit-rate").get_data(as_text=True)
    assert BUSY in page and f'action="{RUN}"' not in page
    response = reviewer.submit(RUN, {}, token_from="/")
    assert response.headers["Location"] == "/sampling/hit-rate"
    assert [job.id for job in _jobs(app)] == [waiting_id]


def test_only_reviewers_and_admins_start_it_and_a_bad_day_is_refused(app, login_as):
    for role in (Role.AGENT, Role.LEAD):
        client = login_as(role)
        assert client.submit(RUN, {}, token_from="/").status_code == 403
        assert 'id="signals-run"' not in client.get("/sampling/hit-rate").get_data(as_text=True)
    reviewer = login_as(Role.REVIEWER)
    assert f'action="{RUN}"' in reviewer.get("/sampling/hit-rate").get_data(as_text=True)
    refused = reviewer.submit(RUN, {"since": "3026-01-01"}, token_from="/")
    assert refused.headers["Location"] == "/sampling/hit-rate"
    assert "Choose a date between" in reviewer.get("/sampling/hit-rate").get_data(as_text=True)
    assert _jobs(app) == []
