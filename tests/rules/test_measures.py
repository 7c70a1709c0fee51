"""Response-time, metric and message-shape rules, on English, Hungarian and Greek transcripts."""

import pytest

from qa_app.rules import Measurement, Metrics, Outcome, Reason, compile_rule, suggest

from .helpers import A, C, X, chat

CHAT_LIMITS = {
    "thresholds": [{"at_most": 60, "point": 5}, {"at_most": 180, "point": 3}],
    "otherwise": 1,
}
WAIT = {
    "kind": "response_time",
    "measure": "longest_wait",
    "channels": {
        "chat": CHAT_LIMITS,
        "email": {"thresholds": [{"at_most": 86400, "point": 5}], "otherwise": 2},
    },
}
TIMED_HU = chat(
    "hu",
    (A, "Üdvözlöm!", 0),
    (C, "Segítséget kérek", 10),
    (C, "Halló?", 40),
    (A, "Itt vagyok", 70),  # waited 60 s since turn 1
    (X, "rendszerüzenet", 100),
    (C, "Köszönöm", 120),
    (A, "Szívesen", 372),  # waited 252 s since turn 5
)


def test_longest_wait_counts_from_the_first_unanswered_customer_turn() -> None:
    found = suggest(compile_rule(WAIT), TIMED_HU)
    assert found.point == 1
    assert found.evidence == (Measurement("longest_wait", 252.0, "s", 5),)
    assert str(found.evidence[0]) == "longest wait 252 s at turn 5"


def test_first_reply_time() -> None:
    found = suggest(compile_rule({**WAIT, "measure": "first_reply"}), TIMED_HU)
    assert (found.point, found.evidence[0].value, found.evidence[0].turn) == (5, 60.0, 1)


def test_email_has_its_own_thresholds() -> None:
    email = chat("el", (C, "Γεια σας", 0), (A, "Καλημέρα", 90000), channel="email")
    assert suggest(compile_rule(WAIT), email).point == 2


@pytest.mark.parametrize(
    ("interaction", "reason"),
    [
        (chat("en", (C, "hi", 0), (A, "hello")), Reason.NO_TIMES),
        (chat("en", (C, "hi", 0), (C, "hello?", 30)), Reason.NO_AGENT_TURN),
        (chat("en", (A, "hi", 0), (C, "bye", 30)), Reason.NO_AGENT_TURN),
        (chat("en", (A, "hi", 0), (A, "still there?", 30)), Reason.NO_CUSTOMER_TURN),
        (chat("en", (C, "hi", 50), (A, "hello", 20)), Reason.TIMES_OUT_OF_ORDER),
        (chat("en", (C, "hi", 0), (A, "hello", 5), channel="call"), Reason.CHANNEL_NOT_COVERED),
    ],
)
def test_response_time_cannot_decide_without_times_or_turns(interaction, reason) -> None:  # type: ignore[no-untyped-def]
    found = suggest(compile_rule(WAIT), interaction)
    assert (found.outcome, found.reason) == (Outcome.CANNOT_DECIDE, reason)


def test_other_speakers_do_not_need_times() -> None:
    found = suggest(compile_rule(WAIT), chat("en", (X, "bot"), (C, "hi", 0), (A, "hello", 30)))
    assert found.point == 5


CSAT = {
    "kind": "metric",
    "metric": "csat",
    "thresholds": [{"at_least": 5, "point": 5}, {"at_least": 4, "point": 4}],
    "otherwise": 1,
}


@pytest.mark.parametrize(("csat", "expected"), [(5, 5), (4, 4), (3, 1), (1, 1)])
def test_csat_thresholds(csat: int, expected: int) -> None:
    found = suggest(compile_rule(CSAT), chat("en", metrics=Metrics(csat=csat)))
    assert found.point == expected and found.evidence[0].value == csat


