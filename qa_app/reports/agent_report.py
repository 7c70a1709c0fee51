"""The agent coaching report: summary, criteria, trend with a chart, evaluations, action plan.

`agent_report` reads everything first; the builders below only arrange what it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from ..accounts.models import User
from ..results.causes import CauseCount, root_causes
from ..results.periods import Filters
from ..results.queries import Totals
from ..results.services import AgentResults, CriterionRow, agent_results
from ..xlsx.model import COUNT, DATE, SCORE, Column, LineChart, Report, Sheet, Table
from .evaluation_chunks import EvaluationSource, Progress, read_evaluations
from .evaluation_sheet import evaluations_table
from .queries import PlanProgress, plan_progress, plans_by_agent, scorecard_name
from .tables import (
    criteria_table,
    filter_rows,
    measures_table,
    plans_table,
    root_causes_tables,
    workbook,
)


@dataclass(frozen=True)
class AgentData:
    """Everything the agent report shows, read before any table is built."""

    name: str
    results: AgentResults
    plans: list[PlanProgress]
    scorecard: str | None
    evaluations: EvaluationSource
    root_causes: list[CauseCount]


def agent_report(
    agent: User, filters: Filters, creator: str, progress: Progress | None = None
) -> Report:
    """Everything a coach needs for a one-to-one with this agent over the period.

    `progress` hears how many evaluations were written so far (see evaluation_chunks.py).
    """
    data = AgentData(
        agent.display_name,
        agent_results(agent, filters),
        plan_progress(plans_by_agent([agent.id], filters).get(agent.id, [])),
        scorecard_name(filters),
        read_evaluations(filters, [agent.id], progress),
        root_causes(filters, [agent.id]),
    )
    title = _("Coaching report: %(agent)s", agent=data.name)
    return workbook(title, filters, creator, agent_sheets(data, filters))


def agent_sheets(data: AgentData, filters: Filters) -> list[Sheet]:
    """The report's five sheets, from what was read."""
    results = data.results
    team_name = results.team.name if results.team else None
    identity = [
        (_("Agent"), data.name),
        (_("Team"), team_name),
        *filter_rows(filters, data.scorecard),
    ]
    summary = measures_table(identity, results.current, results.previous, _team(results))
    return [
        Sheet(_("Summary"), [summary, *root_causes_tables(data.root_causes)], autofilter=False),
        Sheet(_("Criteria"), [criteria_table(results.criteria)], freeze_columns=1),
        Sheet(_("Trend"), [trend_table(results)], chart=_trend_chart()),
        Sheet(
            _("Evaluations"),
            [evaluations_table(data.evaluations, with_agent=False)],
            freeze_columns=1,
        ),
        Sheet(_("Action plan"), [plans_table(data.plans)], freeze_columns=1),
    ]


def _trend_chart() -> LineChart:
    quality = _("Quality score")
    return LineChart(
        _("Weekly quality score"), _("Week of"), [quality, _("Team quality score")], quality
    )


def _team(results: AgentResults) -> tuple[str, Totals] | None:
    return (_("Team"), results.team_current) if results.team is not None else None


def trend_table(results: AgentResults) -> Table:
    """The agent's and the team's quality score per ISO week (weeks by their Monday)."""
    mine: dict[Any, Totals] = dict(results.weeks)
    team: dict[Any, Totals] = dict(results.team_weeks)
    columns = [
        Column(_("Week of"), DATE),
        Column(_("Evaluations"), COUNT),
        Column(_("Quality score"), SCORE),
        Column(_("Team quality score"), SCORE),
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
    plans: Sequence[PlanProgress],
) -> Sheet:
    """One agent on one sheet, for the team report: summary, criteria and action plan."""
    current, previous, comparison = numbers
    tables = [
        measures_table(
            identity, current, previous, comparison, title=_("%(agent)s: summary", agent=name)
        ),
        criteria_table(criteria, title=_("Criteria")),
        plans_table(plans, title=_("Action plan")),
    ]
    return Sheet(name, tables, autofilter=False)
