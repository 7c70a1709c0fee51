"""The interaction aggregate (the customer metrics): each interaction counted once per agent,
UTC day and channel, evaluated or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from ..database import take_turns
from ..interactions.models import Channel, Interaction
from . import rollups
from .families import INTERACTIONS
from .models import AgentDayInteractionStats
from .sql import count_if, iso_week_start, utc_day


@dataclass(frozen=True)
class InteractionBucket:
    """One interaction aggregate row's identity."""

    agent_id: int
    day: date
    channel: str


INTERACTION_COLUMNS = ["agent_id", "day", "channel", "week_start", *INTERACTIONS.sums]


def interaction_select(where: sa.ColumnElement[bool] | None = None) -> sa.Select[Any]:
    """Per agent, day and channel: the interactions (each once), their answers and handle times."""
    i = Interaction
    keys = [
        i.agent_id,
        utc_day(i.occurred_at).label("day"),
        i.channel,
        iso_week_start(i.occurred_at).label("week_start"),
    ]
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
    if where is not None:
        stmt = stmt.where(where)
    return stmt.group_by(*keys)


def _interaction_lock(bucket: InteractionBucket) -> str:
    return f"agent-day-interactions:{bucket.agent_id}:{bucket.day.isoformat()}:{bucket.channel}"


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


def count_new_interactions(connection: Connection, new: sa.ColumnElement[bool]) -> None:
    """Add interactions just inserted (the rows `new` selects) to their buckets, in one statement.

    For bulk inserts, which the session hooks never see; each row must be selected only once.
    """
    touched = sa.select(Interaction.agent_id, utc_day(Interaction.occurred_at), Interaction.channel)
    buckets = {
        InteractionBucket(agent, _as_date(day), Channel(channel).value)
        for agent, day, channel in connection.execute(touched.where(new).distinct())
    }
    days = {(bucket.agent_id, bucket.day) for bucket in buckets}
    if connection.dialect.name == "postgresql":  # not while another writer recomputes them
        take_turns(
            connection,
            *map(_interaction_lock, buckets),
            *rollups.lock_names([INTERACTIONS], days),
        )
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    table = AgentDayInteractionStats.__table__
    stmt = dialect.insert(table).from_select(INTERACTION_COLUMNS, interaction_select(new))
    counters = INTERACTION_COLUMNS[4:]
    connection.execute(
        stmt.on_conflict_do_update(
            index_elements=["agent_id", "day", "channel"],
            set_={name: table.c[name] + stmt.excluded[name] for name in counters},
        )
    )
    rollups.refresh_rollups(connection, (INTERACTIONS,), days)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
