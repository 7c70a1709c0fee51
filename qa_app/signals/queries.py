"""The facts signal detection needs, read for a whole batch of interactions at once.

Each function takes the batch and answers with one or a few queries, whatever its size: the
auto results, the agents' handle times of the weeks before, the customers' earlier contacts and
the agents' earlier evaluations (docs/spotlight.md).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..autoqa.models import AutoResult, AutoSuggestion
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
        sa.select(AutoResult, ScorecardVersion.pass_mark, ScorecardVersion.scorecard_id)
        .join(ScorecardVersion, ScorecardVersion.id == AutoResult.scorecard_version_id)
        .where(AutoResult.interaction_id.in_(ids))
        .order_by(AutoResult.scored_at, AutoResult.id)
    )
    latest: dict[int, tuple[AutoResult, Any, int]] = {}
    for result, pass_mark, scorecard_id in db.session.execute(stmt):
        latest[result.interaction_id] = (result, pass_mark, scorecard_id)
    points, names = _suggested_points({r.id: (i, s) for i, (r, _, s) in latest.items()})
    return {
        iid: AutoFacts(
            score=None if result.score is None else float(result.score),
            pass_mark=None if pass_mark is None else float(pass_mark),
            critical_fail=result.critical_fail,
            points=points[iid],
            names=names[iid],
        )
        for iid, (result, pass_mark, _) in latest.items()
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
        .where(AutoSuggestion.result_id.in_(by_result), AutoSuggestion.outcome == Outcome.POINT)
    )
    for result_id, point, key, name in db.session.execute(stmt):
        interaction_id, scorecard_id = by_result[result_id]
        points[interaction_id][_ref(scorecard_id, key)] = int(point)
        names[interaction_id][_ref(scorecard_id, key)] = name
    return points, names


def _day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _handle_times(
    batch: Sequence[Interaction], weeks: timedelta
) -> tuple[dict[int, list[datetime]], dict[int, list[float]]]:
    """The batch's agents' handle times of the weeks before its days, by agent, in time order."""
    stmt = (
        sa.select(Interaction.agent_id, Interaction.occurred_at, Interaction.handle_seconds)
        .where(
            Interaction.agent_id.in_({i.agent_id for i in batch}),
            Interaction.handle_seconds.is_not(None),
            Interaction.occurred_at >= _day(min(i.occurred_at for i in batch)) - weeks,
            Interaction.occurred_at < _day(max(i.occurred_at for i in batch)),
        )
        .order_by(Interaction.occurred_at)
    )
    times: dict[int, list[datetime]] = defaultdict(list)
    values: dict[int, list[float]] = defaultdict(list)
    for agent_id, at, seconds in db.session.execute(stmt):
        times[agent_id].append(at)
        values[agent_id].append(float(seconds))
    return times, values


def handle_baselines(batch: Sequence[Interaction]) -> dict[int, HandleBaseline]:
    """Per interaction, its agent's handle times over the whole days of the weeks before it.

    Computed once per (agent, day): every interaction of a day has the same baseline.
    """
    if not batch:
        return {}
    weeks = timedelta(weeks=HANDLE_WEEKS)
    times, values = _handle_times(batch, weeks)
    found: dict[int, HandleBaseline] = {}
    cache: dict[tuple[int, datetime], HandleBaseline | None] = {}
    for interaction in batch:
        agent, day = interaction.agent_id, _day(interaction.occurred_at)
        if (agent, day) not in cache:
            at = times[agent]
            part = values[agent][bisect_left(at, day - weeks) : bisect_left(at, day)]
            value = percentile(part, HANDLE_PERCENTILE)
            cache[agent, day] = None if value is None else HandleBaseline(value, len(part))
        if (baseline := cache[agent, day]) is not None:
            found[interaction.id] = baseline
    return found


def previous_contacts(batch: Sequence[Interaction]) -> dict[int, int]:
    """Per interaction, the latest earlier one of the same customer within the days before."""
    refs = {i.customer_ref for i in batch if i.customer_ref and i.customer_ref.strip()}
    if not refs:
        return {}
    window = timedelta(days=REPEAT_DAYS)
    stmt = sa.select(Interaction.id, Interaction.customer_ref, Interaction.occurred_at).where(
        Interaction.customer_ref.in_(refs),
        Interaction.occurred_at >= min(i.occurred_at for i in batch) - window,
        Interaction.occurred_at <= max(i.occurred_at for i in batch),
    )
    contacts: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
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


def _earlier_rows(batch: Sequence[Interaction], weeks: timedelta) -> list[Any]:
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


def earlier_evaluations(batch: Sequence[Interaction]) -> dict[int, tuple[EarlierEvaluation, ...]]:
    """Per interaction, its agent's evaluations submitted in the weeks before it, newest first.

    Those of the interaction itself do not count; only evaluations with a criterion scored 1-2
    or disputed are kept (three queries for the batch).
    """
    if not batch:
        return {}
    weeks = timedelta(weeks=EARLIER_WEEKS)
    rows = _earlier_rows(batch, weeks)
    low, disputed = _low_and_disputed({row.id for row in rows})
    by_agent: dict[int, list[tuple[Any, EarlierEvaluation]]] = defaultdict(list)
    for row in rows:
        if low.get(row.id) or disputed.get(row.id):
            found = EarlierEvaluation(
                row.id, frozenset(low.get(row.id, ())), frozenset(disputed.get(row.id, ()))
            )
            by_agent[row.agent_id].append((row, found))
    return {
        i.id: tuple(
            found
            for row, found in by_agent.get(i.agent_id, ())
            if i.occurred_at - weeks <= row.submitted_at < i.occurred_at
            and row.interaction_id != i.id
        )
        for i in batch
    }
