"""Words of a transcript: tokens with their place in the original text, and their match keys.

A token is a run of letters and digits (with any combining accents that follow them). Matching
compares *keys*: the token in lower case, reduced to its dictionary form by simplemma when word
forms count, and without accents when the author allows. Keys are computed per token, so every
match maps back to the original characters however casefolding or accent removal change lengths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import islice
from typing import Final

import simplemma

# Letters and digits, then letters, digits or combining marks (an accent typed as its own
# code point stays inside the word it belongs to).
WORD: Final = re.compile(
    r"[^\W_](?:[^\W_]|[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])*"
)
# A sentence ends at . ! ? … or the Greek question mark (U+037E); ';' also ends one in Greek.
# A sentence that counts starts at a word and runs to the next end (or the end of the text).
SENTENCE: Final = re.compile(r"[^\W_][^.!?…;\u037e]*")
# Keys cached per lexicon; past this the cache starts over, so memory stays flat on any input.
CACHE_LIMIT: Final = 200_000


def supported_languages() -> frozenset[str]:
    """The language codes whose word forms simplemma knows."""
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return frozenset(SUPPORTED_LANGUAGES)


def warm(languages: Iterable[str]) -> list[str]:
    """Load the word-form dictionaries of these languages now; the ones simplemma knows, sorted.

    Loading one takes seconds (Hungarian's is the largest), so a worker does it before it takes
    work, rather than inside an import's transaction (docs/autoqa.md, "Performance").
    """
    known = sorted(set(languages) & supported_languages())
    for language in known:
        simplemma.lemmatize("a", lang=language)
    return known


def strip_accents(text: str) -> str:
    """The text without combining marks ("köszönöm" -> "koszonom", "ευχαριστώ" -> "ευχαριστω")."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


class Lexicon(dict[str, str]):
    """A cache from a token as written to its match key, for one language and way of matching."""

    def __init__(self, language: str, word_forms: bool, fold_accents: bool) -> None:
        super().__init__()
        self.language = language
        self.word_forms = word_forms
        self.fold_accents = fold_accents

    def key(self, token: str) -> str:
        """The match key of one token (not cached)."""
        lowered = unicodedata.normalize("NFC", token).lower()
        if self.word_forms:
            lowered = simplemma.lemmatize(lowered, lang=self.language).lower()
        key = lowered.casefold()
        if self.fold_accents:
            key = strip_accents(key)
        # Keys are joined with spaces for the multi-pattern search: a key must not hold one.
        return "_".join(key.split()) or "_"

    def __missing__(self, token: str) -> str:
        if len(self) >= CACHE_LIMIT:
            self.clear()
        key = self[token] = self.key(token)
        return key


@cache
def lexicon(language: str, word_forms: bool, fold_accents: bool) -> Lexicon:
    """The shared lexicon of a language and way of matching (rules share their caches)."""
    return Lexicon(language, word_forms, fold_accents)


def tokens(text: str) -> list[str]:
    """The words of a text, in order."""
    return WORD.findall(text)


def spans(text: str, count: int) -> list[tuple[int, int]]:
    """The [start, end) character spans of the first ``count`` words of a text."""
    return [match.span() for match in islice(WORD.finditer(text), count)]


def key_text(words: list[str], lex: Lexicon) -> str:
    """The keys of the words joined by single spaces, with a space before and after."""
    return " " + " ".join(map(lex.__getitem__, words)) + " "


def sentence_count(text: str) -> int:
    """The number of sentences of a text that hold at least one word."""
    return len(SENTENCE.findall(text))
