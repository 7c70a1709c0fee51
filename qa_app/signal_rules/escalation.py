"""Escalation and churn phrases in the customer's turns, found by the Auto QA phrase matcher.

The lists are compiled exactly as a phrase rule's (whole words, case ignored, word forms by the
lemmatiser), so "felmondanám" is found for "felmond" as it would be in a rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ..rules import PhraseMatch, Speaker, Transcript
from ..rules.checks import RuleProblem
from ..rules.phrases import PhraseList, compile_phrases, find_in_turns

# Shipped lists, used for a language until an admin edits it. Word forms count, but the
# lemmatiser does not always reduce a form to the listed word ("cancelled" stays "cancell"),
# so such forms are listed too.
DEFAULT_PHRASES: Final[Mapping[str, tuple[str, ...]]] = {
    "en": (
        "cancel",
        "cancelled",
        "cancelling",
        "cancellation",
        "complaint",
        "lawyer",
        "solicitor",
        "unacceptable",
        "close my account",
        "speak to a manager",
        "switch provider",
    ),
    "hu": (
        "felmondom",
        "felmondás",
        "lemondom",
        "panasz",
        "panaszom",
        "ügyvéd",
        "elfogadhatatlan",
        "bíróság",
        "feljelentés",
        "a vezetőjével",
    ),
}


@dataclass(frozen=True, slots=True)
class EscalationPhrases:
    """The compiled lists, keyed by language code (``en``, ``hu``)."""

    lists: Mapping[str, PhraseList]


def compile_escalation(
    lists: Mapping[str, Sequence[str]],
) -> tuple[EscalationPhrases, list[RuleProblem]]:
    """Compile each language's phrases; the problems name the language and the phrase number."""
    compiled, problems = {}, []
    for language, phrases in lists.items():
        phrase_list, found = compile_phrases(language, phrases)
        problems.extend(found.items)
        if not found.items:
            compiled[language] = phrase_list
    return EscalationPhrases(compiled), problems


def find_escalation(transcript: Transcript, phrases: EscalationPhrases) -> tuple[PhraseMatch, ...]:
    """Every match in the customer's turns, in the list of the interaction's language."""
    language = transcript.language
    phrase_list = phrases.lists.get(language) if language else None
    if phrase_list is None:
        return ()
    turns = transcript.interaction.turns
    customer = [i for i, turn in enumerate(turns) if turn.speaker is Speaker.CUSTOMER]
    return find_in_turns(transcript, customer, phrase_list)
