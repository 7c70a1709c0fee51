"""The evaluation list's filters (the ones a result chart's point or bar links to), and the
evaluations waiting for someone: a reviewer's drafts, an agent's unread ones.

A chart counts submitted evaluations by the UTC day of their interaction, the agent's current
team, the channel, the scorecard family and the score band, leaving out those a spotlight plan
targeted (docs/results.md); these filters pick exactly those rows, so a link from a point lists
the evaluations behind it. A value that is not understood is ignored, as the status filter is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from ..accounts.access import agents_led_by
from ..accounts.models import Role, User
from ..extensions import db
from ..interactions.models import Channel
from ..interactions.queries import team_agent_ids
from ..moments import parse_day
from ..scorecards.models import ScorecardVersion
from ..scoring import BANDS
from ..ui.keyset import Part
from ..ui.late_filter import Late
from .access import visible_evaluations
from .models import Evaluation, EvaluationStatus, PickReason

CHANNELS = {c.value for c in Channel}
# A band's lowest score, and the next band's lowest (None for the top band), by its slug.
BAND_RANGES: dict[str, tuple[float, float | None]] = {
    band.slug: (band.min_score, BANDS[index - 1].min_score if index else None)
    for index, band in enumerate(BANDS)
}
# The list's order: drafts first (no submission time yet), newest first, then the submitted
# ones by submission time; each part is read through its own index (keyset pages).
LIST_PARTS = (
    Part(Evaluation.submitted_at.is_(None), (Evaluation.id,)),
    Part(Evaluation.submitted_at.is_not(None), (Evaluation.submitted_at, Evaluation.id)),
)
LIST_FILTERS = ("agent", "team", "from", "to", "channel", "scorecard", "band", "spotlight")


@dataclass(frozen=True)
class ListFilters:
    """What the evaluation list is narrowed to; None for "any"."""

    agent_id: int | None = None
    team_id: int | None = None
    start: date | None = None
    end: date | None = None
    channel: str | None = None
    scorecard_id: int | None = None
    band: str | None = None
    without_spotlight: bool = False

    @property
    def is_set(self) -> bool:
        return self != ListFilters()


def _positive(args: MultiDict[str, str], name: str) -> int | None:
    value = args.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


def parse_list_filters(args: MultiDict[str, str]) -> ListFilters:
    """The filters among the request's arguments; anything not understood is left out."""
    channel, band = args.get("channel"), args.get("band")
    return ListFilters(
        agent_id=_positive(args, "agent"),
        team_id=_positive(args, "team"),
        start=parse_day(args.get("from")),
        end=parse_day(args.get("to")),
        channel=channel if channel in CHANNELS else None,
        scorecard_id=_positive(args, "scorecard"),
        band=band if band in BAND_RANGES else None,
        without_spotlight=args.get("spotlight") == "0",
    )


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _band_clause(slug: str) -> sa.ColumnElement[bool]:
    # Decimal limits, as the column: against a float PostgreSQL casts every score to double
    # precision before comparing.
    low, high = (None if limit is None else Decimal(str(limit)) for limit in BAND_RANGES[slug])
    clause = sa.and_(Evaluation.score.is_not(None), Evaluation.score >= low)
    return clause if high is None else sa.and_(clause, Evaluation.score < high)


def in_days(found: ListFilters) -> sa.ColumnElement[bool] | None:
    """The filter's range of the interactions' days (UTC), None when it has none. No index
    serves it in the list's order; the list applies it late (keyset_page's ``late``)."""
    clauses: list[sa.ColumnElement[bool]] = []
    if found.start is not None:
        clauses.append(Evaluation.occurred_at >= _moment(found.start))
    if found.end is not None:
        clauses.append(Evaluation.occurred_at < _moment(found.end + timedelta(days=1)))
    return sa.and_(*clauses) if clauses else None


def late_days(found: ListFilters, reader: User | None = None) -> Late | None:
    """The range of days as the list applies it: late, walking the submission times between the
    range's first and last (docs/performance.md, Lists). When the list is of some agents only
    (its agent or team filter, or whom a lead or an agent may see), the range's rows of those
    agents are counted through (agent_id, occurred_at)."""
    days = in_days(found)
    if days is None:
        return None
    whole = None  # both ends given: the range is those UTC days of the day copy
    if found.start is not None and found.end is not None:
        whole = (Evaluation.occurred_on, found.start, found.end)
    return Late(
        days, Evaluation.submitted_at, Evaluation.occurred_at, _agents(found, reader), whole
    )


