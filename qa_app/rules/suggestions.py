"""What a rule answers for one interaction: a point, N/A, or cannot decide, with evidence."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    """The kind of answer: a 1-5 point, not applicable, or no answer at all."""

    POINT = "point"
    NOT_APPLICABLE = "n/a"
    CANNOT_DECIDE = "cannot_decide"


class Reason(enum.StrEnum):
    """Why a rule could not decide; each names input that is missing or too thin."""

    NO_AGENT_TURN = "no_agent_turn"
    NO_CUSTOMER_TURN = "no_customer_turn"
    TOO_SHORT = "too_short"
    NO_TIMES = "no_times"
    TIMES_OUT_OF_ORDER = "times_out_of_order"
    NO_LANGUAGE = "no_language"
    LANGUAGE_NOT_COVERED = "language_not_covered"
    CHANNEL_NOT_COVERED = "channel_not_covered"
    METRIC_MISSING = "metric_missing"
    MODEL_OFF = "model_off"  # no model server configured, or not switched on
    MODEL_UNAVAILABLE = "model_unavailable"  # timed out, refused, or answered with an error
    MODEL_ANSWER_INVALID = "model_answer_invalid"  # not the JSON asked for, or off the scale
    QUOTE_NOT_FOUND = "quote_not_found"  # a quote that is not word for word in the transcript


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A phrase found in turn ``turn``: characters [start, end) of that turn's original text."""

    turn: int
    start: int
    end: int
    phrase: str


@dataclass(frozen=True, slots=True)
class Measurement:
    """A figure a rule measured, e.g. the longest wait, and the turn it refers to (if any)."""

    name: str
    value: float
    unit: str
    turn: int | None = None

    def __str__(self) -> str:
        where = "" if self.turn is None else f" at turn {self.turn}"
        return f"{self.name} {self.value:g} {self.unit}{where}".replace("_", " ")


Evidence = PhraseMatch | Measurement


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A rule's answer; ``point`` is set only for Outcome.POINT, ``reason`` only if undecided."""

    outcome: Outcome
    point: int | None = None
    evidence: tuple[Evidence, ...] = ()
    reason: Reason | None = None

    @classmethod
    def of(cls, point: int | None, evidence: tuple[Evidence, ...] = ()) -> Suggestion:
        """A decided answer: a point, or N/A when ``point`` is None."""
        if point is None:
            return cls(Outcome.NOT_APPLICABLE, None, evidence)
        return cls(Outcome.POINT, point, evidence)

    @classmethod
    def cannot_decide(cls, reason: Reason, evidence: tuple[Evidence, ...] = ()) -> Suggestion:
        """No answer, and why: never a guess."""
        return cls(Outcome.CANNOT_DECIDE, None, evidence, reason)

    @property
    def decided(self) -> bool:
        """True for a point or N/A."""
        return self.outcome is not Outcome.CANNOT_DECIDE
