"""A database held by another connection: a quick 503, nothing partial, and the app serves on.

Another connection holds a lock while the app saves an evaluation or imports interactions: a
write lock (BEGIN IMMEDIATE) on SQLite, a table or row lock on PostgreSQL, taken on a table the
save writes after it has already written others. The app waits for the configured timeout (made
short here), answers 503 "try again", stores nothing, and the same request succeeds once the
lock is gone. See docs/hostile-input.md.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import has_request_context

from qa_app.accounts.models import Role
from qa_app.database import is_transient
from qa_app.evaluations.models import Evaluation, EvaluationChange, EvaluationScore
from qa_app.extensions import db
from qa_app.interactions.models import ImportBatch, Interaction
from tests.conftest import held
from tests.evaluations.conftest import form_values, org  # noqa: F401 (the org fixture)
from tests.interactions.conftest import csv_bytes, row, upload

WAIT_MS = 300
GOOD = [5, 4, 4, "na", 5, 4, 3, 5]


@pytest.fixture
def config_overrides():
    return {"SQLITE_BUSY_TIMEOUT_MS": WAIT_MS}


def _busy(send) -> None:
    started = time.monotonic()
    response = send()
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Nothing was saved; try again." in response.get_data(as_text=True)
    assert WAIT_MS / 1000 * 0.9 < elapsed < 5  # the configured wait, not for ever


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _new_evaluation(reviewer, org):  # noqa: F811
    data = {**form_values(org, GOOD, "Fine"), "action": "submit"}
    url = f"/evaluations/new?interaction={org.interaction_id}"
    return lambda: reviewer.submit(url, data, token_from="/")


def test_a_new_evaluation_waits_then_gives_try_again_and_stores_nothing(app, login_as, org):  # noqa: F811
    reviewer = login_as(user=org.reviewer)
    send = _new_evaluation(reviewer, org)
    # The evaluation and its scores are written first; the history entry finds the lock.
    with held(app, "LOCK TABLE evaluation_changes IN EXCLUSIVE MODE"):
        _busy(send)
        assert reviewer.get("/").status_code == 200  # readers still served meanwhile
    assert _count(app, Evaluation) == _count(app, EvaluationScore) == 0
    assert _count(app, EvaluationChange) == 0
    assert send().status_code == 302  # the same save succeeds once the lock is gone
    assert _count(app, Evaluation) == 1


def test_an_edit_of_a_locked_evaluation_gives_try_again_and_changes_nothing(app, login_as, org):  # noqa: F811
    reviewer = login_as(user=org.reviewer)
    response = _new_evaluation(reviewer, org)()
    evaluation_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        version = db.session.get(Evaluation, evaluation_id).lock_version
    changes = _count(app, EvaluationChange)
    data = {
        **form_values(org, [4, 4, 4, "na", 5, 4, 3, 5], "Changed"),
        "lock_version": str(version),
        "reason": "Second look",
    }

    def send():
        return reviewer.submit(f"/evaluations/{evaluation_id}/edit", data, token_from="/")

    lock = f"SELECT id FROM evaluations WHERE id = {evaluation_id:d} FOR UPDATE"  # noqa: S608
    with held(app, lock):
        _busy(send)
    with app.app_context():
        assert db.session.get(Evaluation, evaluation_id).lock_version == version
    assert _count(app, EvaluationChange) == changes
    assert send().status_code == 302
    assert _count(app, EvaluationChange) > changes


def test_an_import_waits_then_gives_try_again_and_stores_nothing(app, login_as, make_user):
    agent = make_user(Role.AGENT, email="ana@example.com")
    reviewer = login_as(Role.REVIEWER)
    content = csv_bytes([row(agent.email, n) for n in range(1, 4)])
    # The batch row is written first; the interactions find the lock.
    with held(app, "LOCK TABLE interactions IN EXCLUSIVE MODE"):
        _busy(lambda: upload(reviewer, content))
    assert _count(app, ImportBatch) == _count(app, Interaction) == 0
    assert upload(reviewer, content).status_code == 302
    assert _count(app, Interaction) == 3


POSTGRES_ONLY = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


class TestStatementTimeout:
    @pytest.fixture
    def config_overrides(self):
        return {"STATEMENT_TIMEOUT_MS": 200}

    @POSTGRES_ONLY
    def test_a_runaway_statement_of_a_request_is_cancelled_as_busy(self, app):
        with app.test_request_context("/"):
            with pytest.raises(sa.exc.OperationalError) as caught:
                db.session.execute(sa.text("SELECT pg_sleep(3)"))
            db.session.rollback()
        assert is_transient(caught.value)

    @POSTGRES_ONLY
    def test_commands_and_jobs_outside_a_request_have_no_statement_timeout(self, app):
        with app.app_context():
            assert db.session.scalar(sa.text("SHOW statement_timeout")) == "0"

    @POSTGRES_ONLY
    def test_the_same_pooled_connection_is_bound_in_requests_and_free_outside(self, app):
        """The limit is the connection's own setting, lifted per transaction outside a request:
        one connection, handed back and forth, is bound exactly while it serves a request, and a
        request sends no statement of its own for it."""
        seen, sent = [], []

        def remember(_conn, _cursor, statement, *_args) -> None:
            sent.append((has_request_context(), statement))

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", remember)
        try:
            for inside in (True, False, True, False):
                with app.test_request_context("/") if inside else app.app_context():
                    connection = db.session.connection()
                    pid = connection.connection.dbapi_connection.info.backend_pid
                    seen.append((pid, db.session.scalar(sa.text("SHOW statement_timeout"))))
                    db.session.remove()
        finally:
            sa.event.remove(engine, "before_cursor_execute", remember)
        assert len({pid for pid, _ in seen}) == 1, "the pool handed out more than one connection"
        assert [timeout for _, timeout in seen] == ["200ms", "0", "200ms", "0"]
        in_requests = [statement for inside, statement in sent if inside]
        assert in_requests == ["SHOW statement_timeout"] * 2
