"""Metric rules (handle time, survey answers, first-contact resolution) and message-shape rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .checks import Problems, at_least_one, choice, join, known_fields, required_point
from .suggestions import Measurement, Reason, Suggestion
from .text import sentence_count
from .thresholds import Thresholds, read_thresholds
from .transcript import Transcript

NUMERIC_METRICS: Final = {"handle_seconds": "s", "csat": "", "nps": "", "ces": ""}
METRICS: Final = (*NUMERIC_METRICS, "first_contact_resolved")
SHAPES: Final = {
    "longest_message": "characters",
    "average_message": "characters",
    "average_sentence": "words",
}


@dataclass(frozen=True, slots=True)
class MetricRule:
    """A recorded metric against thresholds; a yes/no metric maps ``yes`` and ``no``."""

    metric: str
    thresholds: Thresholds | None = None
    yes: int | None = None
    no: int | None = None

    @property
    def points(self) -> set[int | None]:
        return self.thresholds.points if self.thresholds else {self.yes, self.no}

    def suggest(self, transcript: Transcript) -> Suggestion:
        """Map the metric to a point; cannot decide when it was not recorded."""
        value = getattr(transcript.interaction.metrics, self.metric)
        if value is None:
            return Suggestion.cannot_decide(Reason.METRIC_MISSING)
        if self.thresholds is None:
            evidence = (Measurement(self.metric, 1.0 if value else 0.0, "yes/no"),)
            return Suggestion.of(self.yes if value else self.no, evidence)
        evidence = (Measurement(self.metric, float(value), NUMERIC_METRICS[self.metric]),)
        return Suggestion.of(self.thresholds.point_for(float(value)), evidence)


def read_metric_rule(data: Mapping[str, Any], path: str, found: Problems) -> MetricRule:
    """Read a ``kind: metric`` spec, recording its problems."""
    metric = choice(data.get("metric"), METRICS, join(path, "metric"), found)
    if metric == "first_contact_resolved":
        known_fields(data, {"kind", "metric", "yes", "no"}, path, found)
        yes = required_point(data, "yes", path, found)
        return MetricRule(metric, yes=yes, no=required_point(data, "no", path, found))
    known_fields(data, {"kind", "metric", "thresholds", "otherwise"}, path, found)
    return MetricRule(metric, thresholds=read_thresholds(data, path, found))


@dataclass(frozen=True, slots=True)
class ShapeRule:
    """The agent's messages: longest or average length, or average sentence length."""

    measure: str
    thresholds: Thresholds
    min_agent_turns: int

    @property
    def points(self) -> set[int | None]:
        return self.thresholds.points

    def suggest(self, transcript: Transcript) -> Suggestion:
        """Measure the agent's messages and map the figure to a point."""
        agent = transcript.agent_turns
        if not agent:
            return Suggestion.cannot_decide(Reason.NO_AGENT_TURN)
        if len(agent) < self.min_agent_turns:
            return Suggestion.cannot_decide(Reason.TOO_SHORT)
        figure, turn = self._measure(transcript, agent)
        if figure is None:
            return Suggestion.cannot_decide(Reason.TOO_SHORT)
        evidence = (Measurement(self.measure, round(figure, 2), SHAPES[self.measure], turn),)
        return Suggestion.of(self.thresholds.point_for(figure), evidence)

    def _measure(self, transcript: Transcript, agent: list[int]) -> tuple[float | None, int | None]:
        turns = transcript.interaction.turns
        lengths = [len(turns[index].text.strip()) for index in agent]
        if self.measure == "longest_message":
            longest = max(lengths)
            return float(longest), agent[lengths.index(longest)]
        if self.measure == "average_message":
            return sum(lengths) / len(lengths), None
        sentences = sum(sentence_count(turns[index].text) for index in agent)
        words = sum(map(len, transcript.agent_words()))
        return (words / sentences if sentences else None), None


def read_shape_rule(data: Mapping[str, Any], path: str, found: Problems) -> ShapeRule:
    """Read a ``kind: message_shape`` spec, recording its problems."""
    known_fields(
        data, {"kind", "measure", "thresholds", "otherwise", "min_agent_turns"}, path, found
    )
    return ShapeRule(
        measure=choice(data.get("measure"), tuple(SHAPES), join(path, "measure"), found),
        thresholds=read_thresholds(data, path, found),
        min_agent_turns=at_least_one(data, "min_agent_turns", path, found),
    )
