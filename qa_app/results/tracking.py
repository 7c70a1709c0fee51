"""Keep the aggregates right: every flush that touches an evaluation or an interaction refreshes
their buckets.

Listening on the session, not in each service, means no write path (submit, edit, dispute,
delete, a command) can forget to update them. Bulk INSERTs of interactions (imports) bypass the
unit of work: their service calls `interaction_aggregates.count_new_interactions` itself.
A flush that moves agents between teams (or deletes a team) sums the team rows of every team
they left or joined again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from itertools import chain
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..accounts.models import Team, User, team_members
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..interactions.models import Channel, Interaction
from .aggregates import Bucket, rebuild, refresh
from .interaction_aggregates import InteractionBucket, refresh_interactions
from .team_rollups import rebuild_teams

PENDING = "qa_result_buckets"
PENDING_INTERACTIONS = "qa_result_interaction_buckets"
MOVED = "qa_result_moved_agents"  # agent id -> the teams they were in before the flush
SUSPENDED = "qa_result_tracking_suspended"


@contextmanager
def suspended(session: Session) -> Iterator[None]:
    """Bulk work: skip the per-flush refresh, then rebuild every aggregate once at the end."""
    session.info[SUSPENDED] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(SUSPENDED, None)
    rebuild(session.connection())


def bucket_of(evaluation: Evaluation) -> Bucket | None:
    """The aggregate row an evaluation counts in."""
    interaction, version = evaluation.interaction, evaluation.scorecard_version
    if interaction is None or version is None:
        return None
    day = interaction.occurred_at.astimezone(UTC).date()
    return Bucket(interaction.agent_id, day, interaction.channel.value, version.scorecard_id)


def _interaction_bucket(agent_id: Any, moment: Any, channel: Any) -> InteractionBucket | None:
    if agent_id is None or moment is None or channel is None:
        return None
    return InteractionBucket(agent_id, moment.astimezone(UTC).date(), Channel(channel).value)


def interaction_buckets(interaction: Interaction) -> set[InteractionBucket]:
    """The rows an interaction counts in now and, if its agent, time or channel changed, before."""
    keys = ("agent_id", "occurred_at", "channel")
    histories = [inspect(interaction).attrs[name].history for name in keys]
    before = [(h.deleted or h.unchanged or [None])[0] for h in histories]
    now = [getattr(interaction, name) for name in keys]
    return {b for b in (_interaction_bucket(*before), _interaction_bucket(*now)) if b is not None}


def _evaluation_of(obj: object) -> Evaluation | None:
    if isinstance(obj, Evaluation):
        return obj
    if isinstance(obj, EvaluationScore):
        return obj.evaluation
    return None


def _counted(evaluation: Evaluation) -> bool:
    """Whether the evaluation counts in the aggregates now or did before this flush: only
    submitted ones do, so a draft's saves (and a draft deleted) leave them alone."""
    history = inspect(evaluation).attrs.status.history
    states = [*history.added, *history.unchanged, *history.deleted] or [evaluation.status]
    return any(state != EvaluationStatus.DRAFT for state in states)


def init_tracking(app: Flask) -> None:
    """Install the session listeners that keep the aggregates current (once per process)."""
    for name, listener in (
        ("before_flush", _collect),
        ("after_flush_postexec", _apply),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(SUSPENDED):
        return
    pending: set[Bucket] = session.info.setdefault(PENDING, set())
    interactions: set[InteractionBucket] = session.info.setdefault(PENDING_INTERACTIONS, set())
    moved: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Team | User):
            moved |= _members_changed(session, obj)
        if isinstance(obj, Interaction):
            interactions |= interaction_buckets(obj)
        evaluation = _evaluation_of(obj)
        if evaluation is None or not _counted(evaluation):
            continue
        bucket = bucket_of(evaluation)
        if bucket is not None:
            pending.add(bucket)
    if moved:
        session.info.setdefault(MOVED, set()).update(_teams_of(session.connection(), moved))


def _members_changed(session: Session, obj: Team | User) -> set[int]:
    """The ids of the agents this flush moves into or out of a team through `obj`."""
    if isinstance(obj, User):
        history = inspect(obj).attrs.teams.history
        changed = obj in session.deleted or history.added or history.deleted
        return {obj.id} if changed and obj.id is not None else set()
    with session.no_autoflush:
        history = inspect(obj).attrs.agents.history
        agents = [*history.added, *history.deleted]
        if obj in session.deleted:
            agents += obj.agents
    return {agent.id for agent in agents if agent.id is not None}


def _teams_of(connection: Connection, agent_ids: set[int]) -> set[tuple[int, int | None]]:
    """(agent, team) for each of these agents' teams as the database has them (None: in none)."""
    stmt = sa.select(team_members.c.agent_id, team_members.c.team_id).where(
        team_members.c.agent_id.in_(sorted(agent_ids))
    )
    found = {(row.agent_id, row.team_id) for row in connection.execute(stmt)}
    placed = {agent_id for agent_id, _team in found}
    return found | {(agent_id, None) for agent_id in agent_ids - placed}


def _apply(session: Session, _context: Any) -> None:
    buckets = session.info.pop(PENDING, set())
    if buckets:
        refresh(session.connection(), buckets)
    interactions = session.info.pop(PENDING_INTERACTIONS, set())
    if interactions:
        refresh_interactions(session.connection(), interactions)
    before = session.info.pop(MOVED, set())
    if before:
        agents = {agent_id for agent_id, _team in before}
        after = _teams_of(session.connection(), agents)
        teams = {team for _agent, team in before | after if team is not None}
        if teams:
            rebuild_teams(session.connection(), teams, agents)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(PENDING_INTERACTIONS, None)
    session.info.pop(MOVED, None)
