"""What signal detection reads (``Facts``) and what it returns (``Signal``), and the limits."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ..rules import Interaction

# The pass mark used when the scorecard names none (a score below it is low).
DEFAULT_PASS_MARK: Final = 80.0
LOW_CSAT_AT_MOST: Final = 2  # CSAT 1-2 on a 1-5 scale
DETRACTOR_AT_MOST: Final = 6  # NPS 0-6 on 0-10
HIGH_EFFORT_AT_LEAST: Final = 5  # CES 5-7 on 1-7
# Long handle: above the agent's own 90th percentile of the weeks before, given enough history.
HANDLE_PERCENTILE: Final = 90
HANDLE_WEEKS: Final = 8
HANDLE_MIN_COUNT: Final = 20
# Long wait: the customer's longest wait for the agent, per channel (calls have none).
LONG_WAIT_SECONDS: Final[Mapping[str, float]] = {"chat": 5 * 60, "email": 24 * 3600}
REPEAT_DAYS: Final = 7  # an earlier contact of the same customer within these days
EARLIER_WEEKS: Final = 8  # earlier evaluations of the same agent within these weeks
LOW_POINT_AT_MOST: Final = 2  # a criterion scored or suggested 1-2 is low


class Kind(enum.StrEnum):
    """The kinds of signal, stored as they are (``interactions.models.SignalKind`` is this)."""

    LOW_AUTO_SCORE = "low_auto_score"
    AUTO_CRITICAL_FAIL = "auto_critical_fail"
    LOW_CSAT = "low_csat"
    NPS_DETRACTOR = "nps_detractor"
    HIGH_EFFORT = "high_effort"
    NOT_RESOLVED = "not_resolved"
    LONG_HANDLE = "long_handle"
    LONG_WAIT = "long_wait"
    ESCALATION = "escalation"
    REPEAT_CONTACT = "repeat_contact"
    EARLIER_DISPUTE = "earlier_dispute"
    EARLIER_LOW_SCORE = "earlier_low_score"


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal: its kind, the figure behind it (None when there is none) and details."""

    kind: Kind
    figure: float | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AutoFacts:
    """The interaction's auto result: score (None if undecided), the pass mark, critical fail.

    ``points`` maps a criterion reference (any stable text, e.g. scorecard and key) to the point
    its rule suggested; ``names`` maps the same references to what the pages call the criterion.
    """

    score: float | None
    pass_mark: float | None = None
    critical_fail: bool = False
    points: Mapping[str, int] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HandleBaseline:
    """The agent's handle times before the interaction: their 90th percentile and how many."""

    percentile: float
    count: int


@dataclass(frozen=True, slots=True)
class EarlierEvaluation:
    """An earlier submitted evaluation of the same agent: criteria scored 1-2, and disputed."""

    evaluation_id: int
    low: frozenset[str] = frozenset()
    disputed: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything known about one interaction; None (or empty) where a fact is not known.

    ``earlier`` lists the agent's earlier evaluations in the window, most recent first.
    """

    interaction: Interaction
    auto: AutoFacts | None = None
    baseline: HandleBaseline | None = None
    previous_contact: int | None = None
    earlier: tuple[EarlierEvaluation, ...] = ()
