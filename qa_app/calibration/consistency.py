"""Reviewer consistency over time: agreement with the benchmark over their latest sessions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import User
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from ..scoring.agreement import Agreement, benchmark_from_others, reviewer_agreement
from .access import results_open_clause
from .models import CalibrationSession
from .queries import submitted_evaluations
from .results import Units, agreement_of, benchmark_expert, is_above, own_scores, units_of

RECENT_SESSIONS = 10


@dataclass(frozen=True)
class SessionAgreement:
    session: CalibrationSession
    agreement: Agreement


@dataclass(frozen=True)
class ReviewerConsistency:
    reviewer: User
    sessions: list[SessionAgreement]  # newest first
    overall: Agreement  # every compared unit of those sessions together
    is_flagged: bool  # overall mean absolute deviation above the tolerance


def recent_sessions(
    reviewer_ids: Collection[int] | None, limit: int = RECENT_SESSIONS
) -> dict[int, list[int]]:
    """Per reviewer, their latest ended sessions in which they submitted, newest first."""
    s = CalibrationSession
    ended = sa.case((s.closed_at < s.deadline, s.closed_at), else_=s.deadline)
    pairs = (
        sa.select(Evaluation.reviewer_id, s.id.label("session_id"), ended.label("ended_at"))
        .join(s, s.id == Evaluation.calibration_session_id)
        .where(Evaluation.status == EvaluationStatus.SUBMITTED, results_open_clause())
        .distinct()
    )
    if reviewer_ids is not None:
        pairs = pairs.where(Evaluation.reviewer_id.in_(reviewer_ids))
    p = pairs.subquery()
    order = (p.c.ended_at.desc(), p.c.session_id.desc())
    rank = sa.func.row_number().over(partition_by=p.c.reviewer_id, order_by=order)
    ranked = sa.select(p.c.reviewer_id, p.c.session_id, rank.label("rank")).subquery()
    stmt = (
        sa.select(ranked.c.reviewer_id, ranked.c.session_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.reviewer_id, ranked.c.rank)
    )
    found: dict[int, list[int]] = {}
    for reviewer_id, session_id in db.session.execute(stmt):
        found.setdefault(reviewer_id, []).append(session_id)
    return found


def consistency(
    reviewer_ids: Collection[int] | None, tolerance: float
) -> list[ReviewerConsistency]:
    """Each reviewer's agreement over their latest sessions, flagged above the tolerance."""
    recent = recent_sessions(reviewer_ids)
    session_ids = {sid for ids in recent.values() for sid in ids}
    stmt = sa.select(CalibrationSession).where(CalibrationSession.id.in_(session_ids))
    sessions = {found.id: found for found in db.session.scalars(stmt)}
    evaluations = submitted_evaluations(session_ids)
    units = _units_by_session(evaluations)
    reviewers = {e.reviewer_id: e.reviewer for e in evaluations}
    rows = [
        _reviewer(reviewers[rid], [(sessions[sid], units[sid]) for sid in sids], tolerance)
        for rid, sids in recent.items()
    ]
    return sorted(rows, key=lambda row: row.reviewer.display_name.casefold())


def _units_by_session(evaluations: list[Evaluation]) -> dict[int, Units]:
    grouped: dict[int, list[Evaluation]] = {}
    for evaluation in evaluations:
        if evaluation.calibration_session_id is not None:
            grouped.setdefault(evaluation.calibration_session_id, []).append(evaluation)
    return {sid: units_of(group) for sid, group in grouped.items()}


def _reviewer(
    reviewer: User, entries: list[tuple[CalibrationSession, Units]], tolerance: float
) -> ReviewerConsistency:
    pooled_scores: dict[object, int | None] = {}
    pooled_benchmark: dict[object, float | None] = {}
    per_session = []
    for session, units in entries:
        expert_id = benchmark_expert(session.expert_id, units)
        per_session.append(SessionAgreement(session, agreement_of(reviewer.id, units, expert_id)))
        benchmark = benchmark_from_others(units, reviewer.id, expert_id)
        for unit, value in own_scores(units, reviewer.id).items():
            pooled_scores[session.id, unit] = value
            pooled_benchmark[session.id, unit] = benchmark.get(unit)
    overall = reviewer_agreement(pooled_scores, pooled_benchmark)
    return ReviewerConsistency(reviewer, per_session, overall, is_above(overall, tolerance))
