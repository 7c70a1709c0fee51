"""From an interaction's facts to its signals: one small check per kind, none on missing data."""

from __future__ import annotations

from collections.abc import Callable

from ..rules import Transcript
from ..rules.timing import longest_wait
from .escalation import EscalationPhrases, find_escalation
from .facts import (
    DEFAULT_PASS_MARK,
    DETRACTOR_AT_MOST,
    HANDLE_MIN_COUNT,
    HIGH_EFFORT_AT_LEAST,
    LONG_WAIT_SECONDS,
    LOW_CSAT_AT_MOST,
    LOW_POINT_AT_MOST,
    Facts,
    Kind,
    Signal,
)

Check = Callable[[Facts], Signal | None]


def _low_auto_score(facts: Facts) -> Signal | None:
    auto = facts.auto
    if auto is None or auto.score is None:
        return None
    mark = DEFAULT_PASS_MARK if auto.pass_mark is None else auto.pass_mark
    if auto.score >= mark:
        return None
    return Signal(Kind.LOW_AUTO_SCORE, auto.score, {"pass_mark": mark})


def _critical_fail(facts: Facts) -> Signal | None:
    if facts.auto is None or not facts.auto.critical_fail:
        return None
    return Signal(Kind.AUTO_CRITICAL_FAIL)


def _metrics(facts: Facts) -> list[Signal]:
    metrics, found = facts.interaction.metrics, []
    if metrics.csat is not None and metrics.csat <= LOW_CSAT_AT_MOST:
        found.append(Signal(Kind.LOW_CSAT, metrics.csat))
    if metrics.nps is not None and metrics.nps <= DETRACTOR_AT_MOST:
        found.append(Signal(Kind.NPS_DETRACTOR, metrics.nps))
    if metrics.ces is not None and metrics.ces >= HIGH_EFFORT_AT_LEAST:
        found.append(Signal(Kind.HIGH_EFFORT, metrics.ces))
    if metrics.first_contact_resolved is False:
        found.append(Signal(Kind.NOT_RESOLVED))
    return found


def _long_handle(facts: Facts) -> Signal | None:
    seconds, baseline = facts.interaction.metrics.handle_seconds, facts.baseline
    if seconds is None or baseline is None or baseline.count < HANDLE_MIN_COUNT:
        return None  # too little history to know what is long for this agent
    if seconds <= baseline.percentile:
        return None
    detail = {"percentile": baseline.percentile, "count": baseline.count}
    return Signal(Kind.LONG_HANDLE, seconds, detail)


def _long_wait(facts: Facts) -> Signal | None:
    interaction = facts.interaction
    limit = LONG_WAIT_SECONDS.get(interaction.channel)
    if limit is None:
        return None
    wait = longest_wait(interaction.turns)
    if wait is None or wait[0] <= limit:
        return None
    return Signal(Kind.LONG_WAIT, wait[0], {"limit": limit, "turn": wait[1]})


def _repeat_contact(facts: Facts) -> Signal | None:
    if facts.previous_contact is None:
        return None
    return Signal(Kind.REPEAT_CONTACT, None, {"interaction_id": facts.previous_contact})


def _earlier(facts: Facts) -> list[Signal]:
    """Low auto suggestions that the agent's earlier evaluations also scored low, or disputed."""
    auto = facts.auto
    if auto is None or not facts.earlier:
        return []
    low = {ref for ref, point in auto.points.items() if point <= LOW_POINT_AT_MOST}
    if not low:
        return []
    found: dict[Kind, Signal] = {}
    for evaluation in facts.earlier:  # the most recent first: it names the signal
        for kind, refs in (
            (Kind.EARLIER_LOW_SCORE, evaluation.low),
            (Kind.EARLIER_DISPUTE, evaluation.disputed),
        ):
            shared = low & refs
            if shared and kind not in found:
                ref = min(shared)
                detail = {
                    "evaluation_id": evaluation.evaluation_id,
                    "criterion": ref,
                    "criterion_name": auto.names.get(ref, ref),
                }
                found[kind] = Signal(kind, auto.points[ref], detail)
    return list(found.values())


def _escalation(facts: Facts, phrases: EscalationPhrases | None) -> Signal | None:
    if phrases is None:
        return None
    matches = find_escalation(Transcript(facts.interaction), phrases)
    if not matches:
        return None
    first = matches[0]
    detail = {"phrase": first.phrase, "turn": first.turn, "start": first.start, "end": first.end}
    return Signal(Kind.ESCALATION, len(matches), detail)


CHECKS: tuple[Check, ...] = (
    _low_auto_score,
    _critical_fail,
    _long_handle,
    _long_wait,
    _repeat_contact,
)


def detect(facts: Facts, phrases: EscalationPhrases | None = None) -> list[Signal]:
    """The interaction's signals, at most one per kind, in the order of ``Kind``."""
    found = [signal for check in CHECKS if (signal := check(facts)) is not None]
    found += _metrics(facts) + _earlier(facts)
    escalation = _escalation(facts, phrases)
    if escalation is not None:
        found.append(escalation)
    order = list(Kind)
    return sorted(found, key=lambda signal: order.index(signal.kind))
