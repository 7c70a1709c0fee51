"""Signals computed and stored: after an import (after Auto QA), again without duplicates, and
the facts read per batch (each agent's own percentile, repeat contacts, earlier low scores)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.autoqa.services import score_many
from qa_app.evaluations import services as evaluations
from qa_app.extensions import db
from qa_app.interactions.models import Interaction, InteractionSignal, SignalKind
from qa_app.jobs.models import Job, JobKind, JobState
from qa_app.jobs.services import create_job
from qa_app.jobs.tasks import enqueue
from qa_app.scorecards.models import ScorecardVersion
from qa_app.signal_rules import Kind
from qa_app.signals import queries, services
from tests.autoqa.conftest import TURNS
from tests.conftest import sent_statements
from tests.interactions.conftest import jsonl_bytes, row, upload

DAY = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _signals(app) -> list[tuple[str, str, float | None, dict | None]]:
    with app.app_context():
        stmt = (
            sa.select(Interaction.external_id, InteractionSignal)
            .join(Interaction)
            .order_by(Interaction.external_id, InteractionSignal.kind)
        )
        return [(ext, s.kind.value, s.figure, s.detail) for ext, s in db.session.execute(stmt)]


def _compute(app) -> None:
    with app.app_context():
        services.compute_many(list(db.session.scalars(sa.select(Interaction.id))))
        db.session.commit()


def test_kinds_match_the_stored_kinds() -> None:
    assert {k.value for k in Kind} == {k.value for k in SignalKind}


def test_import_computes_after_auto_qa_and_a_rerun_replaces(
    app, login_as, make_user, runner, rules_card
):
    rules_card()
    agent = make_user(Role.AGENT)
    rows = [row(agent.email, 1, transcript=TURNS, csat="1", language="en")]
    assert upload(login_as(Role.REVIEWER), jsonl_bytes(rows), "a.jsonl").status_code == 302
    found = {kind: figure for _, kind, figure, _ in _signals(app)}
    assert found["low_csat"] == 1
    assert "low_auto_score" in found  # the auto result was there when the hook ran
    first = _signals(app)
    assert runner.invoke(args=["signals", "run", "--all"]).exit_code == 0
    assert runner.invoke(args=["signals", "run", "--since", "2026-01-01"]).exit_code == 0
    assert _signals(app) == first
    assert runner.invoke(args=["signals", "run"]).exit_code != 0


def test_a_failing_hook_keeps_the_import(app, login_as, make_user, monkeypatch, caplog):
    def broken(*_args):
        raise RuntimeError("detection broke")

    monkeypatch.setattr(services, "detect", broken)
    agent = make_user(Role.AGENT)
    rows = [row(agent.email, 1, csat="1")]
    with caplog.at_level(logging.ERROR, logger="qa_app.interactions.hooks"):
        assert upload(login_as(Role.REVIEWER), jsonl_bytes(rows), "a.jsonl").status_code == 302
    assert "signals step" in caplog.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Interaction.id))) == 1
    assert _signals(app) == []


def test_long_handle_against_each_agents_own_percentile(app, make_user, make_interaction):
    quick, slow, new = make_user(Role.AGENT), make_user(Role.AGENT), make_user(Role.AGENT)
    for n in range(20):
        at = DAY - timedelta(days=1 + n)
        make_interaction(quick, occurred_at=at, handle_seconds=100 * (n + 1))
        make_interaction(slow, occurred_at=at, handle_seconds=10_000)
        if n < 19:
            make_interaction(new, occurred_at=at, handle_seconds=10)
    make_interaction(quick, occurred_at=DAY - timedelta(weeks=9), handle_seconds=1)  # too old
    for agent, ext in ((quick, "Q"), (slow, "S"), (new, "N")):
        make_interaction(agent, external_id=ext, occurred_at=DAY, handle_seconds=1_950)
    _compute(app)
    long = [(e, f, d) for e, kind, f, d in _signals(app) if kind == "long_handle"]
    assert long == [("Q", 1950, {"percentile": 1800.0, "count": 20})]


def test_batches_read_each_handle_time_once_and_find_the_same_signals(
    app, make_user, make_interaction, monkeypatch
):
    agents = [make_user(Role.AGENT) for _ in range(3)]
    for n in range(21):
        for agent in agents:
            make_interaction(agent, occurred_at=DAY - timedelta(days=21 - n), handle_seconds=60 * n)
    for n in range(8):  # two days of each agent, met again in later batches
        for agent in agents:
            make_interaction(agent, occurred_at=DAY + timedelta(days=n % 2), handle_seconds=1_500)
    _compute(app)
    whole = _signals(app)
    # Times rise day by day: the last earlier day's three are long (its 20 days before), and
    # DAY's twelve; DAY + 1's weeks hold DAY's, as long as they are.
    assert [kind for _, kind, _, _ in whole].count("long_handle") == 15
    read: list[int] = []

    def counted(agents, start, end):
        rows = handle_times(agents, start, end)
        read.append(len(rows))
        return rows

    handle_times = queries._handle_times
    monkeypatch.setattr(queries, "_handle_times", counted)
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Interaction.id).order_by(Interaction.occurred_at)))
    for order in (ids, ids[::-1], ids[1::2] + ids[::2]):  # in time, backwards, interleaved
        read.clear()
        with app.app_context():
            services.compute_many(order)
            db.session.commit()
        assert _signals(app) == whole
        if order is ids:  # in time order, no handle time is read twice (87 in 29 batches)
            assert 0 < sum(read) <= len(ids)


def test_earlier_evaluations_by_bisection_equal_the_plain_filter(monkeypatch):
    import random
    from types import SimpleNamespace

    from qa_app.signals import queries

    rng = random.Random(7)
    weeks = timedelta(weeks=queries.EARLIER_WEEKS)
    batch = [
        SimpleNamespace(id=n, agent_id=rng.randint(1, 3), occurred_at=DAY + timedelta(hours=n))
        for n in range(1, 200)
    ]
    rows = [
        SimpleNamespace(
            id=1000 + n,
            interaction_id=rng.randint(1, 220),
            agent_id=rng.randint(1, 4),
            submitted_at=DAY - weeks + timedelta(hours=rng.randint(-50, 300)),
        )
        for n in range(400)
    ]
    rows.sort(key=lambda r: (r.submitted_at, r.id), reverse=True)
    low = {r.id: {"1:a"} for r in rows if r.id % 3}
    disputed = {r.id: {"1:b"} for r in rows if r.id % 5 == 0}
    monkeypatch.setattr(queries, "_earlier_rows", lambda _batch, _weeks: rows)
    monkeypatch.setattr(queries, "_low_and_disputed", lambda _ids: (low, disputed))
    found = queries.earlier_evaluations(batch)
    for i in batch:
        plain = [
            r.id
            for r in rows
            if r.agent_id == i.agent_id
            and i.occurred_at - weeks <= r.submitted_at < i.occurred_at
            and r.interaction_id != i.id
            and (r.id in low or r.id in disputed)
        ]
        assert [e.evaluation_id for e in found[i.id]] == plain
    assert sum(len(v) for v in found.values()) > 100


def test_repeat_contact_names_the_latest_earlier_contact(app, make_user, make_interaction):
    agent = make_user(Role.AGENT)
    old = make_interaction(agent, customer_ref="C-1", occurred_at=DAY - timedelta(days=11))
    recent = make_interaction(agent, customer_ref="C-1", occurred_at=DAY - timedelta(days=3))
    make_interaction(agent, external_id="NOW", customer_ref="C-1", occurred_at=DAY)
    make_interaction(agent, external_id="OTHER", customer_ref="C-2", occurred_at=DAY)
    _compute(app)
    repeats = {
        e: d["interaction_id"] for e, kind, _, d in _signals(app) if kind == "repeat_contact"
    }
    assert repeats == {"NOW": recent.id}
    assert old.id not in repeats.values()


def test_earlier_contacts_are_read_with_a_plan_for_their_batch(app, make_user, make_interaction):
    """On PostgreSQL a plan made once for any batch walked the month before it by time."""
    agent = make_user(Role.AGENT)
    make_interaction(agent, customer_ref="C-1", occurred_at=DAY - timedelta(days=3))
    now = make_interaction(agent, external_id="NOW", customer_ref="C-1", occurred_at=DAY)
    with app.app_context():
        batch = [db.session.get(Interaction, now.id)]
        with sent_statements(db.engine) as statements:
            found = queries.previous_contacts(batch)
    assert list(found) == [now.id]
    by_ref = ("customer_ref IN", "customer_ref = ANY")  # SQLite's IN, PostgreSQL's array
    sent = [s.split()[0] + (" customer_ref" * any(r in s for r in by_ref)) for s in statements]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        assert sent == ["SET", "SELECT customer_ref", "SET"]
    else:
        assert sent == ["SELECT customer_ref"]


def test_earlier_low_score_on_the_same_criterion(app, make_user, make_interaction, rules_card):
    version_id = rules_card()  # criterion 1: CSAT below 4 suggests 2
    agent, reviewer = make_user(Role.AGENT), make_user(Role.REVIEWER)
    earlier = make_interaction(agent, occurred_at=DAY - timedelta(days=20))
    now = make_interaction(agent, external_id="NOW", occurred_at=DAY, csat=3)
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        csat_criterion = version.ordered_criteria[1]
        values = {
            c.id: evaluations.CriterionInput(2 if c.id == csat_criterion.id else 4, False, "")
            for c in version.ordered_criteria
        }
        evaluation = evaluations.start(
            db.session.get(Interaction, earlier.id), version, db.session.get(User, reviewer.id)
        )
        data = evaluations.EvaluationInput(values, "", "")
        evaluations.save(
            evaluation, data, db.session.get(User, reviewer.id), submit=True, lock_version=None
        )
        evaluation.submitted_at = DAY - timedelta(days=2)
        score_many([now.id])
        db.session.commit()
        evaluation_id, ref = evaluation.id, f"{version.scorecard_id}:{csat_criterion.key}"
        name = csat_criterion.name
    _compute(app)
    low = [(e, d) for e, kind, _, d in _signals(app) if kind == "earlier_low_score"]
    assert low == [
        (
            "NOW",
            {
                "evaluation_id": evaluation_id,
                "criterion": ref,
                "criterion_name": name,
            },
        )
    ]


def test_a_run_as_a_job_is_for_reviewers_and_admins(app, make_user, make_interaction):
    make_interaction(make_user(Role.AGENT), csat=2)
    for role, state in ((Role.AGENT, JobState.FAILED), (Role.REVIEWER, JobState.DONE)):
        with app.app_context():
            job = create_job(JobKind.SIGNALS_RUN, db.session.get(User, make_user(role).id), {})
            job_id, task_id = job.id, str(job.task_id)
            db.session.commit()
            enqueue(job_id, task_id)  # immediate mode: runs here
        with app.app_context():
            assert db.session.get(Job, job_id).state == state
    assert [kind for _, kind, _, _ in _signals(app)] == ["low_csat"]
