"""One interaction as the rules see it, with the work several rules share done once."""

from __future__ import annotations

from .interactions import Interaction, Speaker
from .text import Lexicon, key_text, tokens


class Transcript:
    """Wraps an interaction; caches the words and match keys of its turns for all its rules."""

    __slots__ = ("_keys", "_words", "agent_turns", "interaction")

    def __init__(self, interaction: Interaction) -> None:
        self.interaction = interaction
        self.agent_turns: list[int] = [
            index for index, turn in enumerate(interaction.turns) if turn.speaker is Speaker.AGENT
        ]
        self._words: dict[int, list[str]] = {}
        self._keys: dict[tuple[int, int], str] = {}

    def words(self, turn: int) -> list[str]:
        """The words of one turn."""
        found = self._words.get(turn)
        if found is None:
            found = self._words[turn] = tokens(self.interaction.turns[turn].text)
        return found

    def keys(self, turn: int, lex: Lexicon) -> str:
        """The match keys of one turn's words, as text for the multi-pattern search."""
        cache_key = (turn, id(lex))
        found = self._keys.get(cache_key)
        if found is None:
            found = self._keys[cache_key] = key_text(self.words(turn), lex)
        return found
