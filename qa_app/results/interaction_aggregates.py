"""The interaction aggregate (the customer metrics): each interaction counted once per agent,
UTC day and channel, evaluated or not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..accounts.models import team_members
from ..database import MANY_NAMES, take_turns
from ..interactions.models import Channel, Interaction
from . import marks, rollups
from .families import DAY, INTERACTIONS, MONTH, ROLLUPS, TEAMS, WEEK, Grain
from .models import AgentDayInteractionStats
from .sql import count_if, iso_week_start, month_of, unindexed, utc_day
from .team_rollups import agent_team_locks, team_locks


@dataclass(frozen=True)
class InteractionBucket:
    """One interaction aggregate row's identity."""

    agent_id: int
    day: date
    channel: str


INTERACTION_COLUMNS = ["agent_id", "day", "channel", "week_start", *INTERACTIONS.sums]


def interaction_select(
    where: sa.ColumnElement[bool] | None = None,
    grain: Grain = DAY,
    per_team: bool = False,
    by_id: bool = False,
) -> sa.Select[Any]:
    """Per agent (or, `per_team`, the team the agent is in today), period of the grain and
    channel: the interactions (each once), their answers and handle times. The agents' daily
    rows also hold their week's Monday (INTERACTION_COLUMNS); the others, `Family.columns`.

    `by_id`: `where` picks the rows by their ids, and SQLite is to read just those (it would
    read every agent's rows in the order of the agent's index, to group them by agent)."""
    i = Interaction
    day, week = utc_day(i.occurred_at), iso_week_start(i.occurred_at)
    period = week if grain is WEEK else month_of(day) if grain is MONTH else day
    owner = team_members.c.team_id if per_team else unindexed(i.agent_id) if by_id else i.agent_id
    keys = [owner, period.label(grain.column), i.channel]
    if grain is DAY and not per_team:
        keys.append(week.label("week_start"))
    sums = [
        sa.func.count(i.id),
        sa.func.count(i.csat),
        count_if(i.csat >= 4),
        sa.func.count(i.nps),
        count_if(i.nps >= 9),
        count_if(i.nps <= 6),
        sa.func.count(i.ces),
        sa.func.coalesce(sa.func.sum(i.ces), 0),
        sa.func.count(i.first_contact_resolved),
        count_if(i.first_contact_resolved.is_(True)),
        sa.func.count(i.handle_seconds),
        sa.func.coalesce(sa.func.sum(i.handle_seconds), 0),
    ]
    stmt = sa.select(*keys, *sums)
    if per_team:
        stmt = stmt.join_from(i, team_members, team_members.c.agent_id == i.agent_id)
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


DAY_KIND = "agent-day-interactions"


def _interaction_lock(bucket: InteractionBucket) -> str:
    return f"{DAY_KIND}:{bucket.agent_id}:{bucket.day.isoformat()}:{bucket.channel}"


def refresh_interactions(connection: Connection, buckets: set[InteractionBucket]) -> None:
    """Recompute the given interaction buckets from the interactions (one writer at a time), then
    their weeks and months."""
    days = {(bucket.agent_id, bucket.day) for bucket in buckets}
    take_turns(
        connection,
        *(_interaction_lock(bucket) for bucket in buckets),
        *rollups.lock_names([INTERACTIONS], days),
    )
    model = AgentDayInteractionStats
    for bucket in buckets:
        start = datetime.combine(bucket.day, time(), tzinfo=UTC)
        connection.execute(
            sa.delete(model).where(
                model.agent_id == bucket.agent_id,
                model.day == bucket.day,
                model.channel == bucket.channel,
            )
        )
        inside = sa.and_(
            Interaction.agent_id == bucket.agent_id,
            Interaction.channel == Channel(bucket.channel),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < start + timedelta(days=1),
        )
        connection.execute(
            sa.insert(model).from_select(INTERACTION_COLUMNS, interaction_select(inside))
        )
    rollups.refresh_rollups(connection, (INTERACTIONS,), days)


BIG_BATCH = 1000  # new rows from which their days are summed once, into a temporary table

Source = Callable[[Grain, bool], sa.Select[Any]]  # the new sums per grain, and per team or not


