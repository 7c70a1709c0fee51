"""Model rules: the prompt, the strict reading of the answer, quotes as evidence (pure)."""

from __future__ import annotations

import json

import pytest

from qa_app.rules import (
    CriterionText,
    ModelAccess,
    Outcome,
    PhraseMatch,
    Reason,
    RuleSpecError,
    Suggestion,
    compile_rule,
    suggest,
    suggest_all,
)
from qa_app.rules.model import prompt, read_answer
from qa_app.rules.transcript import Transcript

from .helpers import A, C, X, chat, matched_text

EMPATHY = CriterionText(
    "Shows empathy",
    "Acknowledges how the customer feels.",
    {5: "Names the feeling", 3: "Polite only", 1: "Dismissive"},
)
EN = chat(
    "en",
    (C, "My parcel is late again.\nI am really upset."),
    (A, "I'm so sorry, I understand how frustrating this is."),
    (X, "System: chat transferred"),
)
HU = chat("hu", (C, "Már harmadszor írok!"), (A, "Elnézést kérek, teljesen érthető a bosszúsága."))
EL = chat("el", (C, "Γιατί αργεί;"), (A, "Λυπάμαι πολύ, καταλαβαίνω την ενόχλησή σας."))


def answer(point: object, *quotes: str) -> str:
    return json.dumps({"point": point, "quotes": list(quotes)}, ensure_ascii=False)


def read(text: object, interaction=EN, allow_na: bool = False) -> Suggestion:
    return read_answer(text, Transcript(interaction), allow_na)


@pytest.mark.parametrize(
    ("interaction", "quote", "turn"),
    [
        (EN, "how frustrating this is", 1),
        (EN, "I am really upset", 0),  # a customer turn counts, on its second line
        (HU, "teljesen érthető a bosszúsága", 1),
        (EL, "καταλαβαίνω την ενόχλησή σας", 1),
        (EL, "Γιατί αργεί;", 0),
    ],
)
def test_a_verbatim_quote_becomes_evidence_on_its_exact_characters(interaction, quote, turn):
    found = read(answer(4, quote), interaction)
    assert (found.outcome, found.point) == (Outcome.POINT, 4)
    (match,) = found.evidence
    assert isinstance(match, PhraseMatch) and match.turn == turn
    assert matched_text(interaction, match) == quote == match.phrase


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json at all", Reason.MODEL_ANSWER_INVALID),
        ("[4]", Reason.MODEL_ANSWER_INVALID),
        (answer(6, "how frustrating"), Reason.MODEL_ANSWER_INVALID),
        (answer(0, "how frustrating"), Reason.MODEL_ANSWER_INVALID),
        (answer(True, "how frustrating"), Reason.MODEL_ANSWER_INVALID),
        (answer("4", "how frustrating"), Reason.MODEL_ANSWER_INVALID),
        (answer(4), Reason.MODEL_ANSWER_INVALID),  # a point needs a quote
        (answer(4, "   "), Reason.MODEL_ANSWER_INVALID),
        (answer("n/a"), Reason.MODEL_ANSWER_INVALID),  # the criterion does not allow N/A
        ('{"point": 4, "quotes": ["how frustrating"], "why": "x"}', Reason.MODEL_ANSWER_INVALID),
        (None, Reason.MODEL_ANSWER_INVALID),
        (answer(4, "how frustrating", "we will refund you"), Reason.QUOTE_NOT_FOUND),
        (answer(4, "How Frustrating"), Reason.QUOTE_NOT_FOUND),  # word for word, case too
        (answer(4, "chat transferred"), Reason.QUOTE_NOT_FOUND),  # a turn by someone else
        (answer(4, "frustrating this is. Customer: thanks"), Reason.QUOTE_NOT_FOUND),
    ],
)
def test_anything_but_a_clean_answer_cannot_decide(text, reason):
    found = read(text)
    assert (found.outcome, found.reason, found.evidence) == (Outcome.CANNOT_DECIDE, reason, ())


def test_na_where_allowed_and_a_fenced_answer_is_read():
    assert read(answer("n/a"), allow_na=True) == Suggestion.of(None)
    fenced = read("```json\n" + answer(5, "I'm so sorry") + "\n```")
    assert fenced.point == 5 and matched_text(EN, fenced.evidence[0]) == "I'm so sorry"


def test_the_prompt_numbers_turns_names_speakers_and_gives_the_anchors():
    system, user = prompt(EMPATHY, Transcript(EN))
    assert system["role"] == "system" and '"quotes"' in system["content"]
    assert "n/a" not in system["content"]
    text = user["content"]
    assert "Criterion: Shows empathy" in text and "Acknowledges how the customer feels." in text
    assert "- 1: Dismissive" in text and "- 5: Names the feeling" in text
    assert "1. customer: My parcel is late again.\n    I am really upset." in text
    assert "2. agent: I'm so sorry" in text and "3. other: System" in text
    na = CriterionText("x", allow_na=True)
    assert "n/a" in prompt(na, Transcript(EN))[0]["content"]


def test_suggest_all_asks_through_the_caller_and_never_raises():
    rules = {"empathy": compile_rule({"kind": "model"}), "other": compile_rule({"kind": "model"})}
    sent = []

    def ask(messages):
        sent.append(messages)
        return answer(5, "I understand how frustrating this is")

    found = suggest_all(rules, EN, model=ModelAccess(ask, {"empathy": EMPATHY}))
    assert found["empathy"].point == 5 and len(sent) == 1
    assert found["other"].reason is Reason.MODEL_OFF  # no words for that criterion

    def down(_messages):
        raise TimeoutError("read timed out")

    failed = suggest_all(rules, EN, model=ModelAccess(down, {"empathy": EMPATHY}))
    assert failed["empathy"].reason is Reason.MODEL_UNAVAILABLE
    assert suggest_all(rules, EN)["empathy"].reason is Reason.MODEL_OFF
    assert suggest(rules["empathy"], EN).reason is Reason.MODEL_OFF


def test_turns_and_channels_are_checked_before_the_model_is_asked():
    def never(_messages):
        raise AssertionError("asked")

    access = ModelAccess(never, {"k": EMPATHY})
    rule = compile_rule({"kind": "model", "min_agent_turns": 2, "channels": ["chat", "email"]})
    assert suggest_all({"k": rule}, EN, model=access)["k"].reason is Reason.TOO_SHORT
    call = chat("en", (A, "Hello"), channel="call")
    assert suggest_all({"k": rule}, call, model=access)["k"].reason is Reason.CHANNEL_NOT_COVERED
    no_agent = chat("en", (C, "Hello"))
    assert suggest_all({"k": rule}, no_agent, model=access)["k"].reason is Reason.NO_AGENT_TURN


def test_the_spec_refuses_unknown_fields_and_bad_channels():
    with pytest.raises(RuleSpecError) as refused:
        compile_rule({"kind": "model", "prompt": "x", "channels": ["fax"], "min_agent_turns": 0})
    paths = {problem.path for problem in refused.value.problems}
    assert paths == {"prompt", "channels[0]", "min_agent_turns"}
    assert compile_rule({"kind": "model"}).points == {1, 2, 3, 4, 5}
