"""What the rules read: an interaction as plain frozen dataclasses, built by the caller."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Speaker(enum.StrEnum):
    """Who said a turn; only agent and customer turns count for the rules."""

    AGENT = "agent"
    CUSTOMER = "customer"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of a transcript; ``at`` is seconds from the start, None when unknown."""

    speaker: Speaker
    text: str
    at: float | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """What the helpdesk or survey recorded; None where it is not known."""

    handle_seconds: float | None = None
    csat: float | None = None
    nps: float | None = None
    ces: float | None = None
    first_contact_resolved: bool | None = None


@dataclass(frozen=True, slots=True)
class Interaction:
    """One interaction: channel (call, chat, email), language tag, turns and metrics."""

    channel: str
    language: str | None
    turns: tuple[Turn, ...] = ()
    metrics: Metrics = field(default_factory=Metrics)

    @property
    def primary_language(self) -> str | None:
        """The language tag's first part in lower case ("en-GB" -> "en"), None when unknown."""
        if not self.language:
            return None
        return self.language.split("-")[0].split("_")[0].strip().lower() or None
