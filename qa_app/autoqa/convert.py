"""A stored interaction as the rule engine reads it, and the engine's answers as stored data.

Turns come from ``transcript_turns``: a speaker named ``agent`` or ``customer`` (any case) keeps
that role, anyone else is ``other``. A turn's ``at`` may be seconds, a clock time (``01:23``,
``1:02:03``) or an ISO 8601 moment, counted from the interaction's ``occurred_at``. A plain-text
transcript has no speakers: it becomes one turn by ``other``, so rules on agent turns cannot
decide (no agent turn) rather than guess who said what (docs/autoqa.md).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from ..interactions.models import Interaction as StoredInteraction
from ..moments import parse_moment
from ..rules import Evidence, Interaction, Measurement, Metrics, Speaker, Turn

_ROLES = {"agent": Speaker.AGENT, "customer": Speaker.CUSTOMER}


def to_engine(stored: StoredInteraction) -> Interaction:
    """The interaction as plain data for the rules."""
    if stored.transcript_turns:
        turns = tuple(_turn(item, stored.occurred_at) for item in stored.transcript_turns)
    elif stored.transcript_text:
        turns = (Turn(Speaker.OTHER, stored.transcript_text),)
    else:
        turns = ()
    metrics = Metrics(
        handle_seconds=stored.handle_seconds,
        csat=stored.csat,
        nps=stored.nps,
        ces=stored.ces,
        first_contact_resolved=stored.first_contact_resolved,
    )
    return Interaction(str(stored.channel), stored.language, turns, metrics)


def _turn(item: dict[str, Any], start: datetime) -> Turn:
    speaker = _ROLES.get(str(item.get("speaker", "")).strip().lower(), Speaker.OTHER)
    return Turn(speaker, str(item.get("text", "")), seconds_from_start(item.get("at"), start))


def seconds_from_start(at: object, start: datetime) -> float | None:
    """A turn's time in seconds from the start; None when it is missing or unreadable."""
    if isinstance(at, int | float) and not isinstance(at, bool):
        return float(at)
    if not isinstance(at, str):
        return None
    text = at.strip()
    if ":" in text and "T" not in text and "-" not in text:
        try:
            parts = [float(part) for part in text.split(":")]
        except ValueError:
            return None
        return float(sum(part * 60.0**power for power, part in enumerate(reversed(parts))))
    try:
        return (parse_moment(text) - start).total_seconds()
    except (AttributeError, ValueError):
        return None


def evidence_data(evidence: Evidence) -> dict[str, Any]:
    """One piece of evidence as JSON: its kind and its fields."""
    kind = "measurement" if isinstance(evidence, Measurement) else "phrase"
    return {"kind": kind, **dataclasses.asdict(evidence)}
