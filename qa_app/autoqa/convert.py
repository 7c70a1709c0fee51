"""A stored interaction as the rule engine reads it, and the engine's answers as stored data.

Turns come from ``transcript_turns``: a speaker named ``agent`` or ``customer`` (any case) keeps
that role, anyone else is ``other``. A turn's ``at`` may be seconds, a clock time (``01:23``,
``1:02:03``) or an ISO 8601 moment, counted from the interaction's ``occurred_at``. A plain-text
transcript has no speakers: it becomes one turn by ``other``, so rules on agent turns cannot
decide (no agent turn) rather than guess who said what (docs/autoqa.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..bulk import among
from ..extensions import db
from ..interactions.models import Interaction as StoredInteraction
from ..moments import parse_moment
from ..rules import Evidence, Interaction, Measurement, Metrics, Speaker, Turn

_ROLES = {"agent": Speaker.AGENT, "customer": Speaker.CUSTOMER}


# What to_engine reads of a stored interaction, and its id.
ENGINE_COLUMNS = (
    StoredInteraction.id,
    StoredInteraction.channel,
    StoredInteraction.language,
    StoredInteraction.occurred_at,
    StoredInteraction.transcript_text,
    StoredInteraction.transcript_turns,
    StoredInteraction.handle_seconds,
    StoredInteraction.csat,
    StoredInteraction.nps,
    StoredInteraction.ces,
    StoredInteraction.first_contact_resolved,
)


def stored_rows(ids: Sequence[int], *more: sa.ColumnElement[Any]) -> list[sa.Row[Any]]:
    """The interactions with these ids, in id order, as rows of ENGINE_COLUMNS and `more`.

    For the runs over many interactions (an import's Auto QA and signals): plain rows cost a
    third of what mapped objects do to load, and nothing is kept in the session.
    """
    stmt = sa.select(*ENGINE_COLUMNS, *more).where(among(StoredInteraction.id, ids))
    return list(db.session.execute(stmt.order_by(StoredInteraction.id)))


def to_engine(stored: StoredInteraction | sa.Row[Any]) -> Interaction:
    """The interaction (a mapped one, or a row of ENGINE_COLUMNS) as plain data for the rules."""
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


@dataclasses.dataclass(frozen=True)
class ShownTurn:
    """A turn as the conversation shows it: its side and its time from the first timed turn."""

    speaker: str
    text: str
    side: str  # the role the rules read: agent, customer or other
    clock: str | None  # 0:20, or 1:02:03 past an hour
    duration: str | None  # the same as an ISO 8601 duration, for <time datetime>


def shown_turns(turns: list[dict[str, Any]] | None) -> list[ShownTurn]:
    """The turns placed by speaker, with times counted from the first turn that has one."""
    items = turns or []
    start = next(
        (m for m in map(_moment, items) if m is not None), datetime(2000, 1, 1, tzinfo=UTC)
    )
    seconds = [seconds_from_start(item.get("at"), start) for item in items]
    first = next((s for s in seconds if s is not None), 0.0)
    shown = []
    for item, at in zip(items, seconds, strict=True):
        speaker = str(item.get("speaker", ""))
        side = _ROLES.get(speaker.strip().lower(), Speaker.OTHER).value
        clock, duration = _clock(at - first) if at is not None else (None, None)
        shown.append(ShownTurn(speaker, str(item.get("text", "")), side, clock, duration))
    return shown


def _moment(item: dict[str, Any]) -> datetime | None:
    at = item.get("at")
    if not isinstance(at, str) or "-" not in at:
        return None
    try:
        return parse_moment(at)
    except ValueError:
        return None


def _clock(seconds: float) -> tuple[str, str | None]:
    """m:ss (h:mm:ss from an hour on), and the ISO duration; a time before the first has none."""
    whole = int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    if seconds < 0:
        return f"-{text}", None
    return text, f"PT{hours}H{minutes}M{secs}S"
