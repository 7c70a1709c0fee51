"""Small builders for rule tests: a transcript from (speaker, text, time) triples."""

from __future__ import annotations

from qa_app.rules import Interaction, Metrics, Speaker, Turn

A, C, X = Speaker.AGENT, Speaker.CUSTOMER, Speaker.OTHER


def chat(
    language: str | None,
    *turns: tuple[Speaker, str] | tuple[Speaker, str, float | None],
    channel: str = "chat",
    metrics: Metrics | None = None,
) -> Interaction:
    built = tuple(Turn(t[0], t[1], t[2] if len(t) > 2 else None) for t in turns)
    return Interaction(channel, language, built, metrics or Metrics())


def matched_text(interaction: Interaction, match: object) -> str:
    turn, start, end = match.turn, match.start, match.end  # type: ignore[attr-defined]
    return interaction.turns[turn].text[start:end]
