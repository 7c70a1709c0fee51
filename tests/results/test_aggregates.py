"""The kept aggregates always equal a recomputation from the raw evaluations and interactions."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.disputes import services as disputes
from qa_app.evaluations import services
from qa_app.evaluations.models import Evaluation, EvaluationStatus, PickReason
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results.aggregates import rebuild
from qa_app.results.models import AgentDayCriterionStats, AgentDayInteractionStats, AgentDayStats
from qa_app.results.verify import compare_all
from tests.results.conftest import evaluate, mark_picks


@pytest.fixture
def seed_through_hooks() -> bool:
    """These tests check what the session hook keeps, from the first evaluation on."""
    return True


def _plain(value):
    return round(float(value), 6) if isinstance(value, int | float | Decimal) else str(value)


def _table(model) -> dict:
    rows = db.session.scalars(sa.select(model)).all()
    key_names = [c.name for c in model.__table__.primary_key.columns]
    value_names = [c.name for c in model.__table__.columns if c.name not in key_names]
    return {
        tuple(str(getattr(r, k)) for k in key_names): tuple(
            _plain(getattr(r, v)) for v in value_names
        )
        for r in rows
    }


def _raw_totals() -> dict:
    """Per agent, UTC day and targeted or not: evaluations, score sum, critical fails; straight
    from the raw rows."""
    totals: dict = defaultdict(lambda: [0, Decimal(0), 0])
    stmt = sa.select(Evaluation).where(
        Evaluation.status == EvaluationStatus.SUBMITTED, Evaluation.is_calibration.is_(False)
    )
    for evaluation in db.session.scalars(stmt):
        interaction, targeted = evaluation.interaction, evaluation.picked == PickReason.TARGETED
        key = (interaction.agent_id, interaction.occurred_at.date(), targeted)
        totals[key][0] += 1
        totals[key][1] += evaluation.score or 0
        totals[key][2] += int(evaluation.is_critical_fail)
    return {k: (v[0], float(v[1]), v[2]) for k, v in totals.items()}


def _kept_totals() -> dict:
    totals: dict = defaultdict(lambda: [0, 0.0, 0])
    for row in db.session.scalars(sa.select(AgentDayStats)):
        key = (row.agent_id, row.day, row.targeted)
        totals[key][0] += row.evaluations
        totals[key][1] += float(row.score_sum)
        totals[key][2] += row.critical_fails
    return {k: (v[0], round(v[1], 2), v[2]) for k, v in totals.items()}


def _raw_interaction_totals() -> dict:
    """Per agent, UTC day and channel, every interaction once: counts and sums of its answers."""
    totals: dict = defaultdict(lambda: [0] * 12)
    for i in db.session.scalars(sa.select(Interaction)):
        key = (str(i.agent_id), str(i.occurred_at.date()), i.channel.value)
        answers = [
            1,
            i.csat is not None,
            (i.csat or 0) >= 4,
            i.nps is not None,
            i.nps is not None and i.nps >= 9,
            i.nps is not None and i.nps <= 6,
            i.ces is not None,
            i.ces or 0,
            i.first_contact_resolved is not None,
            i.first_contact_resolved is True,
            i.handle_seconds is not None,
            i.handle_seconds or 0,
        ]
        totals[key] = [
            total + int(value) for total, value in zip(totals[key], answers, strict=True)
        ]
    return {k: tuple(float(v) for v in values) for k, values in totals.items()}


def _kept_interaction_totals() -> dict:
    return {key: values[1:] for key, values in _table(AgentDayInteractionStats).items()}


def _kept() -> tuple:
    return tuple(
        _table(m) for m in (AgentDayStats, AgentDayCriterionStats, AgentDayInteractionStats)
    )


def _assert_kept_equals_rebuilt(app):
    with app.app_context():
        kept = _kept()
        assert {k: (v[0], round(v[1], 2), v[2]) for k, v in _raw_totals().items()} == _kept_totals()
        assert _raw_interaction_totals() == _kept_interaction_totals()
        # The weekly and monthly rollups agree with the daily rows they are summed from.
        assert [d.table for d in compare_all(db.session.connection()) if d.rows] == []
        rebuild(db.session.connection())
        assert _kept() == kept
        db.session.rollback()


def test_aggregates_match_after_seeding(app, seeded):
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AgentDayStats)) > 10
    _assert_kept_equals_rebuilt(app)


def test_aggregates_follow_edits_disputes_and_deletes(app, seeded):
    rng = random.Random(7)
    with app.app_context():
        reviewer = db.session.get(User, seeded.reviewer_id)
        submitted = db.session.scalars(
            sa.select(Evaluation)
            .where(Evaluation.status == EvaluationStatus.SUBMITTED)
            .order_by(Evaluation.id)
        ).all()
        first, second, third = submitted[:3]
        values = {s.criterion_id: services.CriterionInput(1, False, "x") for s in first.scores}
        data = services.EvaluationInput(values, "", "")
        services.save(
            first, data, reviewer, submit=True, lock_version=first.lock_version, reason="recheck"
        )
        agent = db.session.get(User, second.interaction.agent_id)
        dispute = disputes.raise_dispute(second, agent, "unfair", [])
        other = User(email="x@example.com", display_name="X", role=reviewer.role, password_hash="x")
        db.session.add(other)
        db.session.flush()
        target = second.scores[0]
        disputes.resolve(
            dispute, other, "fixed", {target.criterion_id: services.CriterionInput(5, False, "")}
        )
        draft = db.session.scalar(
            sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.DRAFT)
        )
        if draft is not None:
            evaluate(
                draft.interaction, draft.scorecard_version, reviewer, rng
            )  # a second evaluation
        # Removed outright (say by a data-retention job): its bucket must shrink.
        history = sa.table("evaluation_changes", sa.column("evaluation_id"))
        db.session.execute(sa.delete(history).where(history.c.evaluation_id == third.id))
        db.session.delete(third)
        db.session.commit()
    _assert_kept_equals_rebuilt(app)


def test_drafts_and_calibration_evaluations_never_count(app, seeded):
    with app.app_context():
        before = _table(AgentDayStats)
        reviewer = db.session.get(User, seeded.reviewer_id)
        evaluation = db.session.scalar(
            sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.SUBMITTED)
        )
        calibration = evaluate(
            evaluation.interaction,
            evaluation.scorecard_version,
            reviewer,
            random.Random(1),
            submit=False,
        )
        calibration.is_calibration = True
        db.session.flush()
        values = {s.criterion_id: services.CriterionInput(1, False, "") for s in calibration.scores}
        services.save(
            calibration,
            services.EvaluationInput(values, "", ""),
            reviewer,
            submit=True,
            lock_version=calibration.lock_version,
        )
        db.session.commit()
        assert _table(AgentDayStats) == before


def test_saving_a_draft_leaves_the_result_tables_alone_until_it_is_submitted(app, seeded):
    with app.app_context():
        reviewer = db.session.get(User, seeded.reviewer_id)
        evaluation = db.session.scalar(
            sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.SUBMITTED)
        )
        draft = evaluate(
            evaluation.interaction, evaluation.scorecard_version, reviewer, random.Random(2), False
        )
        db.session.commit()
        written: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            if statement.lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE")):
                written.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            values = {s.criterion_id: services.CriterionInput(2, False, "") for s in draft.scores}
            data = services.EvaluationInput(values, "", "")
            services.save(draft, data, reviewer, submit=False, lock_version=draft.lock_version)
            db.session.commit()
            assert written and not [w for w in written if "agent_day_stats" in w]
            services.save(draft, data, reviewer, submit=True, lock_version=draft.lock_version)
            db.session.commit()
            assert [w for w in written if "agent_day_stats" in w]
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    _assert_kept_equals_rebuilt(app)


def test_rebuild_and_check_commands(app, seeded, runner):
    assert "match" in runner.invoke(args=["results", "check"]).output
    with app.app_context():
        row = db.session.scalar(sa.select(AgentDayStats))
        row.evaluations += 5  # a row gone stale, e.g. after a manual database edit
        db.session.commit()
    stale = runner.invoke(args=["results", "check"])
    assert stale.exit_code != 0 and "differ from a fresh computation" in stale.output
    assert runner.invoke(args=["results", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["results", "check"]).exit_code == 0


def test_aggregates_follow_picks_changed_and_targeted_submissions(app, seeded, runner):
    mark_picks(app)  # every pick changed after submitting: the buckets follow
    _assert_kept_equals_rebuilt(app)
    with app.app_context():
        assert {row.targeted for row in db.session.scalars(sa.select(AgentDayStats))} == {
            False,
            True,
        }
        reviewer = db.session.get(User, seeded.reviewer_id)
        targeted = db.session.scalar(
            sa.select(Evaluation).where(Evaluation.picked == PickReason.TARGETED)
        )
        targeted.picked = PickReason.HAND
        # A spotlight plan's draft, scored and submitted as such.
        draft = services.start(targeted.interaction, targeted.scorecard_version, reviewer)
        draft.picked = PickReason.TARGETED
        criteria = draft.scorecard_version.ordered_criteria
        values = {c.id: services.CriterionInput(2, False, "") for c in criteria}
        data = services.EvaluationInput(values, "", "")
        services.save(draft, data, reviewer, submit=True, lock_version=None)
        db.session.commit()
    _assert_kept_equals_rebuilt(app)
    assert "match" in runner.invoke(args=["results", "check"]).output