def test_handle_time_thresholds_and_na() -> None:
    spec = {
        "kind": "metric",
        "metric": "handle_seconds",
        "thresholds": [{"at_most": 300, "point": 5}, {"at_most": 0, "point": 1}],
        "otherwise": "n/a",
    }
    assert suggest(compile_rule(spec), chat("el", metrics=Metrics(handle_seconds=250))).point == 5
    long_call = suggest(compile_rule(spec), chat("el", metrics=Metrics(handle_seconds=900)))
    assert long_call.outcome is Outcome.NOT_APPLICABLE


def test_first_contact_resolution_maps_yes_and_no() -> None:
    spec = {"kind": "metric", "metric": "first_contact_resolved", "yes": 5, "no": 2}
    rule = compile_rule(spec)
    assert suggest(rule, chat("hu", metrics=Metrics(first_contact_resolved=True))).point == 5
    assert suggest(rule, chat("hu", metrics=Metrics(first_contact_resolved=False))).point == 2


@pytest.mark.parametrize("metric", ["csat", "handle_seconds", "first_contact_resolved"])
def test_a_missing_metric_cannot_be_decided(metric: str) -> None:
    spec = (
        {"kind": "metric", "metric": metric, "yes": 5, "no": 1}
        if metric == "first_contact_resolved"
        else {**CSAT, "metric": metric}
    )
    found = suggest(compile_rule(spec), chat("en", (A, "hi")))
    assert (found.outcome, found.reason) == (Outcome.CANNOT_DECIDE, Reason.METRIC_MISSING)


SENTENCES = {
    "kind": "message_shape",
    "measure": "average_sentence",
    "thresholds": [{"at_most": 12, "point": 5}, {"at_most": 20, "point": 3}],
    "otherwise": 1,
}


def test_average_sentence_length_in_words_across_agent_turns() -> None:
    # Greek: "·" is not a sentence end but ";" is the Greek question mark.
    interaction = chat(
        "el",
        (A, "Καλημέρα σας. Πώς μπορώ να βοηθήσω;"),
        (C, "Ένα πολύ πολύ πολύ μεγάλο μήνυμα του πελάτη που δεν μετράει καθόλου εδώ"),
        (A, "Ευχαριστώ."),
    )
    found = suggest(compile_rule(SENTENCES), interaction)
    assert found.point == 5
    assert found.evidence == (Measurement("average_sentence", round(7 / 3, 2), "words"),)


def test_longest_message_names_its_turn() -> None:
    spec = {**SENTENCES, "measure": "longest_message"}
    spec["thresholds"] = [{"at_most": 20, "point": 5}]
    interaction = chat(
        "hu", (A, "Jó napot!"), (C, "x"), (A, "Ez egy nagyon hosszú üzenet, sajnos.")
    )
    found = suggest(compile_rule(spec), interaction)
    assert (found.point, found.evidence[0].value, found.evidence[0].turn) == (1, 36.0, 2)


def test_average_message_length() -> None:
    spec = {**SENTENCES, "measure": "average_message", "thresholds": [{"at_most": 5, "point": 4}]}
    found = suggest(compile_rule(spec), chat("en", (A, "Hi"), (A, "  Bye! ")))
    assert (found.point, found.evidence[0].value) == (4, 3.0)


@pytest.mark.parametrize(
    ("interaction", "reason"),
    [
        (chat("en", (C, "Hello?")), Reason.NO_AGENT_TURN),
        (chat("en", (A, "...")), Reason.TOO_SHORT),  # no sentence with a word in it
    ],
)
def test_message_shape_cannot_decide_without_agent_words(interaction, reason) -> None:  # type: ignore[no-untyped-def]
    assert suggest(compile_rule(SENTENCES), interaction).reason is reason


def test_message_shape_needs_the_minimum_number_of_agent_turns() -> None:
    found = suggest(compile_rule({**SENTENCES, "min_agent_turns": 2}), chat("en", (A, "Hi.")))
    assert found.reason is Reason.TOO_SHORT
