"""Reading stored Auto QA results: suggestions for the scoring page, the Auto QA series of a scope.

See docs/autoqa.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..interactions.models import Interaction
from ..moments import parse_day
from ..rules import Outcome, Reason
from ..scorecards.models import ScorecardVersion, Status
from .models import AutoResult, AutoSuggestion

DEFAULT_DAYS = 28
MAX_DAYS = 800


def suggestions_for(interaction_id: int, version_id: int) -> dict[int, AutoSuggestion]:
    """The stored suggestions of one interaction on one scorecard version, by criterion id."""
    stmt = (
        sa.select(AutoSuggestion)
        .join(AutoResult, AutoSuggestion.result_id == AutoResult.id)
        .where(
            AutoResult.interaction_id == interaction_id,
            AutoResult.scorecard_version_id == version_id,
        )
    )
    return {s.criterion_id: s for s in db.session.scalars(stmt)}


@dataclass(frozen=True)
class ShownEvidence:
    """One piece of evidence as the scoring page lists it.

    For a phrase, ``text`` is the matched words and ``start``/``end`` their place in the turn as
    the browser holds it (UTF-16 units, line ends read as one "\\n"), so the page script can mark
    exactly them; None when the turn is not in the transcript any more.
    """

    kind: str
    turn: int | None
    text: str = ""
    start: int | None = None
    end: int | None = None
    name: str = ""
    value: float = 0.0
    unit: str = ""


def _browser_length(text: str) -> int:
    """The length of text in a page's text node: UTF-16 units, after HTML's line-end rule."""
    return len(text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-16-le")) // 2


def _phrase(item: dict[str, Any], turns: list[dict[str, Any]]) -> ShownEvidence:
    turn, start, end = item.get("turn"), item.get("start"), item.get("end")
    valid = isinstance(turn, int) and 0 <= turn < len(turns)
    text = turns[turn].get("text") if valid and isinstance(turn, int) else None
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return ShownEvidence("phrase", turn if valid else None, str(item.get("phrase", "")))
    before, matched = _browser_length(text[:start]), text[start:end]
    return ShownEvidence("phrase", turn, matched, before, _browser_length(text[:end]))


def shown_evidence(
    suggestion: AutoSuggestion, turns: list[dict[str, Any]] | None
) -> list[ShownEvidence]:
    """The suggestion's evidence, phrases quoted from the interaction's own turns."""
    shown = []
    for item in suggestion.evidence or []:
        if item.get("kind") == "phrase":
            shown.append(_phrase(item, turns or []))
        else:
            value = item.get("value")
            shown.append(
                ShownEvidence(
                    "measurement",
                    item.get("turn"),
                    name=str(item.get("name", "")),
                    value=float(value) if isinstance(value, int | float) else 0.0,
                    unit=str(item.get("unit", "")),
                )
            )
    return shown


@dataclass(frozen=True)
class ShownSuggestion:
    """A criterion's suggestion for the scoring page: point, N/A, or why it could not decide."""

    outcome: Outcome
    point: int | None
    reason: Reason | None
    evidence: list[ShownEvidence]

    @property
    def decided(self) -> bool:
        return self.outcome != Outcome.CANNOT_DECIDE


def shown_suggestion(made: AutoSuggestion, turns: list[dict[str, Any]] | None) -> ShownSuggestion:
    """One suggestion, stored or just made, ready to show beside the interaction's turns."""
    reason = Reason(made.reason) if made.reason in set(Reason) else None
    return ShownSuggestion(made.outcome, made.point, reason, shown_evidence(made, turns))


def shown_suggestions(interaction: Interaction, version_id: int) -> dict[int, ShownSuggestion]:
    """Every stored suggestion of the interaction on the version, ready to show, by criterion."""
    return {
        criterion_id: shown_suggestion(made, interaction.transcript_turns)
        for criterion_id, made in suggestions_for(interaction.id, version_id).items()
    }


