"""Signal detection on plain facts: each kind found, and none on missing data."""

from __future__ import annotations

import pytest

from qa_app.rules import Interaction, Metrics, Speaker, Turn
from qa_app.signal_rules import (
    AutoFacts,
    EarlierEvaluation,
    Facts,
    HandleBaseline,
    Kind,
    compile_escalation,
    detect,
    percentile,
)
from qa_app.signal_rules.escalation import DEFAULT_PHRASES

PHRASES, _ = compile_escalation({**DEFAULT_PHRASES, "el": ["καταγγελία"]})
A, C = Speaker.AGENT, Speaker.CUSTOMER


def facts(channel: str = "chat", turns: tuple[Turn, ...] = (), language: str = "en", **kw):
    metrics = Metrics(**{k: kw.pop(k) for k in list(kw) if k in Metrics.__slots__})
    return Facts(Interaction(channel, language, turns, metrics), **kw)


def kinds(found: Facts) -> dict[Kind, tuple[float | None, dict]]:
    return {s.kind: (s.figure, dict(s.detail)) for s in detect(found, PHRASES)}


def test_nothing_known_means_no_signal() -> None:
    bare = Facts(Interaction("call", None, (Turn(A, "Hello"), Turn(C, "I cancel"))))
    assert detect(bare, PHRASES) == []
    assert detect(facts(auto=AutoFacts(score=None)), PHRASES) == []


@pytest.mark.parametrize(
    ("metric", "value", "kind", "hit"),
    [
        ("csat", 2, Kind.LOW_CSAT, True),
        ("csat", 3, Kind.LOW_CSAT, False),
        ("nps", 6, Kind.NPS_DETRACTOR, True),
        ("nps", 7, Kind.NPS_DETRACTOR, False),
        ("ces", 5, Kind.HIGH_EFFORT, True),
        ("ces", 4, Kind.HIGH_EFFORT, False),
        ("first_contact_resolved", False, Kind.NOT_RESOLVED, True),
        ("first_contact_resolved", True, Kind.NOT_RESOLVED, False),
    ],
)
def test_survey_metrics(metric: str, value: object, kind: Kind, hit: bool) -> None:
    found = kinds(facts(**{metric: value}))
    assert (kind in found) is hit
    if hit and kind is not Kind.NOT_RESOLVED:
        assert found[kind][0] == value


def test_low_auto_score_uses_the_pass_mark_and_critical_fail() -> None:
    assert kinds(facts(auto=AutoFacts(79.5)))[Kind.LOW_AUTO_SCORE] == (79.5, {"pass_mark": 80.0})
    assert Kind.LOW_AUTO_SCORE not in kinds(facts(auto=AutoFacts(85, pass_mark=70)))
    assert Kind.LOW_AUTO_SCORE in kinds(facts(auto=AutoFacts(85, pass_mark=90)))
    assert Kind.AUTO_CRITICAL_FAIL in kinds(facts(auto=AutoFacts(None, critical_fail=True)))


def test_long_handle_needs_twenty_earlier_times() -> None:
    many = HandleBaseline(580.0, 20)
    assert kinds(facts(handle_seconds=845, baseline=many))[Kind.LONG_HANDLE] == (
        845,
        {"percentile": 580.0, "count": 20},
    )
    assert Kind.LONG_HANDLE not in kinds(facts(handle_seconds=580, baseline=many))
    assert Kind.LONG_HANDLE not in kinds(facts(handle_seconds=845, baseline=HandleBaseline(5, 19)))
    assert Kind.LONG_HANDLE not in kinds(facts(baseline=many))  # no handle time


def test_percentile_is_a_value_that_occurred() -> None:
    assert percentile(list(range(1, 21)), 90) == 18
    assert percentile([7.0], 90) == 7
    assert percentile([], 90) is None


def test_long_wait_per_channel_never_for_calls() -> None:
    turns = (Turn(C, "Hi", 0), Turn(A, "Hello", 30), Turn(C, "?", 40), Turn(A, "Here", 341))
    assert kinds(facts("chat", turns))[Kind.LONG_WAIT] == (301.0, {"limit": 300, "turn": 2})
    assert Kind.LONG_WAIT not in kinds(facts("call", turns))
    assert Kind.LONG_WAIT not in kinds(facts("email", turns))
    untimed = (Turn(C, "Hi", 0), Turn(A, "Hello"))
    assert Kind.LONG_WAIT not in kinds(facts("chat", untimed))


def test_escalation_in_customer_turns_only() -> None:
    turns = (Turn(A, "Shall I cancel it?"), Turn(C, "Fine."), Turn(C, "I'll call my LAWYERS"))
    figure, detail = kinds(facts(turns=turns))[Kind.ESCALATION]
    assert figure == 1
    assert detail == {"phrase": "lawyer", "turn": 2, "start": 13, "end": 20}
    assert Kind.ESCALATION not in kinds(facts(turns=turns[:2]))
    assert Kind.ESCALATION not in kinds(facts(turns=turns, language=None))
    assert Kind.ESCALATION not in kinds(facts(turns=turns, language="de"))


@pytest.mark.parametrize(
    ("language", "text", "phrase"),
    [
        ("hu", "Akkor felmondanám a szerződést.", "felmondom"),
        ("hu", "Az ügyvédemmel beszélek.", "ügyvéd"),
        ("hu", "Ezt elfogadhatatlannak tartom.", "elfogadhatatlan"),
        ("hu", "Panaszt teszek.", "panasz"),
        ("el", "Θα κάνω καταγγελίες.", "καταγγελία"),
    ],
)
def test_escalation_word_forms(language: str, text: str, phrase: str) -> None:
    found = kinds(facts(turns=(Turn(C, text),), language=language))
    assert found[Kind.ESCALATION][1]["phrase"] == phrase


def test_escalation_lists_are_checked() -> None:
    _, problems = compile_escalation({"en": ["ok", "..."], "xx": ["a"]})
    assert {p.path for p in problems} == {"en[1]", "xx"}


def test_repeat_contact_names_the_earlier_interaction() -> None:
    assert kinds(facts(previous_contact=41))[Kind.REPEAT_CONTACT] == (None, {"interaction_id": 41})


def test_earlier_low_score_and_dispute_on_the_same_criterion() -> None:
    auto = AutoFacts(90, points={"1:greet": 2, "1:close": 5}, names={"1:greet": "Greeting"})
    earlier = (
        EarlierEvaluation(9, low=frozenset({"1:close"}), disputed=frozenset({"1:greet"})),
        EarlierEvaluation(7, low=frozenset({"1:greet"})),
        EarlierEvaluation(3, low=frozenset({"1:greet"})),
    )
    found = kinds(facts(auto=auto, earlier=earlier))
    assert found[Kind.EARLIER_LOW_SCORE] == (
        2,
        {"evaluation_id": 7, "criterion": "1:greet", "criterion_name": "Greeting"},
    )
    assert found[Kind.EARLIER_DISPUTE][1]["evaluation_id"] == 9
    assert kinds(facts(earlier=earlier)) == {}  # no auto suggestion: nothing to compare
    fine = AutoFacts(90, points={"1:greet": 3})
    assert kinds(facts(auto=fine, earlier=earlier)) == {}
