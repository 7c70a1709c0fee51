"""Which evaluations a user may see: agents their own submitted ones, leads their teams'."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from ..accounts.access import agents_led_by
from ..accounts.models import Role, User
from ..calibration.access import evaluation_visible_clause
from ..extensions import db
from .models import Evaluation, EvaluationStatus

# What hides an evaluation from its agent, added by the slices above this one when create_app
# registers them (the self-review slice hides the reviewer's scores until the agent has given
# their own: docs/self-review.md).


@dataclass(frozen=True)
class AgentHider:
    """`clause` holds (on Evaluation) while an evaluation stays out of its agent's sight. Rows of
    `model` decide it: one added, deleted or with a change in `columns` may hide or show
    evaluations on the pages of the agents `agents(row)` names, whose kept page parts
    results/marks.py then stamps anew."""

    clause: Callable[[], sa.ColumnElement[bool]]
    model: type
    columns: tuple[str, ...]
    agents: Callable[[Any], Iterable[int | None]]


HIDDEN_FROM_AGENT: dict[str, AgentHider] = {}


def register_agent_hider(name: str, hider: AgentHider) -> None:
    """Say when an evaluation stays out of its agent's sight, whatever page asks."""
    HIDDEN_FROM_AGENT[name] = hider


def hidden_from_agent() -> sa.ColumnElement[bool]:
    """True for an evaluation its agent may not see yet."""
    return sa.or_(sa.false(), *(hider.clause() for hider in HIDDEN_FROM_AGENT.values()))


def visible_evaluations(user: User) -> sa.Select[tuple[Evaluation]]:
    """A select of the evaluations this user may open."""
    # The interaction's agent is read from the evaluation's copy (copies.py): no join.
    stmt = sa.select(Evaluation)
    if user.role in (Role.ADMIN, Role.REVIEWER):  # calibration scores stay blind until results
        return stmt.where(evaluation_visible_clause(user))
    submitted = sa.and_(
        Evaluation.status == EvaluationStatus.SUBMITTED, Evaluation.is_calibration.is_(False)
    )
    if user.role == Role.LEAD:  # the few ids read first, as a list: both planners then
        # read the agent index (with a subquery SQLite walked every submission instead)
        led = list(db.session.scalars(agents_led_by(user)))
        return stmt.where(submitted, Evaluation.agent_id.in_(led))
    return stmt.where(submitted, Evaluation.agent_id == user.id, ~hidden_from_agent())


def visible_ordinary_evaluations(user: User) -> sa.Select[tuple[Evaluation]]:
    """The evaluations outside calibration this user may open, as the lists show them. For
    admins and reviewers that is all of them: leaving out their calibration clause (which
    these rows pass anyway) lets a list count from an index alone."""
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return sa.select(Evaluation).where(Evaluation.is_calibration.is_(False))
    return visible_evaluations(user).where(Evaluation.is_calibration.is_(False))


def visible_evaluation_or_404(evaluation_id: int) -> Evaluation:
    """The evaluation, or 404 when it does not exist or is not the user's to see."""
    stmt = visible_evaluations(current_user).where(Evaluation.id == evaluation_id)
    evaluation = db.session.scalar(stmt)
    if evaluation is None:
        abort(404)
    return evaluation


def own_evaluation_or_404(evaluation_id: int) -> Evaluation:
    """An evaluation of the signed-in agent's own interaction."""
    evaluation = visible_evaluation_or_404(evaluation_id)
    if evaluation.agent_id != current_user.id:
        abort(404)
    return evaluation
