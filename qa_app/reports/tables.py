"""Tables the agent and team reports share: the measures, the criteria and the action plans.

Every builder here is a plain function of what the producer read before (queries.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import current_locale, reader_territory
from ..interactions.models import Channel
from ..results.causes import CauseCount
from ..results.periods import Filters
from ..results.queries import Totals
from ..results.services import CriterionRow, change
from ..scoring import band
from ..scoring.plans import PlanStatus
from ..ui import labels
from ..ui.filters import format_date
from ..xlsx.formats import excel_date_format, paper_size
from ..xlsx.model import (
    AVERAGE,
    BAD,
    CES,
    CHANGE,
    COUNT,
    DATE,
    DURATION,
    GOOD,
    LONG_TEXT,
    NPS,
    PERCENT,
    SCORE,
    TEXT,
    Column,
    Kind,
    Report,
    Sheet,
    Table,
    Typed,
)
from .queries import PlanProgress

# Labels are lazy: each report reads them in the language of whoever exports it.
Metric = tuple[Any, Kind, Callable[[Totals], Any]]
BAND_ROW = 2  # the band's row in METRICS: the change against the previous period follows it
METRICS: list[Metric] = [
    (_l("Evaluations"), COUNT, attrgetter("evaluations")),
    (_l("Quality score"), SCORE, attrgetter("quality")),
    (_l("Band"), TEXT, lambda totals: labels.band_label(band(totals.quality))),
    (_l("Pass rate"), PERCENT, attrgetter("pass_rate")),
    (_l("Critical fails"), COUNT, attrgetter("critical_fails")),
    ("CSAT", PERCENT, attrgetter("csat")),
    ("NPS", NPS, attrgetter("nps")),
    ("CES", CES, attrgetter("ces")),
    ("FCR", PERCENT, attrgetter("fcr")),
    (_l("AHT"), DURATION, attrgetter("aht")),
]
STATUS_KINDS = {PlanStatus.ACHIEVED: GOOD, PlanStatus.MISSED: BAD}


def _found(totals: Totals) -> Totals:
    """The evaluations a spotlight plan targeted, which the measures above leave out."""
    return totals.spotlight or Totals()


SPOTLIGHT: list[Metric] = [
    (_l("Found by spotlight: evaluations"), COUNT, lambda t: _found(t).evaluations),
    (_l("Found by spotlight: average score"), SCORE, lambda t: _found(t).quality),
    (_l("Found by spotlight: pass rate"), PERCENT, lambda t: _found(t).pass_rate),
]


def period_label(filters: Filters) -> str:
    """The period as the reader writes dates: "Oct 5, 2026 to Nov 1, 2026"."""
    start, end = format_date(filters.start), format_date(filters.end)
    return _("%(start)s to %(end)s", start=start, end=end)


def workbook(title: str, filters: Filters, creator: str, sheets: Iterable[Sheet]) -> Report:
    """The report around its sheets, with every word and date format in the reader's language."""
    return Report(
        title,
        period_label(filters),
        creator,
        sheets,
        subject=_("QA coaching report"),
        date_format=excel_date_format(current_locale()),
        paper_size=paper_size(reader_territory()),
        # NOTE for translators: &P is Excel's page number and &N the number of pages; keep both.
        page_footer=_("Page &P of &N"),
    )


def filter_rows(filters: Filters, scorecard: str | None) -> list[tuple[str, Any]]:
    """The period and the filters, as the first rows of a summary (`scorecard`: its name)."""
    previous = filters.previous()
    rows: list[tuple[str, Any]] = [
        (_("From"), Typed(filters.start, DATE)),
        (_("To"), Typed(filters.end, DATE)),
        (_("Compared with"), period_label(previous)),
    ]
    if filters.channel:
        rows.append((_("Channel"), labels.label(Channel(filters.channel))))
    if filters.scorecard_id:
        name = scorecard or _("Scorecard %(id)d", id=filters.scorecard_id)
        rows.append((_("Scorecard"), name))
    return rows


def metric_columns() -> list[Column]:
    """The per-agent (or per-team) metric columns, with the change after the band."""
    columns = [Column(str(label), kind) for label, kind, _get in METRICS]
    columns.insert(BAND_ROW + 1, Column(_("Change"), CHANGE))
    return columns


