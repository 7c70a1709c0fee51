"""The team report (and the same for the whole organisation): agents, heat map, trend, evaluations.

`team_report` reads the numbers first and the builders only arrange them. With `agent_sheets`, one
coaching sheet per agent follows; each agent's few reads and sheet are made one at a time while the
workbook is written, so a large organisation never sits in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain

from flask_babel import gettext as _

from ..accounts.models import Team
from ..results import causes, queries
from ..results.causes import CauseCount
from ..results.periods import Filters
from ..results.queries import AgentIds, CriterionAverage, Totals
from ..results.services import criterion_rows
from ..xlsx.model import (
    AVERAGE,
    COUNT,
    DATE,
    PERCENT,
    SCORE,
    Column,
    LineChart,
    Report,
    Sheet,
    Table,
)
from .agent_report import coaching_sheet
from .evaluation_chunks import EvaluationSource, Progress, read_evaluations
from .evaluation_sheet import evaluations_table
from .queries import (
    AgentRef,
    agents,
    criterion_averages_by_agent,
    plan_progress,
    plans_by_agent,
    scorecard_name,
    team_numbers,
)
from .tables import (
    filter_rows,
    measures_table,
    metric_columns,
    metric_values,
    root_causes_tables,
    workbook,
)


def _trend_chart() -> LineChart:
    quality = _("Quality score")
    return LineChart(_("Weekly quality score"), _("Week of"), [quality], quality)


@dataclass(frozen=True)
class Scope:
    """Whose numbers: one team's agents, or every agent (agent_ids None)."""

    name: str
    agents: list[AgentRef]
    agent_ids: AgentIds | None
    is_organisation: bool = False


def team_scope(team: Team) -> Scope:
    return Scope(team.name, agents(team.id), queries.team_agent_ids(team.id))


def organisation_scope() -> Scope:
    return Scope(_("Whole organisation"), agents(), None, is_organisation=True)


@dataclass(frozen=True)
class Numbers:
    """Everything the team report shows but the coaching sheets, read before any table is built."""

    current: Totals
    previous: Totals
    by_agent: dict[int, Totals]
    by_agent_before: dict[int, Totals]
    criteria: dict[str, CriterionAverage]
    criteria_by_agent: dict[int, dict[str, CriterionAverage]]
    weeks: list[tuple[object, Totals]]
    scorecard: str | None
    evaluations: EvaluationSource
    root_causes: list[CauseCount]


def numbers(scope: Scope, filters: Filters, progress: Progress | None = None) -> Numbers:
    """The scope's numbers, each read with one GROUP BY on the aggregates (evaluations: later)."""
    ids, before = scope.agent_ids, filters.previous()
    by_agent = queries.totals_by_agent(filters, ids)
    by_agent_before = queries.totals_by_agent(before, ids)
    return Numbers(
        current=queries.combined(by_agent.values()),
        previous=queries.combined(by_agent_before.values()),
        by_agent=by_agent,
        by_agent_before=by_agent_before,
        criteria=queries.criterion_averages(filters, ids),
        criteria_by_agent=criterion_averages_by_agent(filters, ids),
        weeks=queries.weekly(filters, ids),
        scorecard=scorecard_name(filters),
        evaluations=read_evaluations(filters, ids, progress),
        root_causes=causes.root_causes(filters, ids),
    )


