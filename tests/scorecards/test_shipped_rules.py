"""The rules of the shipped templates: each phrase is found in a message written for it, the
timing and metric rules decide on a timed transcript, and nothing is decided on plain text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_app.autoqa.convert import to_engine
from qa_app.interactions.models import Interaction as StoredInteraction
from qa_app.rules import (
    Interaction,
    Metrics,
    PhraseRule,
    Reason,
    Speaker,
    Turn,
    compile_rule,
    suggest,
)
from qa_app.rules.text import lexicon
from qa_app.scorecards.schema import list_shipped_templates, load_shipped_template

A, C = Speaker.AGENT, Speaker.CUSTOMER
RUDE_EN = {
    "calm down": "Please just calm down and let me finish.",
    "your fault": "Honestly, that was your fault, not ours.",
    "not my fault": "The delay is not my fault.",
    "not my problem": "Sorry, but that's not my problem.",
    "you should have": "You should have read the terms first.",
    "I already told you": "I already told you how this works.",
    "as I said before": "As I said before, the form is on the website.",
    "whatever": "Whatever, I will send it again.",
    "shut up": "Could you shut up for a second?",
}
# Written in other word forms than the phrases where Hungarian allows it.
RUDE_HU = {
    "nyugodjon meg": "Kérem, nyugodjanak meg, és hallgassanak végig.",
    "az ön hibája": "Ez bizony az Ön hibája, nem a miénk.",
    "nem az én hibám": "A késés nem az én hibám.",
    "nem az én dolgom": "Ez már nem az én dolgom.",
    "nem érdekel": "A céget ez nem érdekli.",
    "már mondtam": "Ezt már mondtuk a múlt héten.",
    "ezt már mondtam": "Ezt már mondtam Önnek kétszer is.",
    "magának kellett volna": "Magának kellett volna időben szólnia.",
    "fogja be": "Fogja be, kérem, egy percre.",
}
SAMPLES: dict[str, dict[str, dict[str, str]]] = {
    "Confirms resolution before closing": {
        "en": {
            "does that solve": "Does that solve the login trouble for you?",
            "does this solve": "Does this solve it?",
            "has that solved": "Has that solved the problem with the invoice?",
            "has this solved": "Has this solved it on your side?",
            "does that fix": "Does that fix the error message?",
            "is it working now": "Is it working now after the restart?",
            "is everything working": "Is everything working as expected?",
            "did that help": "Did that help?",
            "does that answer your question": "Does that answer your question about fees?",
        }
    },
    "Positive language and tone": {"en": RUDE_EN},
    "Stays courteous and positive": {"en": RUDE_EN, "hu": RUDE_HU},
    "Udvarias és pozitív marad": {"en": RUDE_EN, "hu": RUDE_HU},
    "Professional sign-off": {
        "en": {
            "kind regards": "Write back any time.\n\nKind regards,\nAnna",
            "best regards": "Best regards, Anna from Support",
            "warm regards": "Warm regards,\nAnna",
            "regards": "Regards, Anna",
            "best wishes": "With best wishes, Anna",
            "yours sincerely": "Yours sincerely,\nAnna Smith",
            "sincerely": "Sincerely, Anna",
            "many thanks": "Many thanks for your patience. Anna",
        }
    },
    "Identifies self and company": {
        "en": {
            "my name is": "Good morning, Acme Energy, my name is Tom, how can I help?",
            "my name's": "Hi, my name's Priya at Acme, what can I do for you?",
            "you are speaking with": "Acme Energy, you are speaking with Tom.",
            "you are speaking to": "Hello, you are speaking to Tom from Acme.",
            "you're speaking with": "Acme, you're speaking with Priya.",
            "you're speaking to": "Hi there, you're speaking to Priya.",
            "you're through to": "Morning, you're through to Tom at Acme billing.",
            "you are through to": "You are through to Acme billing, Tom speaking.",
        }
    },
    "Closes the call courteously": {
        "en": {
            "anything else": "Is there anything else I can do for you today?",
            "thank you for calling": "Thank you for calling Acme.",
            "thanks for calling": "Thanks for calling, bye now.",
            "thank you for your call": "Thank you for your call, Mr Jones.",
            "have a nice day": "Have a nice day!",
            "have a good day": "Have a good day, then.",
            "have a great day": "You have a great day.",
            "goodbye": "Goodbye, and take care.",
        }
    },
}


def _shipped_rules() -> list[tuple[str, str, dict]]:
    """(file name, criterion name, rule spec) for every rule in the shipped templates."""
    found = []
    for path in list_shipped_templates():
        for criterion in load_shipped_template(path).criteria:
            if criterion.rule is not None:
                found.append((path.name, criterion.name, criterion.rule))
    return found


SHIPPED = _shipped_rules()
PHRASE_RULES = [item for item in SHIPPED if item[2]["kind"] == "phrases"]
TIMED_RULES = [item for item in SHIPPED if item[2]["kind"] != "phrases"]


def _ids(items: list[tuple[str, str, dict]]) -> list[str]:
    return [f"{name}:{criterion}" for name, criterion, _ in items]


def test_the_templates_ship_rules_in_english_and_hungarian():
    kinds = {spec["kind"] for _, _, spec in SHIPPED}
    assert kinds == {"phrases", "response_time", "metric"}
    hungarian = [spec for name, _, spec in SHIPPED if name == "five-key-elements.hu.yaml"]
    assert any("hu" in spec.get("phrases", {}) for spec in hungarian)


@pytest.mark.parametrize(("name", "criterion", "spec"), PHRASE_RULES, ids=_ids(PHRASE_RULES))
def test_each_shipped_phrase_is_found_in_a_message_written_for_it(name, criterion, spec):
    rule = compile_rule(spec)
    assert isinstance(rule, PhraseRule)
    samples = SAMPLES[criterion]
    assert set(samples) == set(spec["phrases"])
    for language, phrases in spec["phrases"].items():
        assert set(samples[language]) == set(phrases), (name, language)
        for phrase, message in samples[language].items():
            turns = (Turn(C, "Hello, I need help.", 0.0), Turn(A, message, 20.0))
            answer = suggest(rule, Interaction("chat", language, turns))
            assert answer.point == rule.found, (name, phrase)
            assert phrase in {match.phrase for match in answer.evidence}, (name, phrase)
        quiet = (Turn(C, "Hello.", 0.0), Turn(A, "Thank you, one moment.", 20.0))
        assert suggest(rule, Interaction("chat", language, quiet)).point == rule.not_found


def test_hungarian_word_forms_share_the_dictionary_form_of_the_phrase():
    key = lexicon("hu", True, False).key
    for written, listed in [
        ("köszönjük", "köszönöm"),
        ("sajnáljuk", "sajnálom"),
        ("nyugodjanak", "nyugodjon"),
        ("érdekli", "érdekel"),
        ("mondtuk", "mondtam"),
        ("kellene", "kellett"),
    ]:
        assert key(written) == key(listed), written
    assert key("elnézést") == "elnézés"


@pytest.mark.parametrize(("name", "criterion", "spec"), TIMED_RULES, ids=_ids(TIMED_RULES))
def test_timing_and_metric_rules_decide_on_a_timed_transcript(name, criterion, spec):
    rule = compile_rule(spec)
    turns = (Turn(C, "Hello?", 0.0), Turn(A, "Hello, how can I help?", 45.0))
    for channel in spec.get("channels", ["call"]):
        answer = suggest(rule, Interaction(channel, "en", turns, Metrics(handle_seconds=420)))
        assert answer.point == 5, (name, criterion, channel, answer)


@pytest.mark.parametrize(("name", "criterion", "spec"), SHIPPED, ids=_ids(SHIPPED))
def test_no_shipped_rule_decides_on_a_plain_text_transcript(name, criterion, spec):
    """Plain text has no speakers or times: the rules say so instead of guessing."""
    rule = compile_rule(spec)
    every_phrase = " ".join(m for s in SAMPLES.values() for ms in s.values() for m in ms.values())
    for channel in ("call", "chat", "email"):
        stored = StoredInteraction(
            channel=channel,
            language="hu" if name.endswith(".hu.yaml") else "en",
            occurred_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            transcript_text=f"Agent: Hello.\nCustomer: Hi.\n{every_phrase}",
        )
        answer = suggest(rule, to_engine(stored))
        assert not answer.decided, (name, criterion, channel)
        assert answer.reason in {
            Reason.NO_AGENT_TURN,
            Reason.NO_CUSTOMER_TURN,
            Reason.CHANNEL_NOT_COVERED,
            Reason.METRIC_MISSING,
        }