def versions_to_try() -> list[ScorecardVersion]:
    """The draft and published scorecard versions, each scorecard's newest first."""
    stmt = (
        sa.select(ScorecardVersion)
        .where(ScorecardVersion.status != Status.ARCHIVED)
        .order_by(ScorecardVersion.scorecard_id, ScorecardVersion.version.desc())
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Period:
    """A closed range of UTC days of the interactions."""

    start: date
    end: date
    is_corrected: bool = False  # a date was not understood, reversed or too far apart

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.start, time(), tzinfo=UTC)
        return start, datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)


def period_of(args: MultiDict[str, str], today: date | None = None) -> Period:
    """The period from ``from`` and ``to``: the last four weeks unless given, at most 800 days."""
    today = today or datetime.now(UTC).date()
    raw_start, raw_end = args.get("from"), args.get("to")
    end = parse_day(raw_end) or today
    start = parse_day(raw_start) or end - timedelta(days=DEFAULT_DAYS - 1)
    corrected = bool(raw_start and parse_day(raw_start) is None) or bool(
        raw_end and parse_day(raw_end) is None
    )
    if start > end:
        start, end, corrected = end, start, True
    if (end - start).days > MAX_DAYS:
        start, corrected = end - timedelta(days=MAX_DAYS), True
    return Period(start, end, corrected)


@dataclass(frozen=True)
class AutoTotals:
    """The Auto QA series of a scope: kept apart from the human QA numbers."""

    handled: int = 0  # interactions of the scope in the period
    auto_scored: int = 0  # of those, interactions with an auto score
    results: int = 0  # auto scores (an interaction may have one per scorecard version)
    score_sum: float = 0.0

    @property
    def mean(self) -> float | None:
        return self.score_sum / self.results if self.results else None

    @property
    def coverage(self) -> float | None:
        return self.auto_scored / self.handled * 100 if self.handled else None


def auto_scores(
    period: Period,
    agent_ids: sa.Select[Any] | list[int] | None,
    channel: str | None = None,
    scorecard_id: int | None = None,
) -> AutoTotals:
    """The auto scores of the agents' interactions, without counting the interactions handled
    (`handled` 0: the result pages count those from their aggregates).

    Read from the auto results' side, so the cost follows the auto scores, not the interactions.
    """
    start, end = period.bounds()
    stmt = (
        sa.select(
            sa.func.count(sa.distinct(AutoResult.interaction_id)),
            sa.func.count(AutoResult.score),
            sa.func.coalesce(sa.func.sum(AutoResult.score), 0),
        )
        .select_from(AutoResult)
        .join(Interaction, _auto_scores_of_interaction(scorecard_id))
        .where(Interaction.occurred_at >= start, Interaction.occurred_at < end)
    )
    scored, results, total = db.session.execute(_narrowed(stmt, agent_ids, channel)).one()
    return AutoTotals(0, int(scored), int(results), float(total))


def _narrowed(
    stmt: sa.Select[Any], agent_ids: sa.Select[Any] | list[int] | None, channel: str | None
) -> sa.Select[Any]:
    if agent_ids is not None:
        stmt = stmt.where(Interaction.agent_id.in_(agent_ids))
    if channel:
        stmt = stmt.where(Interaction.channel == channel)
    return stmt


def _auto_scores_of_interaction(scorecard_id: int | None) -> sa.ColumnElement[bool]:
    """The interaction's auto results that have a score, of the scorecard's versions if given."""
    on = [AutoResult.interaction_id == Interaction.id, AutoResult.score.is_not(None)]
    if scorecard_id:  # narrows the auto scores, never the interactions handled
        versions = sa.select(ScorecardVersion.id).where(
            ScorecardVersion.scorecard_id == scorecard_id
        )
        on.append(AutoResult.scorecard_version_id.in_(versions))
    return sa.and_(*on)
