"""Result numbers read from the aggregates with GROUP BY; the product's formulas on the sums.

QA numbers come from the evaluation aggregates, customer metrics from the interaction aggregate:
each interaction once, evaluated or not, and never narrowed by a scorecard (un-evaluated
interactions have none). The headline QA numbers leave out the evaluations a spotlight plan
targeted; those are summed apart, in `Totals.spotlight` (docs/spotlight.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

import sqlalchemy as sa

from ..accounts.models import Team, User, team_members
from ..extensions import db
from ..interactions.queries import team_agent_ids as team_agent_ids  # a list, a parameter
from ..scorecards.models import Criterion, ScorecardVersion
from .families import CRITERIA, INTERACTIONS, STATS, TEAMS, WEEK, Family
from .models import AgentDayInteractionStats, AgentMonthInteractionStats
from .periods import Filters
from .spans import Shape, shaped, spanned
from .totals import CASTS
from .totals import Totals as Totals  # read from here too
from .totals import combined as combined  # read from here too

AgentIds = sa.Select[Any] | list[int]


_INTERACTION_SUMS = [name for name in CASTS if hasattr(AgentDayInteractionStats, name)]
_EVALUATION_SUMS = [name for name in CASTS if name not in _INTERACTION_SUMS]


def _sums(source: Any, names: list[str] = _EVALUATION_SUMS) -> list[sa.Label[Any]]:
    return [sa.func.coalesce(sa.func.sum(getattr(source, name)), 0).label(name) for name in names]


def _grouped(source: sa.Subquery, names: list[str], by: str | None) -> sa.Select[Any]:
    """The sums of the spanned rows, per agent or team (`by`), or for everything (by None)."""
    sums = _sums(source.c, names)
    if by is None:
        return sa.select(sa.null().label("key"), *sums).select_from(source)
    column = source.c[by]
    return sa.select(column.label("key"), *sums).select_from(source).group_by(column)


# Statements built once per shape and kept (spans.Shape): a page runs them with its own values.
# Building one took longer than running it on a hundred thousand evaluations.
Statement = sa.Select[Any] | sa.CompoundSelect
_KEPT: dict[tuple[Any, ...], Statement] = {}


def _kept(key: tuple[Any, ...], shape: Shape, build: Callable[[], Statement]) -> Statement:
    """The statement of this key, built at its first use; never kept for a scope given as a
    select (its values are written into the statement)."""
    if not shape.keepable:
        return build()
    stmt = _KEPT.get(key)
    if stmt is None:
        if len(_KEPT) >= _MOST_KEPT:  # a few dozen shapes in use; never grow without end
            _KEPT.clear()
        stmt = _KEPT[key] = build()
    return stmt


_MOST_KEPT = 500


def _merged_statement(
    family: Family,
    names: list[str],
    shape: Shape,
    ids: AgentIds | None,
    by: str | None,
    pieces_summed: bool = False,
) -> Statement:
    """`pieces_summed`: each rollup piece already summed per owner (spans.spanned's
    grouped_by) before the sums per owner; see _pieces_summed."""
    split = ["targeted"] if "targeted" in family.keys else []
    owner = family.owner
    grouped_by = [owner, *split] if by == owner == "team_id" and pieces_summed else []
    source = spanned(family, [owner, *split, *names], shape, ids, grouped_by)
    stmt = _grouped(source, names, by)
    if split:  # one row for the headline, one for spotlight's finds
        stmt = stmt.add_columns(source.c.targeted).group_by(source.c.targeted)
    return stmt


def _merged(filters: Filters, ids: AgentIds | None, by: str | None) -> dict[Any, Totals]:
    """QA sums over evaluations and customer sums over interactions, for the same groups: per
    agent (`by` "agent_id"), per team from the team tables ("team_id"; `ids` are then team ids),
    or one group (None)."""
    # A scorecard cannot narrow interactions: most were never evaluated against one.
    sources = [
        (STATS, _EVALUATION_SUMS, filters),
        (INTERACTIONS, _INTERACTION_SUMS, replace(filters, scorecard_id=None)),
    ]
    found: dict[Any, dict[str, Any]] = defaultdict(dict)
    targeted: dict[Any, dict[str, Any]] = {}
    _one_process()
    summed = _pieces_summed()
    for family, names, scope in sources:
        if by == "team_id":
            family = TEAMS[family]
        shape, values = shaped(scope, ids)
        build = partial(_merged_statement, family, names, shape, ids, by, summed)
        stmt = _kept(("merged", family.name, shape, by, summed), shape, build)
        for row in db.session.execute(stmt, values):
            mapping = row._mapping
            sums = {name: CASTS[name](mapping[name]) for name in names}
            if mapping.get("targeted"):
                targeted[row.key] = sums
                sums = {}
            found[row.key].update(sums)
    return {
        key: Totals(**values, spotlight=_spotlight(targeted.get(key)))
        for key, values in found.items()
    }


def _pieces_summed() -> bool:
    """Whether the sums per team read each rollup piece already summed per team. On SQLite
    that reads each piece in its primary key's order, without the sort of every row the UNION
    ALL gave (measured on the agents' rows: 41 -> 26 ms at a million evaluations); PostgreSQL's
    hash aggregates made the same statement slower (20 -> 23.5 ms at 100,000), so there it is
    not."""
    return db.session.get_bind().dialect.name == "sqlite"


def _spotlight(values: dict[str, Any] | None) -> Totals | None:
    return Totals(**values) if values and values["evaluations"] else None


def filtered(
    stmt: sa.Select[Any], model: Any, filters: Filters, agent_ids: AgentIds | None
) -> sa.Select[Any]:
    """Narrow a select over an aggregate table to the filter's days, agents, channel, scorecard."""
    stmt = stmt.where(model.day >= filters.start, model.day <= filters.end)
    if agent_ids is not None:
        stmt = stmt.where(model.agent_id.in_(agent_ids))
    if filters.channel:
        stmt = stmt.where(model.channel == filters.channel)
    if filters.scorecard_id:
        stmt = stmt.where(model.scorecard_id == filters.scorecard_id)
    return stmt


def totals(filters: Filters, agent_ids: AgentIds | None) -> Totals:
    """One group: a team, an agent, or the whole organisation (agent_ids None)."""
    return _merged(filters, agent_ids, None)[None]


def totals_by_agent(filters: Filters, agent_ids: AgentIds | None) -> dict[int, Totals]:
    return _merged(filters, agent_ids, "agent_id")


def totals_by_team_and_all(
    filters: Filters, team_ids: list[int] | None = None
) -> tuple[dict[int, Totals], Totals]:
    """Totals per team, and for all their agents together: of these teams, or of every team and
    every agent in none (the organisation's page). An agent is in one team at most, so the
    teams' totals add up without counting anyone twice."""
    by_team = totals_by_team(filters, team_ids)
    parts = list(by_team.values())
    if team_ids is None:
        teamless = teamless_agent_ids()
        if teamless:
            parts.append(totals(filters, teamless))
    return by_team, combined(parts)


def totals_by_team(filters: Filters, team_ids: list[int] | None = None) -> dict[int, Totals]:
    """Totals per team (of its members today), from the team tables: of every team, or of
    these teams."""
    return _merged(filters, team_ids, "team_id")


def teamless_agent_ids() -> list[int]:
    """The people in no team today who have interactions counted (an agent's rows stay when
    they leave their team or the agent role)."""
    in_team = sa.exists().where(team_members.c.agent_id == User.id)
    counted = sa.exists().where(AgentMonthInteractionStats.agent_id == User.id)
    return list(db.session.scalars(sa.select(User.id).where(~in_team, counted).order_by(User.id)))


def weekly(filters: Filters, agent_ids: AgentIds | None) -> list[tuple[date, Totals]]:
    """The QA trend: headline evaluation totals per ISO week (by the Monday), customer fields
    left empty."""
    _one_process()
    shape, values = shaped(filters, agent_ids, grains=(WEEK,))

    def build() -> sa.Select[Any]:
        columns = ["week_start", "targeted", *_EVALUATION_SUMS]
        source = spanned(STATS, columns, shape, agent_ids)
        stmt = sa.select(source.c.week_start, *_sums(source.c)).where(source.c.targeted.is_(False))
        return stmt.group_by(source.c.week_start).order_by(source.c.week_start)

    stmt = _kept(("weekly", shape), shape, build)
    return [
        (_as_date(row.week_start), Totals.from_row(row)) for row in db.session.execute(stmt, values)
    ]


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class CriterionAverage:
    key: str
    name: str
    average: float
    scores: int


def criterion_averages(filters: Filters, agent_ids: AgentIds | None) -> dict[str, CriterionAverage]:
    """Mean of the 1-5 values given to each criterion (N/A left out), by stable criterion key."""
    _one_process()
    shape, values = shaped(filters, agent_ids)

    def build() -> sa.Select[Any]:
        source = spanned(CRITERIA, ["criterion_key", "scores", "value_sum"], shape, agent_ids)
        return sa.select(
            source.c.criterion_key,
            sa.func.sum(source.c.scores).label("n"),
            sa.func.sum(source.c.value_sum).label("total"),
        ).group_by(source.c.criterion_key)

    stmt = _kept(("criteria", shape), shape, build)
    rows = [row for row in db.session.execute(stmt, values) if row.n]
    names = criterion_names([row.criterion_key for row in rows])
    return {
        row.criterion_key: CriterionAverage(
            row.criterion_key,
            names.get(row.criterion_key, row.criterion_key),
            float(row.total) / float(row.n),
            int(row.n),
        )
        for row in rows
    }


def _one_process() -> None:
    """On PostgreSQL, plan the rest of this transaction's statements for one process (once).

    A page's reads take a few thousand rollup rows, yet PostgreSQL planned a parallel append of
    the union's pieces (the tables' parallel_workers = 0 does not stop that) and spent far
    longer starting its workers than reading the rows (docs/performance.md).
    """
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return
    done = session.info.get(_SERIAL_IN)
    if done is not None and done is session.get_transaction():
        return
    session.execute(_SERIAL)
    session.info[_SERIAL_IN] = session.get_transaction()


_SERIAL = sa.text("SET LOCAL max_parallel_workers_per_gather = 0")
_SERIAL_IN = "qa_results_serial_plans"


def criterion_names(keys: list[str]) -> dict[str, str]:
    """The newest name of each criterion key (criteria keep their key across versions).

    Two scorecards may both have, say, "Gives accurate information": such names get their
    scorecard's name in brackets so the rows can be told apart.
    """
    if not keys:
        return {}
    stmt = (
        sa.select(Criterion.key, Criterion.name, ScorecardVersion.name)
        .join(ScorecardVersion, ScorecardVersion.id == Criterion.scorecard_version_id)
        .where(Criterion.key.in_(keys))
        .order_by(Criterion.id)
    )
    newest = {key: (name, scorecard) for key, name, scorecard in db.session.execute(stmt)}
    counts = Counter(name for name, _ in newest.values())
    return {
        key: f"{name} ({scorecard})" if counts[name] > 1 else name
        for key, (name, scorecard) in newest.items()
    }


def teams_of_agent(agent_id: int) -> list[Team]:
    stmt = sa.select(Team).join(team_members).where(team_members.c.agent_id == agent_id)
    return list(db.session.scalars(stmt))
