"""The numbers behind the result pages, put together from the queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa

from ..accounts.models import Team, User
from ..autoqa.queries import AutoTotals, Period, auto_totals
from ..evaluations.access import HIDDEN_FROM_AGENT, hidden_from_agent
from ..evaluations.models import Evaluation, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from ..scoring import strengths_and_development_areas
from . import queries
from .periods import Filters
from .queries import CriterionAverage, Totals


@dataclass(frozen=True)
class CriterionRow:
    key: str
    name: str
    agent: CriterionAverage | None
    team: CriterionAverage | None
    is_strength: bool
    is_development: bool

    @property
    def difference(self) -> float | None:
        if self.agent is None or self.team is None:
            return None
        return self.agent.average - self.team.average


@dataclass(frozen=True)
class AgentResults:
    agent: User
    team: Team | None
    current: Totals
    previous: Totals
    team_current: Totals
    weeks: list[tuple[object, Totals]]
    team_weeks: list[tuple[object, Totals]]
    criteria: list[CriterionRow]
    auto: AutoTotals


def auto_series(
    filters: Filters, agent_ids: queries.AgentIds | None, handled: Totals | None = None
) -> AutoTotals:
    """The Auto QA line of a scope, read from the autoqa tables; never mixed into Totals.

    `handled`: the scope's totals of the same filters, when the page has them: their count of
    interactions is the coverage's denominator.
    """
    period = Period(filters.start, filters.end)
    count = handled.interactions if handled is not None else None
    return auto_totals(period, agent_ids, filters.channel, filters.scorecard_id, handled=count)


def change(current: Totals, previous: Totals) -> float | None:
    """The quality score now minus the quality score of the previous period."""
    if current.quality is None or previous.quality is None:
        return None
    return current.quality - previous.quality


def criterion_rows(
    mine: dict[str, CriterionAverage], team: dict[str, CriterionAverage]
) -> list[CriterionRow]:
    """Criteria with the agent's and team's averages, strengths and development areas marked."""
    strengths, development = strengths_and_development_areas(
        {k: (v.average, v.scores) for k, v in mine.items()}, {k: v.average for k, v in team.items()}
    )
    rows = [
        CriterionRow(
            key,
            (mine.get(key) or team[key]).name,
            mine.get(key),
            team.get(key),
            key in strengths,
            key in development,
        )
        for key in sorted(set(mine) | set(team))
    ]
    return sorted(rows, key=lambda r: r.name.casefold())


def colleague_ids(agent: User) -> queries.AgentIds:
    """The ids of the agents of the agent's team (the agent alone when in none)."""
    return queries.team_agent_ids(agent.team.id) if agent.team else [agent.id]


def agent_trend(
    agent: User, filters: Filters, team_ids: queries.AgentIds | None = None
) -> tuple[list[tuple[object, Totals]], ...]:
    """The agent's weekly totals and their team's."""
    team_ids = colleague_ids(agent) if team_ids is None else team_ids
    return queries.weekly(filters, [agent.id]), queries.weekly(filters, team_ids)


def agent_criteria(
    agent: User, filters: Filters, team_ids: queries.AgentIds | None = None
) -> list[CriterionRow]:
    """The agent's criteria against the team's."""
    return criterion_rows(
        queries.criterion_averages(filters, [agent.id]),
        queries.criterion_averages(filters, colleague_ids(agent) if team_ids is None else team_ids),
    )


def agent_results(agent: User, filters: Filters, team_ids: list[int] | None = None) -> AgentResults:
    """`team_ids`: the agent's `colleague_ids` when the caller has read them."""
    if team_ids is None:  # read once: the trend, the totals and the criteria use them
        team_ids = colleague_ids(agent)
    weeks, team_weeks = agent_trend(agent, filters, team_ids)
    # The team's totals are its agents' totals: the agent's own come from the same read.
    by_agent = queries.totals_by_agent(filters, team_ids)
    current = by_agent.get(agent.id, Totals())
    return AgentResults(
        agent=agent,
        team=agent.team,
        current=current,
        previous=queries.totals(filters.previous(), [agent.id]),
        team_current=queries.combined(by_agent.values()),
        weeks=weeks,
        team_weeks=team_weeks,
        criteria=agent_criteria(agent, filters, team_ids),
        auto=auto_series(filters, [agent.id], current),
    )


def latest_evaluations(agent_id: int, limit: int = 5) -> list[sa.Row[Any]]:
    """The agent's newest submitted evaluations with their comments: each row's id, external_id,
    submitted_at, score, reviewer (the name), strengths and improvements."""
    statement = _latest_statement(limit, tuple(HIDDEN_FROM_AGENT.items()))
    return list(db.session.execute(statement, {"agent_id": agent_id}))


@cache
def _latest_statement(limit: int, _hiders: tuple[object, ...]) -> sa.Select[Any]:
    """Built once for what hides an evaluation from its agent (`_hiders`, the slices' say, only
    a key here): building it cost more than running it, on every visit of an agent page."""
    # Read backwards through the (agent_id, submitted_at) index of the evaluation's agent copy:
    # five index entries whatever the agent's history (through the agent's interactions it
    # read and sorted every evaluation of the agent). One statement of the columns shown: the
    # agent page reads it on every visit, and loading objects with their relations cost three.
    e = Evaluation
    return (
        sa.select(
            e.id,
            Interaction.external_id,
            e.submitted_at,
            e.score,
            User.display_name.label("reviewer"),
            e.strengths,
            e.improvements,
        )
        .join_from(e, Interaction, Interaction.id == e.interaction_id)
        .outerjoin(User, User.id == e.reviewer_id)
        .where(
            e.agent_id == sa.bindparam("agent_id"),
            e.submitted_at.is_not(None),
            e.status == EvaluationStatus.SUBMITTED,
            e.is_calibration.is_(False),
            ~hidden_from_agent(),  # shown to the agent too: a pending self-review hides it
        )
        .order_by(e.submitted_at.desc(), e.id.desc())
        .limit(limit)
    )


@dataclass(frozen=True)
class TeamResults:
    team: Team
    current: Totals
    previous: Totals
    agents: list[tuple[User, Totals, Totals]]
    weeks: list[tuple[object, Totals]]
    weakest: list[CriterionAverage]
    auto: AutoTotals


def team_results(team: Team, filters: Filters, ids: list[int] | None = None) -> TeamResults:
    """`ids`: the team's agent ids when the caller has read them."""
    if ids is None:
        ids = queries.team_agent_ids(team.id)
    now, before = (
        queries.totals_by_agent(filters, ids),
        queries.totals_by_agent(filters.previous(), ids),
    )
    criteria = sorted(queries.criterion_averages(filters, ids).values(), key=lambda c: c.average)
    current = queries.combined(now.values())  # the team's rows are its agents' rows
    return TeamResults(
        team=team,
        current=current,
        previous=queries.combined(before.values()),
        agents=[(a, now.get(a.id, Totals()), before.get(a.id, Totals())) for a in team.agents],
        weeks=queries.weekly(filters, ids),
        weakest=criteria[:5],
        auto=auto_series(filters, ids, current),
    )
