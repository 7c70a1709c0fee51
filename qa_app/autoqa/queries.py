"""Reading stored suggestions for the reviewer's scoring page (docs/autoqa.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..interactions.models import Interaction
from ..rules import Outcome, Reason
from .models import AutoResult, AutoSuggestion


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
                    name=str(item.get("name", "")).replace("_", " "),
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


def shown_suggestions(interaction: Interaction, version_id: int) -> dict[int, ShownSuggestion]:
    """Every stored suggestion of the interaction on the version, ready to show, by criterion."""
    shown = {}
    for criterion_id, made in suggestions_for(interaction.id, version_id).items():
        reason = Reason(made.reason) if made.reason in set(Reason) else None
        evidence = shown_evidence(made, interaction.transcript_turns)
        shown[criterion_id] = ShownSuggestion(made.outcome, made.point, reason, evidence)
    return shown