def _agents(found: ListFilters, reader: User | None) -> sa.ColumnElement[bool] | None:
    """The list's agents as a condition on the evaluation's agent copy; None for everyone."""
    if found.agent_id is not None:
        return Evaluation.agent_id == found.agent_id
    if found.team_id is not None:
        return Evaluation.agent_id.in_(team_agent_ids(found.team_id))
    if reader is not None and reader.role == Role.LEAD:
        return Evaluation.agent_id.in_(list(db.session.scalars(agents_led_by(reader))))
    if reader is not None and reader.role == Role.AGENT:
        return Evaluation.agent_id == reader.id
    return None


def apply_list_filters(
    stmt: sa.Select[Any], found: ListFilters, *, days: bool = True
) -> sa.Select[Any]:
    """Narrow a select of evaluations to the filters (the range of days too unless ``days`` is
    false). The interaction's agent, time and channel are read from the evaluation's copies of
    them (copies.py): no join, and one index for each."""
    clauses: list[sa.ColumnElement[bool]] = []
    if found.agent_id is not None:
        clauses.append(Evaluation.agent_id == found.agent_id)
    if found.team_id is not None:
        clauses.append(Evaluation.agent_id.in_(team_agent_ids(found.team_id)))
    if days and (range_of_days := in_days(found)) is not None:
        clauses.append(range_of_days)
    if found.channel is not None:
        clauses.append(Evaluation.channel == Channel(found.channel))
    if found.scorecard_id is not None:
        family = sa.select(ScorecardVersion.id).where(
            ScorecardVersion.scorecard_id == found.scorecard_id
        )
        clauses.append(Evaluation.scorecard_version_id.in_(family))
    if found.band is not None:
        clauses.append(_band_clause(found.band))
    if found.without_spotlight:
        clauses.append(Evaluation.picked != PickReason.TARGETED)
    return stmt.where(*clauses) if clauses else stmt


def with_status(status: EvaluationStatus) -> sa.ColumnElement[bool]:
    """Evaluations of this status. The submission time is set exactly when an evaluation is
    submitted; saying so lets a keyset page skip the list's other part through its index."""
    stamped = Evaluation.submitted_at.is_(None)
    if status == EvaluationStatus.SUBMITTED:
        stamped = Evaluation.submitted_at.is_not(None)
    return sa.and_(Evaluation.status == status, stamped)


def list_parts(status: EvaluationStatus | None) -> tuple[Part, ...]:
    """The list's parts for a status filter: the part the status cannot be in is empty outright
    (WHERE false), so neither planner reads an index for it (with_status says the same through
    the submission time, which they check row by row)."""
    if status is None:
        return LIST_PARTS
    drafts, submitted = LIST_PARTS
    if status == EvaluationStatus.SUBMITTED:
        return (Part(sa.false(), drafts.keys), submitted)
    return (drafts, Part(sa.false(), submitted.keys))


def own_drafts(reviewer: User) -> sa.Select[tuple[Evaluation]]:
    """The reviewer's unfinished evaluations (calibration ones are counted by their session).
    Saying that drafts have no submission time lets the menu's count seek the reviewer index:
    SQLite scanned the table when one reviewer had written most evaluations."""
    return (
        sa.select(Evaluation)
        .where(
            Evaluation.reviewer_id == reviewer.id,
            with_status(EvaluationStatus.DRAFT),
            Evaluation.is_calibration.is_(False),
        )
        .order_by(Evaluation.updated_at.desc(), Evaluation.id.desc())
    )


def own_draft(interaction_id: int, reviewer_id: int) -> sa.Select[Any]:
    """The id of the reviewer's unfinished evaluation of the interaction, outside calibration.

    ix_evaluations_interaction_reviewer answers it (docs/performance.md).
    """
    return sa.select(Evaluation.id).where(
        Evaluation.interaction_id == interaction_id,
        Evaluation.reviewer_id == reviewer_id,
        Evaluation.status == EvaluationStatus.DRAFT,
        Evaluation.is_calibration.is_(False),
    )


def unread_by(agent: User) -> sa.Select[tuple[Evaluation]]:
    """The agent's evaluations they may read and have not acknowledged yet, newest first."""
    return (
        visible_evaluations(agent)
        .where(Evaluation.acknowledged_at.is_(None))
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
    )
