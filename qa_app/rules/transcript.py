"""One interaction as the rules see it, with the work several rules share done once."""

from __future__ import annotations

from .interactions import Interaction, Speaker
from .suggestions import Reason
from .text import Lexicon, tokens


class AgentKeys:
    """The match keys of all agent turns in one text, and where each turn's part starts.

    Each part is " key key " with its own spaces at both ends, so two parts meet in a double
    space that no pattern (single spaces only) can match across.
    """

    __slots__ = ("starts", "text")

    def __init__(self, parts: list[str]) -> None:
        self.text = "".join(parts)
        self.starts = [0]
        for part in parts:
            self.starts.append(self.starts[-1] + len(part))

    @classmethod
    def of(cls, words: list[list[str]], lex: Lexicon) -> AgentKeys:
        """The same as ``AgentKeys([key_text(w, lex) for w in words])``, joined in one go."""
        get = lex.__getitem__
        joined = [" ".join(map(get, turn)) for turn in words]
        keys = cls.__new__(cls)
        keys.text = " " + "  ".join(joined) + " " if joined else ""
        keys.starts = starts = [0]
        at = 0
        for part in joined:
            at += len(part) + 2
            starts.append(at)
        return keys


class Transcript:
    """Wraps an interaction; caches the words and match keys of its turns for all its rules."""

    __slots__ = (
        "_agent_words",
        "_keys",
        "_spans",
        "_words",
        "agent_turns",
        "interaction",
        "language",
        "waits",
    )

    def __init__(self, interaction: Interaction) -> None:
        self.interaction = interaction
        self.agent_turns: list[int] = [
            index for index, turn in enumerate(interaction.turns) if turn.speaker is Speaker.AGENT
        ]
        self.language = interaction.primary_language
        # Filled by the first response-time rule, read by the others (see timing.py).
        self.waits: list[tuple[float, int]] | Reason | None = None
        self._words: dict[int, list[str]] = {}
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._keys: dict[int, AgentKeys] = {}
        self._agent_words: list[list[str]] | None = None

    def words(self, turn: int) -> list[str]:
        """The words of one turn."""
        found = self._words.get(turn)
        if found is None:
            found = self._words[turn] = tokens(self.interaction.turns[turn].text)
        return found

    def spans(self, turn: int, count: int) -> list[tuple[int, int]]:
        """The character spans of (at least) the first ``count`` words of one turn.

        Found from the turn's words, already split, rather than by a second regex pass: each
        word is the next occurrence of its text, since what lies between two words can never
        begin one. Only as far as asked (a match near the start spares the rest of the turn).
        """
        found = self._spans.get(turn)
        if found is None:
            found = self._spans[turn] = []
        if len(found) < count:
            text, find, end = self.interaction.turns[turn].text, str.find, 0
            if found:
                end = found[-1][1]
            for word in self.words(turn)[len(found) : count]:
                start = find(text, word, end)
                end = start + len(word)
                found.append((start, end))
        return found

    def agent_words(self) -> list[list[str]]:
        """The words of each agent turn, in order: split once, shared by every rule."""
        if self._agent_words is None:
            self._agent_words = [self.words(turn) for turn in self.agent_turns]
        return self._agent_words

    def agent_keys(self, lex: Lexicon) -> AgentKeys:
        """The match keys of the agent turns, in order (part i is agent turn i)."""
        found = self._keys.get(id(lex))
        if found is None:
            found = self._keys[id(lex)] = AgentKeys.of(self.agent_words(), lex)
        return found
