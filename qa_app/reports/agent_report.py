"""The agent coaching report: summary, criteria, trend with a chart, evaluations, action plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from ..accounts.models import User
from ..i18n import current_locale
from ..plans.models import ActionPlan
from ..results.periods import Filters
from ..results.queries import Totals
from ..results.services import AgentResults, CriterionRow, agent_results
from .evaluation_sheet import evaluations_table
from .formats import excel_date_format
from .model import COUNT, DATE, SCORE, Column, LineChart, Report, Sheet, Table
from .queries import plans_by_agent
from .tables import criteria_table, filter_rows, measures_table, period_label, plans_table


def _trend_chart() -> LineChart:
    quality = _("Quality score")
    return LineChart(
        _("Weekly quality score"), _("Week of"), [quality, _("Team quality score")], quality
    )


def agent_report(agent: User, filters: Filters, creator: str) -> Report:
    """Everything a coach needs for a one-to-one with this agent over the period."""
    results = agent_results(agent, filters)
    team_name = results.team.name if results.team else None
    identity = [(_("Agent"), agent.display_name), (_("Team"), team_name), *filter_rows(filters)]
    plans = plans_by_agent([agent.id], filters).get(agent.id, [])
    sheets = [
        Sheet(
            _("Summary"),
            [measures_table(identity, results.current, results.previous, _team(results))],
            autofilter=False,
        ),
        Sheet(_("Criteria"), [criteria_table(results.criteria)], freeze_columns=1),
        Sheet(_("Trend"), [trend_table(results)], chart=_trend_chart()),
        Sheet(
            _("Evaluations"),
            [evaluations_table(filters, [agent.id], with_agent=False)],
            freeze_columns=1,
        ),
        Sheet(_("Action plan"), [plans_table(plans)], freeze_columns=1),
    ]
    title = _("Coaching report: %(agent)s", agent=agent.display_name)
    return Report(
        title,
        period_label(filters),
        creator,
        sheets,
        subject=report_subject(),
        date_format=report_date_format(),
    )


def report_subject() -> str:
    return _("QA coaching report")


def report_date_format() -> str:
    """Dates in the workbook as the exporter's language writes them."""
    return excel_date_format(current_locale())


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
    plans: Sequence[ActionPlan],
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
