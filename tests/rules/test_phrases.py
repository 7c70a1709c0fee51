"""Phrase rules: word forms, accents, scripts, scope, and spans into the original text."""

import pytest

from qa_app.rules import Outcome, Reason, compile_rule, suggest

from .helpers import A, C, X, chat, matched_text

APOLOGY = {
    "kind": "phrases",
    "phrases": {
        "en": ["apologise", "apologize", "sorry for the wait"],
        "hu": ["köszönöm", "elnézést kérek"],
        "el": ["ευχαριστώ", "συγγνώμη"],
    },
}


def test_english_spelling_variants_and_word_forms_are_found_with_their_exact_words() -> None:
    rule = compile_rule(APOLOGY)
    interaction = chat(
        "en-GB",
        (C, "Where is my parcel?"),
        (A, "We APOLOGIZED already; I apologise again, Sorry for the WAIT."),
    )
    found = suggest(rule, interaction)
    assert (found.outcome, found.point) == (Outcome.POINT, 5)
    assert [matched_text(interaction, m) for m in found.evidence] == [
        "APOLOGIZED",
        "apologise",
        "Sorry for the WAIT",
    ]
    assert all(m.turn == 1 for m in found.evidence)


def test_hungarian_word_forms_match_the_phrase_in_another_person() -> None:
    rule = compile_rule(APOLOGY)
    interaction = chat("hu", (C, "Szia!"), (A, "Köszönjük szépen, és elnézést kérünk a késésért."))
    found = suggest(rule, interaction)
    assert found.point == 5
    assert [matched_text(interaction, m) for m in found.evidence] == [
        "Köszönjük",
        "elnézést kérünk",
    ]


def test_greek_word_forms_and_final_sigma_are_matched() -> None:
    rule = compile_rule({"kind": "phrases", "phrases": {"el": ["ευχαριστώ", "ΤΗΛΕΦΩΝΟΣ"]}})
    interaction = chat("el", (C, "Γεια"), (A, "Σας ευχαριστούμε για το τηλεφωνος."))
    found = suggest(rule, interaction)
    assert [matched_text(interaction, m) for m in found.evidence] == ["ευχαριστούμε", "τηλεφωνος"]


def test_accents_are_ignored_only_when_the_author_allows_it() -> None:
    spec = {"kind": "phrases", "phrases": {"hu": ["köszönöm"]}, "word_forms": False}
    interaction = chat("hu", (A, "Koszonom a turelmet"))
    assert suggest(compile_rule(spec), interaction).point == 1
    found = suggest(compile_rule({**spec, "ignore_accents": True}), interaction)
    assert found.point == 5
    assert matched_text(interaction, found.evidence[0]) == "Koszonom"


def test_greek_accents_can_be_ignored() -> None:
    spec = {"kind": "phrases", "phrases": {"el": ["συγγνωμη"]}, "ignore_accents": True}
    interaction = chat("el", (A, "Ζητώ ΣΥΓΓΝΏΜΗ."))
    assert matched_text(interaction, suggest(compile_rule(spec), interaction).evidence[0]) == (
        "ΣΥΓΓΝΏΜΗ"
    )


@pytest.mark.parametrize(
    "text",
    [
        "İİİ Straße ﬁne — we apologise",  # İ and ﬁ grow when lowered or casefolded, ß too
        "cafe\u0301 and nai\u0308ve: we apologise",  # accents typed as combining marks
        "ΣΑΣ ΕΥΧΑΡΙΣΤΟΎΜΕ, we apologise",
    ],
)
def test_spans_stay_on_the_original_characters_when_normalising_changes_lengths(text: str) -> None:
    rule = compile_rule(
        {"kind": "phrases", "phrases": {"en": ["apologise"]}, "ignore_accents": True}
    )
    interaction = chat("en", (A, text))
    (match,) = suggest(rule, interaction).evidence
    assert matched_text(interaction, match) == "apologise"
    assert match.start == text.index("apologise")


