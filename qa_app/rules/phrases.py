"""Phrase rules: does the agent say (or avoid) one of the phrases listed for the language?

All the phrases of a language go into one Aho-Corasick automaton over match keys, so a turn is
searched once whatever the number of phrases. A pattern is " key key " with a space at each end,
so it only matches whole words.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import ahocorasick

from .checks import N_, Problems, at_least_one, choice, join, known_fields, mapping, point, whole
from .suggestions import PhraseMatch, Reason, Suggestion
from .text import Lexicon, lexicon, supported_languages, tokens
from .transcript import AgentKeys, Transcript

MODES: Final = ("required", "forbidden")
SCOPES: Final = ("all", "first", "last")
# By default saying a required phrase is excellent, and saying a forbidden one is poor.
DEFAULT_POINTS: Final = {"required": (5, 1), "forbidden": (1, 5)}
FIELDS: Final = {"kind", "mode", "phrases", "within", "turns", "ignore_accents", "word_forms"}
FIELDS_MORE: Final = {"found", "not_found", "min_agent_turns"}


@dataclass(frozen=True, slots=True)
class PhraseList:
    """The phrases of one language, compiled into one automaton."""

    lexicon: Lexicon
    automaton: Any  # ahocorasick.Automaton: value = (phrase, number of words)


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Found in the agent turns in scope -> ``found``, else ``not_found`` (None is N/A)."""

    mode: str
    languages: Mapping[str, PhraseList]
    scope: str
    turns: int
    found: int | None
    not_found: int | None
    min_agent_turns: int

    @property
    def points(self) -> set[int | None]:
        return {self.found, self.not_found}

    def _in_scope(self, count: int) -> range:
        """The positions (among the agent turns) of the turns to search."""
        if self.scope == "first":
            return range(min(self.turns, count))
        if self.scope == "last":
            return range(max(count - self.turns, 0), count)
        return range(count)

    def suggest(self, transcript: Transcript) -> Suggestion:
        """Search the agent turns in scope for the phrases of the interaction's language."""
        language = transcript.language
        if language is None:
            return Suggestion.cannot_decide(Reason.NO_LANGUAGE)
        phrases = self.languages.get(language)
        if phrases is None:
            return Suggestion.cannot_decide(Reason.LANGUAGE_NOT_COVERED)
        if not transcript.agent_turns:
            return Suggestion.cannot_decide(Reason.NO_AGENT_TURN)
        if len(transcript.agent_turns) < self.min_agent_turns:
            return Suggestion.cannot_decide(Reason.TOO_SHORT)
        matches = _search(transcript, self._in_scope(len(transcript.agent_turns)), phrases)
        return Suggestion.of(self.found if matches else self.not_found, matches)


def _search(transcript: Transcript, scope: range, phrases: PhraseList) -> tuple[PhraseMatch, ...]:
    """The matches in the agent turns in scope, each with its words' span in the original text."""
    if not scope:
        return ()
    keys = transcript.agent_keys(phrases.lexicon)
    return _matches(transcript, transcript.agent_turns, keys, scope, phrases)


def find_in_turns(
    transcript: Transcript, turns: Sequence[int], phrases: PhraseList
) -> tuple[PhraseMatch, ...]:
    """The phrases found in the given turns (any speaker's), matched as the phrase rules match."""
    if not turns:
        return ()
    keys = AgentKeys.of([transcript.words(turn) for turn in turns], phrases.lexicon)
    return _matches(transcript, turns, keys, range(len(turns)), phrases)


def _matches(
    transcript: Transcript,
    turns: Sequence[int],
    keys: AgentKeys,
    scope: range,
    phrases: PhraseList,
) -> tuple[PhraseMatch, ...]:
    text, starts = keys.text, keys.starts
    hits = phrases.automaton.iter(text, starts[scope[0]], starts[scope[-1] + 1])
    # Plain tuples until the end: sorting and removing repeats on them is cheaper, and a
    # PhraseMatch is built once per distinct match.
    found = set()
    for end, (phrase, size, length) in hits:
        start = end - length + 1
        part = bisect_right(starts, start) - 1
        first = text.count(" ", starts[part], start)  # spaces before = words before
        turn = turns[part]
        last = first + size - 1
        places = transcript.spans(turn, last + 1)
        found.add((turn, places[first][0], places[last][1], phrase))
    # Tuples sort by (turn, start, end, phrase): the order of the evidence.
    return tuple(PhraseMatch(*match) for match in sorted(found))


def compile_phrases(
    language: str, phrases: Sequence[str], word_forms: bool = True
) -> tuple[PhraseList, Problems]:
    """One language's phrases as a phrase rule compiles them, and the problems found."""
    found = Problems()
    if word_forms and language not in supported_languages():
        found.add(language, N_("word forms are not known for language %(code)s"), code=language)
    lex = lexicon(language, word_forms and language in supported_languages(), False)
    return _compile(phrases, lex, language, found), found


def _compile(phrases: Sequence[object], lex: Lexicon, path: str, found: Problems) -> PhraseList:
    automaton = ahocorasick.Automaton()
    for index, phrase in enumerate(phrases):
        words = tokens(phrase) if isinstance(phrase, str) else []
        if not words:
            found.add(join(path, index), N_("must be a phrase with at least one word"))
            continue
        pattern = " " + " ".join(lex.key(word) for word in words) + " "
        if pattern not in automaton:
            automaton.add_word(pattern, (phrase, len(words), len(pattern)))
    if len(automaton):
        automaton.make_automaton()
    return PhraseList(lex, automaton)


def _languages(data: Mapping[str, Any], path: str, found: Problems) -> dict[str, PhraseList]:
    word_forms = data.get("word_forms", True) is not False
    fold_accents = data.get("ignore_accents", False) is True
    known = supported_languages()
    result = {}
    raw = mapping(data.get("phrases"), join(path, "phrases"), found)
    if not raw:
        found.add(join(path, "phrases"), N_("needs phrases for at least one language"))
    for language, phrases in raw.items():
        where = join(join(path, "phrases"), language)
        if word_forms and language not in known:
            found.add(where, N_("word forms are not known for language %(code)s"), code=language)
            continue
        if not isinstance(phrases, Sequence) or isinstance(phrases, str) or not phrases:
            found.add(where, N_("must be a non-empty list of phrases"))
            continue
        lex = lexicon(language, word_forms, fold_accents)
        result[language] = _compile(phrases, lex, where, found)
    return result


def read_phrase_rule(data: Mapping[str, Any], path: str, found: Problems) -> PhraseRule:
    """Read a ``kind: phrases`` spec, recording its problems."""
    known_fields(data, FIELDS | FIELDS_MORE, path, found)
    mode = choice(data.get("mode", "required"), MODES, join(path, "mode"), found)
    scope = choice(data.get("within", "all"), SCOPES, join(path, "within"), found)
    turns = whole(data.get("turns", 1 if scope != "all" else 0), join(path, "turns"), found)
    if scope != "all" and turns < 1:
        found.add(join(path, "turns"), N_("must be at least 1 with within: first or last"))
    for flag in ("ignore_accents", "word_forms"):
        if flag in data and not isinstance(data[flag], bool):
            found.add(join(path, flag), N_("must be true or false"))
    on_found, on_missing = DEFAULT_POINTS[mode]
    return PhraseRule(
        mode=mode,
        languages=_languages(data, path, found),
        scope=scope,
        turns=turns,
        found=point(data.get("found", on_found), join(path, "found"), found),
        not_found=point(data.get("not_found", on_missing), join(path, "not_found"), found),
        min_agent_turns=at_least_one(data, "min_agent_turns", path, found),
    )