def count_new_interactions(
    connection: Connection, new: sa.ColumnElement[bool], rows: int = 1
) -> None:
    """Add interactions just inserted (the rows `new` selects, by their ids; about `rows` of
    them) to every table counting them.

    For bulk inserts, which the session hooks never see; each row must be selected only once.
    New interactions only add to the sums, so each table of the agents' and teams' days, weeks
    and months gets one statement adding the new rows' sums to its rows (or making them): no
    row is summed again, and nothing but the agents and teams touched is held in Python. A big
    batch's rows are read once, summed per agent, day and channel into a temporary table, and
    the other five tables are summed from that (half the time at 100,000 rows in teams).
    """
    agents = list(connection.scalars(sa.select(Interaction.agent_id).where(new).distinct()))
    _take_turns(connection, new, agents)
    if rows < BIG_BATCH:
        _add(connection, partial(interaction_select, new, by_id=True))
    else:
        days = _new_days(connection, new)
        _add(connection, lambda grain, per_team: _from_days(days, grain, per_team))
        days.drop(connection)  # on a failure the caller's rollback takes it away
    marks.stamp(connection, map(marks.agent, agents))


def _add(connection: Connection, source: Source) -> None:
    """Add the sums `source` gives to each table of the customer sums (or make their rows)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    for family in (INTERACTIONS, TEAMS[INTERACTIONS]):
        per_team = family is not INTERACTIONS
        for grain in (DAY, *ROLLUPS):
            table = family.model(grain).__table__
            daily = grain is DAY and not per_team  # the agents' days also hold their week
            columns = INTERACTION_COLUMNS if daily else family.columns(grain)
            stmt = dialect.insert(table).from_select(columns, source(grain, per_team))
            connection.execute(
                stmt.on_conflict_do_update(
                    index_elements=list(table.primary_key.columns),
                    set_={name: table.c[name] + stmt.excluded[name] for name in INTERACTIONS.sums},
                )
            )


def _new_days(connection: Connection, new: sa.ColumnElement[bool]) -> sa.Table:
    """A temporary table of the new rows' sums per agent, day and channel (with the week)."""
    like = AgentDayInteractionStats.__table__.c
    columns = [sa.Column(name, like[name].type) for name in INTERACTION_COLUMNS]
    days = sa.Table("new_interaction_days", sa.MetaData(), *columns, prefixes=["TEMPORARY"])
    days.create(connection)
    select = interaction_select(new, by_id=True)
    connection.execute(sa.insert(days).from_select(INTERACTION_COLUMNS, select))
    return days


def _from_days(days: sa.Table, grain: Grain, per_team: bool) -> sa.Select[Any]:
    """The sums of the new days per agent (or their team today), period of the grain, channel."""
    c = days.c
    if grain is DAY and not per_team:  # WHERE: an upsert's SELECT needs one on SQLite
        return sa.select(*[c[name] for name in INTERACTION_COLUMNS]).where(sa.true())
    period = c.week_start if grain is WEEK else month_of(c.day) if grain is MONTH else c.day
    keys = [team_members.c.team_id if per_team else c.agent_id, period, c.channel]
    stmt = sa.select(*keys, *[sa.func.sum(c[name]) for name in INTERACTIONS.sums])
    if per_team:
        stmt = stmt.join_from(days, team_members, team_members.c.agent_id == c.agent_id)
    return stmt.group_by(*keys)


def _take_turns(connection: Connection, new: sa.ColumnElement[bool], agents: list[int]) -> None:
    """On PostgreSQL, wait for the other writers of the rows the new interactions add to: by
    name when they touch few days, else every writer of the customer sums (the kinds, nothing
    listed); whose team each agent is in, by name; then the agents' teams."""
    if connection.dialect.name != "postgresql":
        return
    i = Interaction
    touched = sa.select(i.agent_id, utc_day(i.occurred_at), i.channel).where(new).distinct()
    buckets = {
        InteractionBucket(agent, _as_date(day), Channel(channel).value)
        for agent, day, channel in connection.execute(touched.limit(MANY_NAMES + 1))
    }
    if len(buckets) > MANY_NAMES:
        kinds = [DAY_KIND, *rollups.lock_kinds([INTERACTIONS])]
        take_turns(connection, *agent_team_locks(agents), kinds=kinds)
    else:
        days = {(bucket.agent_id, bucket.day) for bucket in buckets}
        take_turns(
            connection,
            *map(_interaction_lock, buckets),
            *rollups.lock_names([INTERACTIONS], days),
        )
    # their members cannot change now: the agents' team locks are held
    found = sa.select(team_members.c.team_id).where(team_members.c.agent_id.in_(agents))
    take_turns(connection, *team_locks(connection.scalars(found.distinct())))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
