"""Auto-scoring after an import, and never touching evaluations or the results aggregates."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.autoqa import services
from qa_app.autoqa.models import AutoResult
from qa_app.evaluations.models import Evaluation, EvaluationScore
from qa_app.extensions import db
from qa_app.interactions.hooks import IMPORT_HOOKS, prepare_import_hooks
from qa_app.interactions.models import Interaction, InteractionSignal, SignalKind
from qa_app.results.models import AgentDayCriterionStats, AgentDayInteractionStats, AgentDayStats
from qa_app.signals import services as signal_services
from tests.autoqa.conftest import TURNS
from tests.interactions.conftest import jsonl_bytes, row, upload

TABLES = (AgentDayStats, AgentDayCriterionStats, AgentDayInteractionStats, Evaluation)


def _rows(agent_email: str, count: int) -> bytes:
    rows = [
        row(agent_email, n, transcript=TURNS, csat="5", language="en") for n in range(1, count + 1)
    ]
    return jsonl_bytes(rows)


def _count(app, model=AutoResult) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_an_import_scores_its_new_interactions_once(app, login_as, make_user, rules_card):
    rules_card()
    agent = make_user(Role.AGENT)
    reviewer = login_as(Role.REVIEWER)
    content = _rows(agent.email, 3)
    assert upload(reviewer, content, "chats.jsonl").status_code == 302
    assert _count(app) == 3
    with app.app_context():
        scores = db.session.scalars(sa.select(AutoResult.score)).all()
        assert all(score is not None for score in scores)
    assert upload(reviewer, content, "chats.jsonl").status_code == 302  # all already there
    assert (_count(app), _count(app, Interaction)) == (3, 3)


def _logged_upload(login_as, content: bytes, caplog) -> int:
    """A reviewer's upload with the hooks' errors captured; its status code."""
    with caplog.at_level(logging.ERROR, logger="qa_app.interactions.hooks"):
        return upload(login_as(Role.REVIEWER), content, "chats.jsonl").status_code


def test_a_failing_auto_score_is_logged_and_the_import_kept(
    app, login_as, make_user, rules_card, monkeypatch, caplog
):
    rules_card()

    def broken(*_args):
        raise RuntimeError("the rule engine broke")

    monkeypatch.setattr(services, "suggest_all", broken)
    agent = make_user(Role.AGENT)
    assert _logged_upload(login_as, _rows(agent.email, 2), caplog) == 302
    assert (_count(app, Interaction), _count(app)) == (2, 0)
    assert "the rule engine broke" in caplog.text


def test_the_hooks_go_through_an_import_of_many_batches(
    app, login_as, make_user, rules_card, monkeypatch, caplog
):
    """Each batch commits (bulk.Batches): nothing a hook holds may outlive its batch's
    transaction."""
    rules_card()
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    monkeypatch.setattr(signal_services, "BATCH_SIZE", 2)
    agent = make_user(Role.AGENT)
    low = [row(agent.email, n, transcript=TURNS, csat="1", language="en") for n in range(1, 6)]
    assert _logged_upload(login_as, jsonl_bytes(low), caplog) == 302
    assert caplog.text == ""
    assert (_count(app, Interaction), _count(app)) == (5, 5)
    with app.app_context():  # a low CSAT is a signal of each, stored batch after batch
        kinds = db.session.scalars(sa.select(InteractionSignal.kind)).all()
    assert kinds.count(SignalKind.LOW_CSAT) == 5


def test_a_hook_failing_midway_keeps_its_batches_done_and_the_next_hook_runs(
    app, login_as, make_user, rules_card, monkeypatch, caplog
):
    rules_card()
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    calls, suggest_all = [0], services.suggest_all

    def breaks_on_the_third(*args, **kwargs):
        calls[0] += 1
        if calls[0] == 3:
            raise RuntimeError("the rule engine broke")
        return suggest_all(*args, **kwargs)

    monkeypatch.setattr(services, "suggest_all", breaks_on_the_third)
    later: list[int] = []
    monkeypatch.setitem(IMPORT_HOOKS, "later", lambda batch_id, _batches: later.append(batch_id))
    agent = make_user(Role.AGENT)
    assert _logged_upload(login_as, _rows(agent.email, 4), caplog) == 302
    # the first batch of two was committed before the second broke; the import is whole
    assert (_count(app, Interaction), _count(app)) == (4, 2)
    assert "the rule engine broke" in caplog.text
    assert len(later) == 1  # the hooks after Auto QA still ran


def test_the_hooks_are_registered_once_in_order_however_often_the_app_is_built(app):
    assert list(IMPORT_HOOKS) == ["autoqa", "signals"]  # signals read the auto results


def _snapshot() -> dict[str, list[tuple[str, ...]]]:
    snapshot = {}
    for model in (*TABLES, EvaluationScore):
        columns = list(model.__table__.columns)
        rows = db.session.execute(sa.select(*columns).order_by(*columns)).all()
        snapshot[model.__tablename__] = [tuple(map(str, found)) for found in rows]
    return snapshot


def test_auto_scoring_leaves_evaluations_and_results_as_they_were(
    app,
    seeded,
    rules_card,
    runner,
):
    rules_card(channels=("call", "chat", "email"), slug="everything")
    with app.app_context():
        before = _snapshot()
        ids = list(db.session.scalars(sa.select(Interaction.id).order_by(Interaction.id)))
        assert services.score_many(ids) == len(ids) > 0
        db.session.commit()
        assert _snapshot() == before
    assert "match" in runner.invoke(args=["results", "check"]).output
    assert runner.invoke(args=["results", "rebuild"]).exit_code == 0
    with app.app_context():
        assert _snapshot() == before


def test_a_worker_loads_the_word_forms_of_every_hook_before_taking_work(app, rules_card):
    """The published rules' languages and the escalation lists' languages, with no transaction
    left open while the dictionaries load (inside one it would hold the write lock)."""
    from qa_app.jobs.services import start_worker

    rules_card()  # its phrase rule matches English word forms
    with app.app_context():
        languages = prepare_import_hooks()
        assert not db.session().in_transaction()
        lines = start_worker()
    assert languages == ["en", "hu"]  # English from the rule and the lists, Hungarian from these
    assert "Word forms loaded for: en, hu." in lines


def test_a_rule_in_a_further_language_is_loaded_too(app, rules_card, monkeypatch):
    greek = {"kind": "phrases", "mode": "required", "phrases": {"el": ["ευχαριστώ"]}}
    monkeypatch.setitem(rules_card.__globals__, "THANKS", greek)  # the rule the card gets
    rules_card()
    with app.app_context():
        assert prepare_import_hooks() == ["el", "en", "hu"]