def metric_values(current: Totals, previous: Totals) -> list[Any]:
    values = [get(current) for _, _, get in METRICS]
    values.insert(3, change(current, previous))
    return values


def measures_table(
    identity: Sequence[tuple[str, Any]],
    current: Totals,
    previous: Totals,
    comparison: tuple[str, Totals] | None = None,
    title: str | None = None,
) -> Table:
    """A summary: who and when, then each measure now, before, and beside a comparison group.

    The measures are the headline's (random and hand-picked evaluations); the evaluations found
    by spotlight follow as lines of their own (docs/spotlight.md).
    """
    columns = [Column(_("Measure")), Column(_("This period")), Column(_("Previous period"))]
    groups = [current, previous]
    if comparison is not None:
        columns.append(Column(comparison[0]))
        groups.append(comparison[1])
    rows: list[Sequence[Any]] = [(label, value) for label, value in identity]
    for position, (label, kind, get) in enumerate(METRICS):
        rows.append((str(label), *(Typed(get(group), kind) for group in groups)))
        if position == BAND_ROW:
            changed = Typed(change(current, previous), CHANGE)
            rows.append((_("Change against the previous period"), changed))
    rows.append((_("Quality score counts"), _("random and hand-picked evaluations only")))
    for label, kind, get in SPOTLIGHT:
        rows.append((str(label), *(Typed(get(group), kind) for group in groups)))
    return Table(columns, rows, title=title)


def _reading(row: CriterionRow) -> Typed | None:
    if row.is_development:
        return Typed(_("Development area"), BAD)
    if row.is_strength:
        return Typed(_("Strength"), GOOD)
    return None


def criteria_table(rows: Sequence[CriterionRow], title: str | None = None) -> Table:
    """Each criterion's average beside the team's, strengths and development areas marked."""
    average, team_average = _("Average"), _("Team average")
    columns = [
        Column(_("Criterion")),
        Column(average, AVERAGE),
        Column(_("Scores"), COUNT),
        Column(team_average, AVERAGE),
        Column(_("Difference"), CHANGE),
        Column(_("Strength / development area")),
    ]
    values = [
        (
            row.name,
            row.agent.average if row.agent else None,
            row.agent.scores if row.agent else 0,
            row.team.average if row.team else None,
            row.difference,
            _reading(row),
        )
        for row in rows
    ]
    return Table(columns, values, title=title, color_scale=[average, team_average])


def plan_columns() -> list[Column]:
    return [
        Column(_("Plan")),
        Column(_("Starts"), DATE),
        Column(_("Due"), DATE),
        Column(_("Plan status")),
        Column(_("Criterion")),
        Column(_("Target"), AVERAGE),
        Column(_("Current average"), AVERAGE),
        Column(_("Scores"), COUNT),
        Column(_("Goal status")),
        Column(_("Planned actions"), LONG_TEXT),
    ]


def plans_table(plans: Sequence[PlanProgress], title: str | None = None) -> Table:
    """One row per goal of each plan: target, average since the plan started, statuses, actions."""
    rows = []
    for found in plans:
        plan, status = found.plan, _status(found.status)
        for view in found.goals:
            goal = view.goal
            rows.append(
                (plan.title, plan.starts_on, plan.due_on, status, goal.criterion_name)
                + (float(goal.target_average), view.average, view.scores, _status(view.status))
                + (goal.actions,)
            )
    return Table(plan_columns(), rows, title=title)


def _status(status: PlanStatus) -> Typed:
    return Typed(labels.label(status), STATUS_KINDS.get(status, TEXT))


def root_causes_tables(rows: Sequence[CauseCount]) -> list[Table]:
    """The most picked root causes with their share and criteria; nothing when none was picked."""
    if not rows:
        return []
    columns = [
        Column(_("Category")),
        Column(_("Root cause")),
        Column(_("Picks"), COUNT),
        Column(_("Share"), PERCENT),
        Column(_("Picked on"), LONG_TEXT),
    ]
    body = [
        (
            row.category,
            row.cause,
            row.count,
            row.share,
            ", ".join(f"{name} ({count})" for name, count in row.criteria),
        )
        for row in rows
    ]
    return [Table(columns, body, title=_("Root causes"))]
