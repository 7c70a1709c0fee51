"""The facts signal detection needs, read for a whole batch of interactions at once.

Each function takes the batch and answers with one or a few queries, whatever its size: the
auto results, the agents' handle times of the weeks before, the customers' earlier contacts and
the agents' earlier evaluations (docs/spotlight.md).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..autoqa.models import AutoResult, AutoSuggestion
from ..bulk import among
from ..database import planned_for_their_values
from ..disputes.models import Dispute, dispute_criteria
from ..evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from ..extensions import db
from ..interactions.models import Interaction
from ..rules import Outcome
from ..scorecards.models import Criterion, ScorecardVersion
from ..signal_rules import AutoFacts, EarlierEvaluation, HandleBaseline, percentile
from ..signal_rules.facts import (
    EARLIER_WEEKS,
    HANDLE_PERCENTILE,
    HANDLE_WEEKS,
    LOW_POINT_AT_MOST,
    REPEAT_DAYS,
)


def _ref(scorecard_id: int, key: str) -> str:
    """A criterion across the versions of its scorecard: the same key is the same criterion."""
    return f"{scorecard_id}:{key}"


def auto_facts(ids: Sequence[int]) -> dict[int, AutoFacts]:
    """Each interaction's latest auto result with the points its rules suggested (two queries)."""
    stmt = (
        sa.select(
            AutoResult.interaction_id,
            AutoResult.id,
            AutoResult.score,
            AutoResult.critical_fail,
            ScorecardVersion.pass_mark,
            ScorecardVersion.scorecard_id,
        )
        .join(ScorecardVersion, ScorecardVersion.id == AutoResult.scorecard_version_id)
        .where(among(AutoResult.interaction_id, ids))
        .order_by(AutoResult.scored_at, AutoResult.id)
    )
    latest = {row.interaction_id: row for row in db.session.execute(stmt)}  # the last one stays
    points, names = _suggested_points({r.id: (i, r.scorecard_id) for i, r in latest.items()})
    return {
        iid: AutoFacts(
            score=None if row.score is None else float(row.score),
            pass_mark=None if row.pass_mark is None else float(row.pass_mark),
            critical_fail=row.critical_fail,
            points=points[iid],
            names=names[iid],
        )
        for iid, row in latest.items()
    }


def _suggested_points(
    by_result: dict[int, tuple[int, int]],
) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, str]]]:
    """Per interaction, the point suggested for each criterion, and the criteria's names."""
    points: dict[int, dict[str, int]] = defaultdict(dict)
    names: dict[int, dict[str, str]] = defaultdict(dict)
    stmt = (
        sa.select(AutoSuggestion.result_id, AutoSuggestion.point, Criterion.key, Criterion.name)
        .join(Criterion, Criterion.id == AutoSuggestion.criterion_id)
        .where(among(AutoSuggestion.result_id, by_result), AutoSuggestion.outcome == Outcome.POINT)
    )
    for result_id, point, key, name in db.session.execute(stmt):
        interaction_id, scorecard_id = by_result[result_id]
        points[interaction_id][_ref(scorecard_id, key)] = int(point)
        names[interaction_id][_ref(scorecard_id, key)] = name
    return points, names


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _handle_times(agents: set[int], start: datetime, end: datetime) -> list[Any]:
    """These agents' handle times from start (included) to end, in time order."""
    stmt = (
        sa.select(Interaction.agent_id, Interaction.occurred_at, Interaction.handle_seconds)
        .where(
            Interaction.agent_id.in_(agents),
            Interaction.handle_seconds.is_not(None),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
        .order_by(Interaction.occurred_at)
    )
    return list(db.session.execute(stmt))


@dataclass
class HandleWindow:
    """One run's handle times of its agents over a span of time, and the baselines found, kept
    across its batches: a batch reads only the time its days add to the span, and the baselines
    of the (agent, day)s no earlier batch met.

    Each batch reading its agents' whole weeks again made a big import of many agents quadratic.
    Times before what the current batch needs are dropped, so memory stays that of the weeks; a
    later batch of earlier days reads them again.
    """

    baselines: dict[tuple[int, datetime], HandleBaseline | None] = field(default_factory=dict)
    agents: set[int] = field(default_factory=set)
    start: datetime | None = None
    end: datetime | None = None
    times: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    values: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))

    def cover(self, agents: set[int], start: datetime, end: datetime) -> None:
        """Hold these agents' handle times from start to end (and whatever was held between)."""
        if self.start is None or self.end is None:  # nothing held yet: every agent is fresh
            self.start, self.end = start, end
        if start < self.start and self.agents:
            self._add(_handle_times(self.agents, start, self.start), before=True)
        if end > self.end and self.agents:
            self._add(_handle_times(self.agents, self.end, end), before=False)
        self.start, self.end = min(start, self.start), max(end, self.end)
        if fresh := agents - self.agents:
            self._add(_handle_times(fresh, self.start, self.end), before=False)
            self.agents |= fresh

    def _add(self, rows: list[Any], before: bool) -> None:
        times: dict[int, list[datetime]] = defaultdict(list)
        values: dict[int, list[float]] = defaultdict(list)
        for agent_id, at, seconds in rows:
            times[agent_id].append(at)
            values[agent_id].append(float(seconds))
        for agent_id in times:
            if before:
                self.times[agent_id][:0] = times[agent_id]
                self.values[agent_id][:0] = values[agent_id]
            else:
                self.times[agent_id] += times[agent_id]
                self.values[agent_id] += values[agent_id]

    def drop_before(self, start: datetime) -> None:
        if self.start is None or start <= self.start:
            return
        for agent_id, at in self.times.items():
            cut = bisect_left(at, start)
            del at[:cut], self.values[agent_id][:cut]
        self.start = start


