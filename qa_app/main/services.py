"""What each role's home page shows, put together from the slices' reads (docs/navigation.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from ..accounts.access import agents_led_by
from ..accounts.models import Team, User
from ..evaluations.models import Evaluation
from ..notifications.deadlines import overdue_acknowledgements
from ..plans import services as plans
from ..plans.models import ActionPlan
from ..results import queries as results
from ..results.periods import Filters, parse_filters
from ..results.services import change, latest_evaluations
from ..scoring import strengths_and_development_areas
from ..scoring.plans import PlanStatus
from . import queries

FALLING_POINTS = 5.0  # a quality score this many points below the previous period's is falling
TREND_WEEKS = 8


def home_filters(today: date | None = None) -> Filters:
    """The period the home pages speak of: the results pages' default, the last four weeks."""
    return parse_filters(MultiDict(), today)[0]


def trend_filters(filters: Filters) -> Filters:
    return replace(filters, start=filters.end - timedelta(weeks=TREND_WEEKS) + timedelta(days=1))


@dataclass(frozen=True)
class TrendPoint:
    week: date
    score: float
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    """A small line of weekly quality scores, laid out for an SVG of WIDTH x HEIGHT."""

    points: list[TrendPoint]
    low: float
    high: float

    WIDTH = 240
    HEIGHT = 60

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def trend(weeks: list[tuple[date, results.Totals]]) -> Trend:
    """The weeks with a score, scaled between their lowest and highest (10 points at least)."""
    scored = [(week, totals.quality) for week, totals in weeks if totals.quality is not None]
    values = [score for _week, score in scored]
    low = max(0.0, min(values, default=0.0) - 2)
    high = min(100.0, max(max(values, default=100.0) + 2, low + 10))
    step = (Trend.WIDTH - 12) / max(len(scored) - 1, 1)
    points = [
        TrendPoint(
            week, score, 6 + i * step, 6 + (high - score) / (high - low) * (Trend.HEIGHT - 12)
        )
        for i, (week, score) in enumerate(scored)
    ]
    return Trend(points, low, high)


@dataclass(frozen=True)
class Waiting:
    """The first rows of a list and how many the list holds."""

    rows: list[Any]
    total: int


@dataclass(frozen=True)
class ReviewerHome:
    queue: Waiting
    drafts: Waiting
    sessions: Waiting
    disputes: Waiting


def reviewer_home(user: User, counts: dict[str, int]) -> ReviewerHome:
    return ReviewerHome(
        queue=Waiting(queries.queue_head(user), counts.get("queue", 0)),
        drafts=Waiting(queries.drafts_head(user), counts.get("drafts", 0)),
        sessions=Waiting(queries.sessions_head(user), counts.get("calibration", 0)),
        disputes=Waiting(queries.disputes_head(user), counts.get("disputes", 0)),
    )


@dataclass(frozen=True)
class TeamLine:
    team: Team
    current: results.Totals
    previous: results.Totals

    @property
    def change(self) -> float | None:
        return change(self.current, self.previous)


@dataclass(frozen=True)
class Attention:
    """Why an agent needs the lead's eye: a falling score, development areas, a plan due."""

    agent: User
    team: Team
    falling: float | None
    development: list[str]
    plan: ActionPlan | None


@dataclass(frozen=True)
class LeadHome:
    filters: Filters
    teams: list[TeamLine]
    weeks: Trend
    attention: list[Attention]
    plans: list[tuple[ActionPlan, PlanStatus]]
    disputes: Waiting
    overdue: Sequence[Evaluation]


def lead_home(lead: User, counts: dict[str, int], today: date | None = None) -> LeadHome:
    filters = home_filters(today)
    teams = queries.led_teams(lead)
    ids = [team.id for team in teams]
    now = results.totals_by_team(filters, ids)
    before = results.totals_by_team(filters.previous(), ids)
    due = queries.plans_due(lead, filters.end)
    statuses = plans.statuses(due, filters.end)
    return LeadHome(
        filters=filters,
        teams=[
            TeamLine(t, now.get(t.id, results.Totals()), before.get(t.id, results.Totals()))
            for t in teams
        ],
        weeks=trend(results.weekly(trend_filters(filters), agents_led_by(lead))),
        attention=attention(lead, teams, filters, due),
        plans=[(plan, statuses[plan.id]) for plan in due],
        disputes=Waiting(queries.disputes_head(lead), counts.get("disputes", 0)),
        overdue=overdue_acknowledgements(lead),
    )


def attention(
    lead: User, teams: list[Team], filters: Filters, due: list[ActionPlan]
) -> list[Attention]:
    """The lead's agents with a falling score, development areas or a plan due soon."""
    members = [(agent, team) for team in teams for agent in team.agents]
    if not members:
        return []
    ids = [agent.id for agent, _team in members]
    now = results.totals_by_agent(filters, ids)
    before = results.totals_by_agent(filters.previous(), ids)
    averages = queries.criterion_averages(filters, lead)
    areas = {
        agent.id: strengths_and_development_areas(
            averages.by_agent.get(agent.id, {}), averages.by_team.get(team.id, {})
        )[1]
        for agent, team in members
    }
    names = results.criterion_names(sorted({key for keys in areas.values() for key in keys}))
    plan_of: dict[int, ActionPlan] = {}
    for plan in due:
        plan_of.setdefault(plan.agent_id, plan)
    found = []
    for agent, team in members:
        moved = change(now.get(agent.id, results.Totals()), before.get(agent.id, results.Totals()))
        falling = moved if moved is not None and moved <= -FALLING_POINTS else None
        development = [names.get(key, key) for key in areas[agent.id]]
        if falling is not None or development or agent.id in plan_of:
            found.append(Attention(agent, team, falling, development, plan_of.get(agent.id)))
    return sorted(found, key=lambda a: (a.falling or 0.0, a.agent.display_name.casefold()))


@dataclass(frozen=True)
class AgentHome:
    filters: Filters
    unread: Waiting
    self_reviews: int
    latest: sa.Row[Any] | None  # from results.services.latest_evaluations
    current: results.Totals
    previous: results.Totals
    weeks: Trend
    plan: ActionPlan | None
    plan_status: PlanStatus | None
    goals: list[plans.GoalView]
    disputes: list[Any]


def agent_home(agent: User, counts: dict[str, int], today: date | None = None) -> AgentHome:
    filters = home_filters(today)
    plan = queries.current_plan(agent, filters.end)
    status, goals = plans.progress(plan, filters.end) if plan else (None, [])
    latest = latest_evaluations(agent.id, limit=1)
    return AgentHome(
        filters=filters,
        unread=Waiting(queries.unread_head(agent), counts.get("unread", 0)),
        self_reviews=counts.get("self_reviews", 0),
        latest=latest[0] if latest else None,
        current=results.totals(filters, [agent.id]),
        previous=results.totals(filters.previous(), [agent.id]),
        weeks=trend(results.weekly(trend_filters(filters), [agent.id])),
        plan=plan,
        plan_status=status,
        goals=goals,
        disputes=queries.own_disputes(agent),
    )


@dataclass(frozen=True)
class AdminHome:
    filters: Filters
    setup: queries.SetupState
    coverage: queries.Coverage
    work: ReviewerHome


def admin_home(admin: User, counts: dict[str, int], today: date | None = None) -> AdminHome:
    filters = home_filters(today)
    return AdminHome(
        filters=filters,
        setup=queries.setup_state(),
        coverage=queries.coverage(filters.start, filters.end),
        work=reviewer_home(admin, counts),
    )