def test_phrases_spanning_words_with_changed_lengths_keep_exact_spans() -> None:
    # Without word forms the key is the casefolded word: "große" and "GROSSE" both give "grosse".
    spec = {"kind": "phrases", "phrases": {"de": ["große Straße"]}, "word_forms": False}
    rule = compile_rule(spec)
    interaction = chat("de", (A, "Die GROSSE STRASSE und die große Straße"))
    found = suggest(rule, interaction)
    assert [matched_text(interaction, m) for m in found.evidence] == [
        "GROSSE STRASSE",
        "große Straße",
    ]


def test_only_whole_words_match() -> None:
    rule = compile_rule({"kind": "phrases", "phrases": {"en": ["sorry"]}, "word_forms": False})
    assert suggest(rule, chat("en", (A, "sorryness is not a word, unsorry neither"))).point == 1


def test_customer_and_other_turns_are_not_searched() -> None:
    rule = compile_rule(APOLOGY)
    found = suggest(rule, chat("en", (C, "I apologise"), (X, "apologise"), (A, "Hello")))
    assert (found.point, found.evidence) == (1, ())


def test_within_first_and_last_agent_turns() -> None:
    spec = {"kind": "phrases", "phrases": {"en": ["welcome"]}, "within": "first", "turns": 1}
    early = chat("en", (A, "Welcome!"), (C, "hi"), (A, "ok"), (A, "bye"))
    late = chat("en", (A, "Hi"), (C, "hi"), (A, "ok"), (A, "welcome back"))
    assert suggest(compile_rule(spec), early).point == 5
    assert suggest(compile_rule(spec), late).point == 1
    last = {**spec, "within": "last", "turns": 2}
    assert suggest(compile_rule(last), early).point == 1
    assert suggest(compile_rule(last), late).point == 5


def test_forbidden_phrases_score_low_when_said_and_show_where() -> None:
    spec = {"kind": "phrases", "mode": "forbidden", "phrases": {"en": ["calm down"]}}
    said = chat("en", (C, "This is absurd"), (A, "Please calm down."))
    found = suggest(compile_rule(spec), said)
    assert found.point == 1 and matched_text(said, found.evidence[0]) == "calm down"
    assert suggest(compile_rule(spec), chat("en", (A, "I understand."))).point == 5


def test_points_can_be_set_including_na() -> None:
    spec = {"kind": "phrases", "phrases": {"en": ["refund"]}, "found": 4, "not_found": "n/a"}
    assert suggest(compile_rule(spec), chat("en", (A, "Your refund is on its way"))).point == 4
    found = suggest(compile_rule(spec), chat("en", (A, "Hello")))
    assert (found.outcome, found.point) == (Outcome.NOT_APPLICABLE, None)


@pytest.mark.parametrize(
    ("interaction", "reason"),
    [
        (chat("en", (C, "Hello?"), (C, "Anyone?")), Reason.NO_AGENT_TURN),
        (chat(None, (A, "sorry")), Reason.NO_LANGUAGE),
        (chat("de", (A, "Entschuldigung")), Reason.LANGUAGE_NOT_COVERED),
        (chat("en"), Reason.NO_AGENT_TURN),
    ],
)
def test_phrase_rules_cannot_decide_without_what_they_need(interaction, reason) -> None:  # type: ignore[no-untyped-def]
    found = suggest(compile_rule(APOLOGY), interaction)
    assert (found.outcome, found.reason, found.point) == (Outcome.CANNOT_DECIDE, reason, None)


def test_a_transcript_shorter_than_the_rule_needs_cannot_be_decided() -> None:
    rule = compile_rule({**APOLOGY, "min_agent_turns": 3})
    found = suggest(rule, chat("en", (A, "sorry for the wait"), (A, "bye")))
    assert found.reason is Reason.TOO_SHORT