def handle_baselines(
    batch: Sequence[sa.Row[Any]], window: HandleWindow | None = None
) -> dict[int, HandleBaseline]:
    """Per interaction, its agent's handle times over the whole days of the weeks before it.

    Computed once per (agent, day): every interaction of a day has the same baseline. Pass one
    ``window`` to every batch of a run (see HandleWindow).
    """
    window = HandleWindow() if window is None else window
    weeks = timedelta(weeks=HANDLE_WEEKS)
    wanted = {(i.agent_id, _day(i.occurred_at)) for i in batch} - window.baselines.keys()
    if wanted:
        start = min(day for _, day in wanted) - weeks
        window.cover({agent for agent, _ in wanted}, start, max(day for _, day in wanted))
        for agent, day in wanted:
            at = window.times.get(agent, [])
            part = window.values.get(agent, [])[bisect_left(at, day - weeks) : bisect_left(at, day)]
            value = percentile(part, HANDLE_PERCENTILE)
            window.baselines[agent, day] = (
                None if value is None else HandleBaseline(value, len(part))
            )
        window.drop_before(start)
    found: dict[int, HandleBaseline] = {}
    for interaction in batch:
        key = (interaction.agent_id, _day(interaction.occurred_at))
        if (baseline := window.baselines[key]) is not None:
            found[interaction.id] = baseline
    return found


def previous_contacts(batch: Sequence[sa.Row[Any]]) -> dict[int, int]:
    """Per interaction, the latest earlier one of the same customer within the days before."""
    refs = {i.customer_ref for i in batch if i.customer_ref and i.customer_ref.strip()}
    if not refs:
        return {}
    window = timedelta(days=REPEAT_DAYS)
    stmt = sa.select(Interaction.id, Interaction.customer_ref, Interaction.occurred_at).where(
        among(Interaction.customer_ref, refs),
        Interaction.occurred_at >= min(i.occurred_at for i in batch) - window,
        Interaction.occurred_at <= max(i.occurred_at for i in batch),
    )
    contacts: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    # Each batch's own plan: one made for any batch walked the whole month by time on
    # PostgreSQL (55.7 of an import's 82.8 s of signals at 100,000 rows; 4.7 s planned each time).
    with planned_for_their_values(db.session.connection()):
        for contact_id, ref, at in db.session.execute(stmt):
            contacts[ref].append((at, contact_id))
    found = {}
    for interaction in batch:
        own = (interaction.occurred_at, interaction.id)
        earlier = [
            c
            for c in contacts.get(interaction.customer_ref or "", ())
            if c < own and c[0] >= own[0] - window
        ]
        if earlier:
            found[interaction.id] = max(earlier)[1]
    return found


