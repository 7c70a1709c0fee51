"""Response-time rules: the longest wait for the agent, or the first reply, against thresholds.

A wait starts at the first customer turn after the agent last spoke and ends at the next agent
turn. Turns by anyone else are ignored. Without the time of every agent and customer turn the
rule cannot decide: a partial clock would be a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from .checks import N_, Problems, choice, join, known_fields, mapping
from .interactions import Speaker, Turn
from .suggestions import Measurement, Reason, Suggestion
from .thresholds import Thresholds, read_thresholds
from .transcript import Transcript

MEASURES: Final = ("longest_wait", "first_reply")
CHANNELS: Final = ("call", "chat", "email")


@dataclass(frozen=True, slots=True)
class ResponseTimeRule:
    """Thresholds in seconds per channel; a channel without them cannot be decided."""

    measure: str
    channels: Mapping[str, Thresholds]

    @property
    def points(self) -> set[int | None]:
        return set().union(*(limits.points for limits in self.channels.values()))

    def suggest(self, transcript: Transcript) -> Suggestion:
        """Measure the waits of the transcript and map the chosen one to a point."""
        limits = self.channels.get(transcript.interaction.channel)
        if limits is None:
            return Suggestion.cannot_decide(Reason.CHANNEL_NOT_COVERED)
        if transcript.waits is None:
            transcript.waits = _waits(transcript.interaction.turns)
        waits = transcript.waits
        if isinstance(waits, Reason):
            return Suggestion.cannot_decide(waits)
        # max() keeps the first of equal waits.
        seconds, turn = waits[0] if self.measure == "first_reply" else max(waits, key=_seconds)
        evidence = (Measurement(self.measure, seconds, "s", turn),)
        return Suggestion.of(limits.point_for(seconds), evidence)


def longest_wait(turns: tuple[Turn, ...]) -> tuple[float, int] | None:
    """The longest answered wait as (seconds, customer turn it began at); None when unknown."""
    waits = _waits(turns)
    return None if isinstance(waits, Reason) else max(waits, key=_seconds)


def _seconds(wait: tuple[float, int]) -> float:
    return wait[0]


def _waits(turns: tuple[Turn, ...]) -> list[tuple[float, int]] | Reason:
    """Each answered wait as (seconds, index of the customer turn it started at), or a Reason."""
    spoken = [(i, t) for i, t in enumerate(turns) if t.speaker is not Speaker.OTHER]
    if not any(t.speaker is Speaker.CUSTOMER for _, t in spoken):
        return Reason.NO_CUSTOMER_TURN
    if any(t.at is None for _, t in spoken):
        return Reason.NO_TIMES
    waits: list[tuple[float, int]] = []
    waiting_since: int | None = None
    for index, turn in spoken:
        if turn.speaker is Speaker.CUSTOMER:
            waiting_since = index if waiting_since is None else waiting_since
            continue
        if waiting_since is not None:
            seconds = float(turn.at or 0) - float(turns[waiting_since].at or 0)
            if seconds < 0:
                return Reason.TIMES_OUT_OF_ORDER
            waits.append((seconds, waiting_since))
            waiting_since = None
    return waits or Reason.NO_AGENT_TURN


def read_response_time_rule(
    data: Mapping[str, Any], path: str, found: Problems
) -> ResponseTimeRule:
    """Read a ``kind: response_time`` spec, recording its problems."""
    known_fields(data, {"kind", "measure", "channels"}, path, found)
    measure = choice(data.get("measure"), MEASURES, join(path, "measure"), found)
    raw = mapping(data.get("channels"), join(path, "channels"), found)
    if not raw:
        found.add(join(path, "channels"), N_("needs thresholds for at least one channel"))
    channels = {}
    for channel, spec in raw.items():
        where = join(join(path, "channels"), channel)
        choice(channel, CHANNELS, where, found)
        limits = mapping(spec, where, found)
        known_fields(limits, {"thresholds", "otherwise"}, where, found)
        channels[channel] = read_thresholds(limits, where, found)
    return ResponseTimeRule(measure, channels)
