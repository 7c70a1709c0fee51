"""Keep ``interactions.evaluated`` exact: true while the interaction has a submitted evaluation
outside calibration. Drafts do not count, as the interaction list's "Evaluated" filter has
always meant; calibration scores train the reviewers and do not count either.

Listening on the session, like the result aggregates, means no write path (submit, a command, a
deletion) can forget the flag: every flush that adds, deletes or changes the status, the
calibration mark or the interaction of an evaluation recomputes the flag of the interactions
concerned from the evaluations themselves. Rows written with Core (a benchmark's bulk load) are
put right with `refresh_all`, which the migration that added the column also runs as SQL.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..interactions.models import Interaction
from .models import Evaluation, EvaluationStatus

PENDING = "qa_evaluated_flags"
LEFT = "qa_evaluated_flags_left"  # interactions an evaluation left (moved or deleted)
WATCHED = ("status", "is_calibration", "interaction_id")


def has_submitted_evaluation(interaction_id: Any) -> sa.Exists:
    """True for an interaction with a submitted evaluation outside calibration."""
    return sa.exists().where(
        Evaluation.interaction_id == interaction_id,
        Evaluation.status == EvaluationStatus.SUBMITTED,
        Evaluation.is_calibration.is_(False),
    )


def _refresh(connection: sa.Connection, where: sa.ColumnElement[bool]) -> None:
    done = has_submitted_evaluation(Interaction.id)
    connection.execute(sa.update(Interaction).where(where).values(evaluated=done))


def refresh_all(connection: sa.Connection) -> None:
    """Recompute every interaction's flag (after a bulk load that bypassed the session)."""
    _refresh(connection, sa.true())


def mismatches() -> sa.Select[Any]:
    """Interactions whose flag disagrees with their evaluations (none, when kept right)."""
    done = has_submitted_evaluation(Interaction.id)
    return sa.select(Interaction.id).where(Interaction.evaluated != done)


def init_evaluated_flag(app: Flask) -> None:
    """Install the session listeners that keep the flag (once per process)."""
    for name, listener in (
        ("before_flush", _collect),
        ("after_flush_postexec", _apply),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    """Note the evaluations whose counting may change, and the interactions they leave."""
    evaluations: list[Evaluation] = session.info.setdefault(PENDING, [])
    left: set[int] = session.info.setdefault(LEFT, set())
    changed = (o for o in session.dirty if isinstance(o, Evaluation) and _counting_changed(o))
    for obj in chain(session.new, changed):
        if isinstance(obj, Evaluation):
            evaluations.append(obj)  # its interaction id is known after the flush
            if obj.id is not None and inspect(obj).attrs.interaction_id.history.has_changes():
                left.add(_stored_interaction(session, obj.id))
    left.update(o.interaction_id for o in session.deleted if isinstance(o, Evaluation))


def _stored_interaction(session: Session, evaluation_id: int) -> int:
    """The interaction an evaluation belongs to in the database, before this flush moves it
    (the attribute's history lacks it when the value was expired before being changed)."""
    stmt = sa.select(Evaluation.interaction_id).where(Evaluation.id == evaluation_id)
    return session.connection().execute(stmt).scalar_one()


def _counting_changed(evaluation: Evaluation) -> bool:
    attrs: Any = inspect(evaluation).attrs
    return any(attrs[name].history.has_changes() for name in WATCHED)


def _apply(session: Session, _context: Any) -> None:
    evaluations = session.info.pop(PENDING, [])
    ids = session.info.pop(LEFT, set())
    ids |= {e.interaction_id for e in evaluations if e.interaction_id is not None}
    if ids:
        _refresh(session.connection(), Interaction.id.in_(sorted(ids)))


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(LEFT, None)
