"""Signals: why an interaction may deserve a human's look, with the figure behind each.

Pure package, like ``rules/``: no Flask, no database. The caller gathers an interaction's facts
(``Facts``: the engine's interaction, its auto result, the agent's handle-time baseline, the
customer's previous contact, the agent's earlier low scores and disputes) and ``detect`` returns
the signals. A signal is never raised on missing data. The kinds, their thresholds and the
figures are described in docs/spotlight.md.
"""

from __future__ import annotations

from .detect import detect
from .escalation import EscalationPhrases, compile_escalation
from .facts import (
    AutoFacts,
    EarlierEvaluation,
    Facts,
    HandleBaseline,
    Kind,
    Signal,
)
from .percentile import percentile

__all__ = [
    "AutoFacts",
    "EarlierEvaluation",
    "EscalationPhrases",
    "Facts",
    "HandleBaseline",
    "Kind",
    "Signal",
    "compile_escalation",
    "detect",
    "percentile",
]
