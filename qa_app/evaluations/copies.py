"""Keep each evaluation's copies of its interaction exact: the agent, the time (and its UTC day)
and the channel.

The evaluation list filters by the interaction's agent (or team), days and channel while it is
sorted by the evaluation's submission time; with the copies on the evaluation, one index serves
each filter in the list's order and the list never joins the interactions (docs/performance.md,
Lists). Listening on the session, like the "evaluated" flag, means no write path can forget the
copies: a new evaluation, or one moved to another interaction, takes its interaction's values
before the flush writes it; an interaction whose agent, time or channel changes passes the new
values to its evaluations right after the flush. Rows written with Core (a benchmark's bulk load)
must carry the copies themselves; `refresh_all` puts them right afterwards if they may not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..database import utc_day
from ..interactions.models import Interaction
from .models import Evaluation

COPIED = ("agent_id", "occurred_at", "channel")
DAY = "occurred_on"  # the UTC day of occurred_at
PENDING = "qa_evaluation_copies"  # changed interactions, by id


def _copies() -> dict[str, Any]:
    """The SET clause that gives an evaluation its interaction's values (correlated)."""
    values: dict[str, Any] = {
        name: sa.select(getattr(Interaction, name))
        .where(Interaction.id == Evaluation.interaction_id)
        .scalar_subquery()
        for name in COPIED
    }
    values[DAY] = (
        sa.select(utc_day(Interaction.occurred_at))
        .where(Interaction.id == Evaluation.interaction_id)
        .scalar_subquery()
    )
    values["updated_at"] = Evaluation.updated_at  # a copy is not an edit of the evaluation
    return values


def _refresh(connection: sa.Connection, where: sa.ColumnElement[bool]) -> None:
    connection.execute(sa.update(Evaluation).where(where).values(_copies()))


def refresh_all(connection: sa.Connection) -> None:
    """Copy every evaluation's interaction values again (after a load that bypassed the session)."""
    _refresh(connection, sa.true())


def mismatches() -> sa.Select[Any]:
    """Evaluations whose copies disagree with their interaction (none, when kept right)."""
    differs = [getattr(Evaluation, n) != getattr(Interaction, n) for n in COPIED]
    differs.append(Evaluation.occurred_on != utc_day(Interaction.occurred_at))
    return sa.select(Evaluation.id).join(Evaluation.interaction).where(sa.or_(*differs))


def init_copies(app: Flask) -> None:
    """Install the session listeners that keep the copies (once per process)."""
    for name, listener in (
        ("before_flush", _collect),
        ("after_flush_postexec", _apply),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _changed(obj: object, names: tuple[str, ...]) -> bool:
    attrs: Any = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    """Copy onto new and moved evaluations; note the interactions whose values change."""
    pending: dict[int, Interaction] = session.info.setdefault(PENDING, {})
    moved = (o for o in session.dirty if isinstance(o, Evaluation) and _moved(o))
    for obj in chain(session.new, moved):
        if isinstance(obj, Evaluation):
            _copy(session, obj)
    for obj in session.dirty:
        if isinstance(obj, Interaction) and _changed(obj, COPIED):
            pending[obj.id] = obj


def _moved(evaluation: Evaluation) -> bool:
    return _changed(evaluation, ("interaction_id", "interaction"))


def _interaction_of(session: Session, evaluation: Evaluation) -> Interaction | None:
    """The interaction the flush will give the evaluation: the related object when that was
    set (the flush writes its id), else the one its interaction_id names."""
    added = inspect(evaluation).attrs.interaction.history.added
    if added:
        return added[0]
    if evaluation.interaction_id is None:
        return None
    return session.get(Interaction, evaluation.interaction_id)


def _copy(session: Session, evaluation: Evaluation) -> None:
    interaction = _interaction_of(session, evaluation)
    if interaction is None:  # the database refuses the row: nothing to copy from
        return
    for name, value in _values(interaction).items():
        if getattr(evaluation, name) != value:
            setattr(evaluation, name, value)


def _values(interaction: Interaction) -> dict[str, Any]:
    values = {name: getattr(interaction, name) for name in COPIED}
    values[DAY] = utc_date(interaction.occurred_at)
    return values


def utc_date(moment: datetime | None) -> date | None:
    """The UTC day of a moment (a moment without a zone is taken as UTC, as the column does)."""
    if moment is None:
        return None
    return (moment.astimezone(UTC) if moment.tzinfo is not None else moment).date()


def _apply(session: Session, _context: Any) -> None:
    changed: dict[int, Interaction] = session.info.pop(PENDING, {})
    if not changed:
        return
    _refresh(session.connection(), Evaluation.interaction_id.in_(sorted(changed)))
    for obj in list(session.identity_map.values()):  # what this session holds, told the same
        if isinstance(obj, Evaluation):
            source = changed.get(inspect(obj).dict.get("interaction_id"))  # type: ignore[arg-type]
            if source is not None:
                for name, value in _values(source).items():
                    set_committed_value(obj, name, value)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