def _low_and_disputed(ids: set[int]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per evaluation: the criteria scored 1-2, and the criteria a dispute was raised on."""
    low: dict[int, set[str]] = defaultdict(set)
    disputed: dict[int, set[str]] = defaultdict(set)
    scores = (
        sa.select(EvaluationScore.evaluation_id, ScorecardVersion.scorecard_id, Criterion.key)
        .join(Criterion, Criterion.id == EvaluationScore.criterion_id)
        .join(ScorecardVersion, ScorecardVersion.id == Criterion.scorecard_version_id)
        .where(EvaluationScore.evaluation_id.in_(ids))
        .where(EvaluationScore.score <= LOW_POINT_AT_MOST)
    )
    for evaluation_id, scorecard_id, key in db.session.execute(scores):
        low[evaluation_id].add(_ref(scorecard_id, key))
    disputes = (
        sa.select(Dispute.evaluation_id, ScorecardVersion.scorecard_id, Criterion.key)
        .join(dispute_criteria, dispute_criteria.c.dispute_id == Dispute.id)
        .join(Criterion, Criterion.id == dispute_criteria.c.criterion_id)
        .join(ScorecardVersion, ScorecardVersion.id == Criterion.scorecard_version_id)
        .where(Dispute.evaluation_id.in_(ids))
    )
    for evaluation_id, scorecard_id, key in db.session.execute(disputes):
        disputed[evaluation_id].add(_ref(scorecard_id, key))
    return low, disputed


def _earlier_rows(batch: Sequence[sa.Row[Any]], weeks: timedelta) -> list[Any]:
    """The batch's agents' submitted, non-calibration evaluations of the weeks before, newest
    first: (id, interaction_id, submitted_at, agent_id)."""
    stmt = (
        sa.select(Evaluation.id, Evaluation.interaction_id, Evaluation.submitted_at)
        .add_columns(Interaction.agent_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .where(
            Interaction.agent_id.in_({i.agent_id for i in batch}),
            Evaluation.status == EvaluationStatus.SUBMITTED,
            Evaluation.is_calibration.is_(False),
            Evaluation.submitted_at >= min(i.occurred_at for i in batch) - weeks,
            Evaluation.submitted_at < max(i.occurred_at for i in batch),
        )
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
    )
    return list(db.session.execute(stmt))


def earlier_evaluations(batch: Sequence[sa.Row[Any]]) -> dict[int, tuple[EarlierEvaluation, ...]]:
    """Per interaction, its agent's evaluations submitted in the weeks before it, newest first.

    Those of the interaction itself do not count; only evaluations with a criterion scored 1-2
    or disputed are kept (three queries for the batch).
    """
    if not batch:
        return {}
    weeks = timedelta(weeks=EARLIER_WEEKS)
    rows = _earlier_rows(batch, weeks)
    low, disputed = _low_and_disputed({row.id for row in rows})
    # Per agent, oldest first, so each interaction's weeks are found by bisection.
    by_agent: dict[int, list[tuple[Any, EarlierEvaluation]]] = defaultdict(list)
    for row in reversed(rows):
        if low.get(row.id) or disputed.get(row.id):
            found = EarlierEvaluation(
                row.id, frozenset(low.get(row.id, ())), frozenset(disputed.get(row.id, ()))
            )
            by_agent[row.agent_id].append((row, found))
    times = {agent: [row.submitted_at for row, _ in kept] for agent, kept in by_agent.items()}
    earlier: dict[int, tuple[EarlierEvaluation, ...]] = {}
    for i in batch:
        kept, at = by_agent.get(i.agent_id, []), times.get(i.agent_id, [])
        window = kept[bisect_left(at, i.occurred_at - weeks) : bisect_left(at, i.occurred_at)]
        earlier[i.id] = tuple(
            found for row, found in reversed(window) if row.interaction_id != i.id
        )
    return earlier
