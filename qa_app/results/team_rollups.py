"""The teams' tables (TEAMS): each team's evaluation and customer sums per day, ISO week and
month, summed from the agents' rows of whoever is in the team today, kept exact in the writer's
own transaction.

A flush that refreshed agents' days sums the periods holding those days again for the agents'
teams (`refresh_teams`, from `rollups.refresh_rollups`); a flush that moves agents between teams
sums every row of each team they left or joined again (`rebuild_teams`, from the session hook in
tracking.py). An agent is in one team at most, so the teams' sums never count an agent twice.

Locks (PostgreSQL; `take_turns`): a writer of an agent's rows holds `agent-team:<agent>`
(`rollups.lock_names`) before it reads the agent's team, then `team-rollups:<team>`; a move takes
`agent-team:<agent>` of the agents it moves, then the teams' locks.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..accounts.models import team_members
from ..database import take_turns
from .families import DAY, MONTH, ROLLUPS, TEAMS, Family, Grain, periods
from .sql import month_of


def team_select(
    family: Family, grain: Grain, source: Grain | None = None, where: Any = None
) -> sa.Select[Any]:
    """The team rows of one grain: the agents' rows of the `source` grain (the same grain; the
    daily rows for `flask results check`) of each team's members today, summed per period."""
    model = family.model(source or grain)
    # A daily row holds its day and its week's Monday; its month is worked out.
    monthly = grain is MONTH and source is DAY
    period = month_of(model.day) if monthly else getattr(model, grain.column)
    team = team_members.c.team_id
    keys = [team, period.label(grain.column), *[getattr(model, k) for k in family.keys]]
    sums = [sa.func.sum(getattr(model, name)).label(name) for name in family.sums]
    members = team_members.c.agent_id == model.agent_id
    stmt = sa.select(*keys, *sums).join_from(model, team_members, members)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


def agent_team_locks(agent_ids: Iterable[int]) -> list[str]:
    """The names guarding whose team each of these agents is in (see above)."""
    return [f"agent-team:{agent_id}" for agent_id in sorted(set(agent_ids))]


def team_locks(team_ids: Iterable[int]) -> list[str]:
    return [f"team-rollups:{team_id}" for team_id in sorted(set(team_ids))]


def refresh_teams(connection: Connection, family: Family, days: set[tuple[int, date]]) -> None:
    """Sum again the team rows of the periods holding these days, for the teams the agents are
    in now (read after `lock_names` made changes of their teams wait)."""
    agents = sorted({agent_id for agent_id, _day in days})
    team = team_members.c.team_id
    found = sa.select(team).where(team_members.c.agent_id.in_(agents)).distinct()
    team_ids = sorted(connection.scalars(found))
    if not team_ids:
        return
    take_turns(connection, *team_locks(team_ids))  # one writer of a team's rows at a time
    for grain in (DAY, *ROLLUPS):
        values = {"team_ids": team_ids, "starts": sorted(periods(grain, days))}
        for statement in _team_refresh(family, grain):
            connection.execute(statement, values)


@functools.cache
def _team_refresh(
    family: Family, grain: Grain, every_period: bool = False
) -> tuple[sa.Delete, sa.Insert]:
    """The delete and the insert that sum a grain's team rows again, for the teams (and, unless
    `every_period`, the periods) given as parameters: built once (building them took longer
    than running them)."""
    teams = TEAMS[family]
    model, source = teams.model(grain), family.model(grain)
    team_ids = sa.bindparam("team_ids", expanding=True)
    starts = sa.bindparam("starts", expanding=True)
    kept, inside = model.team_id.in_(team_ids), team_members.c.team_id.in_(team_ids)
    if not every_period:
        kept = sa.and_(kept, getattr(model, grain.column).in_(starts))
        inside = sa.and_(inside, getattr(source, grain.column).in_(starts))
    delete = sa.delete(model).where(kept)
    insert = sa.insert(model).from_select(
        teams.columns(grain), team_select(family, grain, where=inside)
    )
    return delete, insert


def rebuild_teams(
    connection: Connection, team_ids: Iterable[int], agent_ids: Iterable[int]
) -> None:
    """Sum again every row of these teams, whose members changed (these agents joined or left
    them), after the writers of those agents' rows are done (the session hook, tracking.py)."""
    team_ids, agent_ids = sorted(set(team_ids)), sorted(set(agent_ids))
    take_turns(connection, *agent_team_locks(agent_ids))
    counted = sa.union_all(
        *(
            sa.select(family.model(MONTH).agent_id).where(
                family.model(MONTH).agent_id.in_(agent_ids)
            )
            for family in TEAMS
        )
    )
    if not connection.execute(sa.select(counted.exists())).scalar():
        return  # agents with nothing counted yet (new users): no team's sums change
    take_turns(connection, *team_locks(team_ids))
    for family in TEAMS:
        for grain in (DAY, *ROLLUPS):
            for statement in _team_refresh(family, grain, every_period=True):
                connection.execute(statement, {"team_ids": team_ids})


def delete_teams() -> list[sa.Delete]:
    """Statements that empty every team table."""
    return [sa.delete(teams.model(grain)) for teams in TEAMS.values() for grain in (DAY, *ROLLUPS)]


def build_teams() -> list[sa.Insert]:
    """Statements that fill every team table from the (already filled) agents' tables."""
    return [
        sa.insert(teams.model(grain)).from_select(teams.columns(grain), team_select(family, grain))
        for family, teams in TEAMS.items()
        for grain in (DAY, *ROLLUPS)
    ]


def team_tables() -> list[sa.Table]:
    return [teams.model(grain).__table__ for teams in TEAMS.values() for grain in (DAY, *ROLLUPS)]
