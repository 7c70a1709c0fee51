"""The agent coaching report: summary, criteria, trend with a chart, evaluations, action plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..accounts.models import User
from ..plans.models import ActionPlan
from ..results.periods import Filters
from ..results.queries import Totals
from ..results.services import AgentResults, CriterionRow, agent_results
from .evaluation_sheet import evaluations_table
from .model import COUNT, DATE, SCORE, Column, LineChart, Report, Sheet, Table
from .queries import plans_by_agent
from .tables import criteria_table, filter_rows, measures_table, period_label, plans_table

TREND_CHART = LineChart("Weekly quality score", "Week of", ["Quality score", "Team quality score"])


def agent_report(agent: User, filters: Filters, creator: str) -> Report:
    """Everything a coach needs for a one-to-one with this agent over the period."""
    results = agent_results(agent, filters)
    team_name = results.team.name if results.team else None
    identity = [("Agent", agent.display_name), ("Team", team_name), *filter_rows(filters)]
    plans = plans_by_agent([agent.id], filters).get(agent.id, [])
    sheets = [
        Sheet(
            "Summary",
            [measures_table(identity, results.current, results.previous, _team(results))],
            autofilter=False,
        ),
        Sheet("Criteria", [criteria_table(results.criteria)], freeze_columns=1),
        Sheet("Trend", [trend_table(results)], chart=TREND_CHART),
        Sheet(
            "Evaluations",
            [evaluations_table(filters, [agent.id], with_agent=False)],
            freeze_columns=1,
        ),
        Sheet("Action plan", [plans_table(plans)], freeze_columns=1),
    ]
    return Report(f"Coaching report: {agent.display_name}", period_label(filters), creator, sheets)


def _team(results: AgentResults) -> tuple[str, Totals] | None:
    return ("Team", results.team_current) if results.team is not None else None


def trend_table(results: AgentResults) -> Table:
    """The agent's and the team's quality score per ISO week (weeks by their Monday)."""
    mine: dict[Any, Totals] = dict(results.weeks)
    team: dict[Any, Totals] = dict(results.team_weeks)
    columns = [
        Column("Week of", DATE),
        Column("Evaluations", COUNT),
        Column("Quality score", SCORE),
        Column("Team quality score", SCORE),
    ]
    rows = [
        (
            week,
            mine.get(week, Totals()).evaluations,
            mine.get(week, Totals()).quality,
            team.get(week, Totals()).quality,
        )
        for week in sorted(set(mine) | set(team))
    ]
    return Table(columns, rows)


def coaching_sheet(
    name: str,
    identity: Sequence[tuple[str, Any]],
    numbers: tuple[Totals, Totals, tuple[str, Totals] | None],
    criteria: Sequence[CriterionRow],
    plans: Sequence[ActionPlan],
) -> Sheet:
    """One agent on one sheet, for the team report: summary, criteria and action plan."""
    current, previous, comparison = numbers
    tables = [
        measures_table(identity, current, previous, comparison, title=f"{name}: summary"),
        criteria_table(criteria, title="Criteria"),
        plans_table(plans, title="Action plan"),
    ]
    return Sheet(name, tables, autofilter=False)
