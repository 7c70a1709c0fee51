"""Reads for the interaction pages: who may see which interactions, and the list's filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from ..accounts.access import teams_visible_to
from ..accounts.models import Role, Team, User, team_members
from ..extensions import db
from ..ui.keyset import Part
from .models import Interaction, InteractionSignal, SignalKind

SEE_ALL = (Role.ADMIN, Role.REVIEWER)
# The list's order, newest first; its keyset pages read through the same keys.
LIST_ORDER = (Interaction.occurred_at.desc(), Interaction.id.desc())
LIST_PARTS = (Part(None, (Interaction.occurred_at, Interaction.id)),)


def _agents_of_visible_teams(user: User) -> sa.Select[Any]:
    team_ids = teams_visible_to(user).with_only_columns(Team.id).order_by(None)
    return sa.select(team_members.c.agent_id).where(team_members.c.team_id.in_(team_ids))


def interactions_visible_to(user: User) -> sa.Select[Any]:
    """All for admins and reviewers, their teams' agents' for leads, their own for agents."""
    stmt = sa.select(Interaction)
    if user.role in SEE_ALL:
        return stmt
    if user.role == Role.LEAD:
        return stmt.where(Interaction.agent_id.in_(_agents_of_visible_teams(user)))
    return stmt.where(Interaction.agent_id == user.id)


def agents_visible_to(user: User) -> sa.Select[Any]:
    """The agents whose interactions this user may see, by name."""
    stmt = sa.select(User).where(User.role == Role.AGENT).order_by(User.display_name)
    if user.role in SEE_ALL:
        return stmt
    if user.role == Role.LEAD:
        return stmt.where(User.id.in_(_agents_of_visible_teams(user)))
    return stmt.where(User.id == user.id)


def agent_names_visible_to(user: User) -> sa.Select[Any]:
    """(id, display_name) of the agents_visible_to, for a filter's options: loading 500 whole
    users cost a few milliseconds of each list page."""
    return agents_visible_to(user).with_only_columns(User.id, User.display_name)


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def filter_interactions(
    stmt: sa.Select[Any],
    *,
    agent_id: int | None = None,
    team_id: int | None = None,
    channel: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    evaluated: str | None = None,
    signal: SignalKind | None = None,
) -> sa.Select[Any]:
    """Narrow a select of interactions by the list's filters (days in UTC), newest first."""
    if agent_id:
        stmt = stmt.where(Interaction.agent_id == agent_id)
    if team_id:
        stmt = stmt.where(of_team(team_id))
    if channel:
        stmt = stmt.where(Interaction.channel == channel)
    stmt = _in_days(stmt, date_from, date_to)
    if evaluated in ("yes", "no"):  # the kept flag, served with the order by one index
        stmt = stmt.where(Interaction.evaluated == (evaluated == "yes"))
    if signal is not None:
        stmt = _with_signal(stmt, signal)
    return stmt.order_by(*LIST_ORDER)


def of_team(team_id: int) -> sa.ColumnElement[bool]:
    """Interactions of the agents now in the team."""
    return Interaction.agent_id.in_(team_agent_ids(team_id))


def team_agent_ids(team_id: int) -> list[int]:
    """The ids of the agents now in the team, read first: a list of numbers lets both planners
    use an agent index, where a subquery led PostgreSQL to join every interaction to the team
    by hash (docs/performance.md, Lists)."""
    return list(db.session.scalars(_MEMBERS, {"team_id": team_id}))


# Built once: a statement made anew works out its cache key on every run (twice the time of
# running this one), and every result page reads its team's members.
_MEMBERS = sa.select(team_members.c.agent_id).where(
    team_members.c.team_id == sa.bindparam("team_id")
)


def _in_days(stmt: sa.Select[Any], date_from: date | None, date_to: date | None) -> sa.Select[Any]:
    """Interactions from the first day to the last, both whole days in UTC (either may be open)."""
    if date_from:
        stmt = stmt.where(Interaction.occurred_at >= _start_of_day(date_from))
    if date_to:
        stmt = stmt.where(Interaction.occurred_at < _start_of_day(date_to + timedelta(days=1)))
    return stmt


def _with_signal(stmt: sa.Select[Any], signal: SignalKind) -> sa.Select[Any]:
    """Interactions that carry a signal of this kind."""
    # IN, not a correlated EXISTS: the (kind, interaction_id) index answers it at once,
    # which keeps the page's count fast on a large table (benchmarks/signals.py).
    flagged = sa.select(InteractionSignal.interaction_id)
    flagged = flagged.where(InteractionSignal.kind == signal)
    return stmt.where(Interaction.id.in_(flagged))


def signals_of(interaction_ids: list[int]) -> sa.Select[tuple[InteractionSignal]]:
    """The stored signals of these interactions, in the order of the kinds (one query)."""
    order = sa.case(
        {kind.value: n for n, kind in enumerate(SignalKind)}, value=InteractionSignal.kind
    )
    return (
        sa.select(InteractionSignal)
        .where(InteractionSignal.interaction_id.in_(interaction_ids))
        .order_by(InteractionSignal.interaction_id, order)
    )