def team_report(
    scope: Scope,
    filters: Filters,
    creator: str,
    agent_sheets: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Agents side by side, a heat map of criteria, the trend, every evaluation.

    `progress` hears how many evaluations were written so far (see evaluation_chunks.py).
    """
    found = numbers(scope, filters, progress)
    sheets = team_sheets(scope, found, filters)
    if scope.is_organisation:
        title = _("Organisation report")
    else:
        title = _("Team report: %(team)s", team=scope.name)
    all_sheets = chain(sheets, coaching_sheets(scope, filters, found)) if agent_sheets else sheets
    return workbook(title, filters, creator, all_sheets)


def team_sheets(scope: Scope, found: Numbers, filters: Filters) -> list[Sheet]:
    """Summary, agents, heat map, trend and evaluations, from what was read."""
    label = _("Team") if not scope.is_organisation else _("Scope")
    identity = [(label, scope.name), (_("Agents"), len(scope.agents))]
    identity += filter_rows(filters, found.scorecard)
    names = _name_columns(scope)
    return [
        Sheet(
            _("Summary"),
            [
                measures_table(identity, found.current, found.previous),
                *root_causes_tables(found.root_causes),
            ],
            autofilter=False,
        ),
        Sheet(_("Agents"), [agents_table(scope, found)], freeze_columns=names),
        Sheet(_("Heat map"), [heat_map_table(scope, found)], freeze_columns=names),
        Sheet(_("Trend"), [trend_table(found.weeks)], chart=_trend_chart()),
        Sheet(
            _("Evaluations"),
            [evaluations_table(found.evaluations, with_agent=True)],
            freeze_columns=2,
        ),
    ]


def _name_columns(scope: Scope) -> int:
    return 2 if scope.is_organisation else 1


def _names(scope: Scope, agent: AgentRef) -> tuple[str, ...]:
    return (agent.name, agent.team_name) if scope.is_organisation else (agent.name,)


def _name_headers(scope: Scope) -> list[Column]:
    agent = Column(_("Agent"))
    return [agent, Column(_("Team"))] if scope.is_organisation else [agent]


def agents_table(scope: Scope, found: Numbers) -> Table:
    """One row per agent: the period's numbers and the change against the previous period."""
    rows = [
        (
            *_names(scope, agent),
            *metric_values(
                found.by_agent.get(agent.id, Totals()),
                found.by_agent_before.get(agent.id, Totals()),
            ),
        )
        for agent in scope.agents
    ]
    return Table([*_name_headers(scope), *metric_columns()], rows)


def heat_map_table(scope: Scope, found: Numbers) -> Table:
    """Criteria across, agents down: each agent's average, shaded from 1 (red) to 5 (green)."""
    criteria = sorted(found.criteria.values(), key=lambda c: c.name.casefold())
    rows = []
    for agent in scope.agents:
        mine = found.criteria_by_agent.get(agent.id, {})
        averages = [mine[c.key].average if c.key in mine else None for c in criteria]
        rows.append((*_names(scope, agent), *averages))
    columns = [*_name_headers(scope), *(Column(c.name, AVERAGE) for c in criteria)]
    return Table(columns, rows, color_scale=[c.name for c in criteria])


def trend_table(weeks: list[tuple[object, Totals]]) -> Table:
    """The scope's quality score and pass rate per ISO week."""
    columns = [
        Column(_("Week of"), DATE),
        Column(_("Evaluations"), COUNT),
        Column(_("Quality score"), SCORE),
        Column(_("Pass rate"), PERCENT),
    ]
    rows = [(week, t.evaluations, t.quality, t.pass_rate) for week, t in weeks]
    return Table(columns, rows)


def _comparisons(
    scope: Scope, filters: Filters, found: Numbers
) -> Callable[[AgentRef], tuple[Totals, dict[str, CriterionAverage]]]:
    """The group an agent is compared with: their team (or only themselves without one)."""

    @cache
    def of_team(team_id: int) -> tuple[Totals, dict[str, CriterionAverage]]:
        return team_numbers(team_id, filters)

    def compare(agent: AgentRef) -> tuple[Totals, dict[str, CriterionAverage]]:
        if not scope.is_organisation:
            return found.current, found.criteria
        if agent.team_id is None:
            return found.by_agent.get(agent.id, Totals()), found.criteria_by_agent.get(agent.id, {})
        return of_team(agent.team_id)

    return compare


def coaching_sheets(scope: Scope, filters: Filters, found: Numbers) -> Iterator[Sheet]:
    """One coaching sheet per agent, read and made as the writer reaches it."""
    plans = plans_by_agent(scope.agent_ids, filters)
    compare = _comparisons(scope, filters, found)
    for agent in scope.agents:
        team_totals, team_criteria = compare(agent)
        progress = plan_progress(plans.get(agent.id, []))
        identity = [(_("Agent"), agent.name), (_("Team"), agent.team_name)]
        identity += filter_rows(filters, found.scorecard)
        current = found.by_agent.get(agent.id, Totals())
        previous = found.by_agent_before.get(agent.id, Totals())
        comparison = (_("Team"), team_totals) if agent.team_id is not None else None
        criteria = criterion_rows(found.criteria_by_agent.get(agent.id, {}), team_criteria)
        yield coaching_sheet(
            agent.name, identity, (current, previous, comparison), criteria, progress
        )
