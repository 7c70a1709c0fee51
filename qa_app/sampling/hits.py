"""Hit rates: how often the targeted and the random assignments found a problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..evaluations.models import Evaluation, EvaluationStatus, PickReason
from ..extensions import db
from ..interactions.models import Interaction, SignalKind
from ..scorecards.models import ScorecardVersion
from .models import Assignment
from .queries import is_done


@dataclass(frozen=True)
class Hits:
    """Done assignments, and how many of them found a problem (below pass or critical fail)."""

    evaluated: int
    problems: int

    @property
    def percent(self) -> float | None:
        """The share of evaluated ones that found a problem, 0-100; None when none evaluated."""
        return 100 * self.problems / self.evaluated if self.evaluated else None


def found_problem() -> sa.Exists:
    """True for an assignment whose reviewer's submitted evaluation failed or critical-failed."""
    failed = sa.or_(
        Evaluation.is_critical_fail.is_(True), Evaluation.score < ScorecardVersion.pass_mark
    )
    return sa.exists().where(
        Evaluation.scorecard_version_id == ScorecardVersion.id,
        Evaluation.interaction_id == Assignment.interaction_id,
        Evaluation.reviewer_id == Assignment.reviewer_id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
        failed,
    )


def _counted(when: sa.ColumnElement[bool]) -> tuple[sa.ColumnElement[int], ...]:
    return tuple(
        sa.func.coalesce(sa.func.sum(sa.case((sa.and_(when, test), 1), else_=0)), 0)
        for test in (is_done(), found_problem())
    )


def hit_rates(start: datetime, end: datetime) -> tuple[dict[SignalKind, Hits], Hits]:
    """Per signal kind the targeted assignments' hits, and the random ones', for the interactions
    of [start, end): two queries, whatever the number of assignments."""
    padded = sa.literal(" ") + Assignment.signals + sa.literal(" ")
    kinds = list(SignalKind)
    columns = [
        c for kind in kinds for c in _counted(padded.contains(f" {kind.value} ", autoescape=True))
    ]
    in_period = (Interaction.occurred_at >= start, Interaction.occurred_at < end)
    targeted = db.session.execute(
        sa.select(*columns)
        .select_from(Assignment)
        .join(Assignment.interaction)
        .where(Assignment.picked == PickReason.TARGETED, *in_period)
    ).one()
    randomly = db.session.execute(
        sa.select(*_counted(sa.true()))
        .select_from(Assignment)
        .join(Assignment.interaction)
        .where(Assignment.picked == PickReason.RANDOM, *in_period)
    ).one()
    figures = [int(n) for n in targeted]
    per_kind = {kind: Hits(*figures[2 * n : 2 * n + 2]) for n, kind in enumerate(kinds)}
    return per_kind, Hits(int(randomly[0]), int(randomly[1]))
