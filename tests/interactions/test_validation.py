"""The row rules shared by CSV, JSON Lines and the form: plain functions, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_app.accounts.models import Role
from qa_app.interactions.validation import make_row_checker

PEOPLE = {"ana@example.com": (7, Role.AGENT), "gabor@example.com": (8, Role.LEAD)}
check = make_row_checker(PEOPLE.get)


def good(**values):
    return {
        "external_id": "C-1",
        "channel": "call",
        "agent_email": "ana@example.com",
        "occurred_at": "2026-03-01T14:05:00+01:00",
        **values,
    }


def problems_of(**values):
    return check(good(**values))[1]


def test_a_minimal_row_becomes_table_values():
    clean, problems = check(good())
    assert problems == []
    assert clean["external_id"] == "C-1"
    assert clean["channel"] == "call"
    assert clean["agent_id"] == 7
    assert clean["occurred_at"] == datetime(2026, 3, 1, 13, 5, tzinfo=UTC)
    assert clean["csat"] is None and clean["transcript_text"] is None


def test_a_time_without_offset_is_utc():
    clean, _ = check(good(occurred_at="2026-03-01 14:05"))
    assert clean["occurred_at"] == datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def test_required_columns_are_named_when_missing():
    _, problems = check({"external_id": " ", "csat": "3"})
    assert problems == [
        ("external_id", "is required"),
        ("channel", "is required"),
        ("agent_email", "is required"),
        ("occurred_at", "is required"),
    ]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("channel", "fax", "must be one of call, chat, email"),
        ("agent_email", "nobody@example.com", "no user has this email address"),
        ("agent_email", "gabor@example.com", "with the team lead role, not an agent"),
        ("occurred_at", "yesterday", "must be an ISO 8601 date and time"),
        ("occurred_at", "2026-02-30T10:00:00", "must be an ISO 8601 date and time"),
        ("csat", "0", "must be a whole number from 1 to 5"),
        ("csat", "6", "must be a whole number from 1 to 5"),
        ("csat", "4.5", "must be a whole number from 1 to 5"),
        ("nps", "11", "must be a whole number from 0 to 10"),
        ("ces", "8", "must be a whole number from 1 to 7"),
        ("duration_seconds", "-5", "must be a whole number from 0 to"),
        ("handle_seconds", "1_000", "must be a whole number from 0 to"),
        ("first_contact_resolved", "maybe", "must be one of true, false, yes, no, 1, 0"),
        ("recording_url", "javascript:alert(1)", "must be an http:// or https:// address"),
        ("recording_url", "data:text/html,hi", "must be an http:// or https:// address"),
        ("recording_url", "https://exa mple.com/a", "must be an http:// or https:// address"),
        ("recording_url", "//example.com/a.mp3", "must be an http:// or https:// address"),
        ("language", "english please", "must be a language tag"),
        ("subject", "x" * 501, "is longer than 500 characters"),
        ("customer_ref", "bad\x00byte", "contains a NUL character"),
        ("subject", "Καλημέρα \x00", "contains a NUL character"),
        ("subject", "Καλημέρα \ud800", "an invalid code point"),
        ("transcript", "lone \udfff surrogate", "an invalid code point"),
        ("external_id", "x" * 201, "is longer than 200 characters"),
    ],
)
def test_a_bad_value_is_reported_with_its_column(column, value, reason):
    problems = problems_of(**{column: value})
    assert len(problems) == 1
    assert problems[0][0] == column
    assert reason in problems[0][1]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("YES", True), ("1", True), ("False", False), ("no", False), ("0", False)],
)
def test_booleans_in_any_case(raw, expected):
    clean, problems = check(good(first_contact_resolved=raw))
    assert problems == [] and clean["first_contact_resolved"] is expected


def test_json_values_are_accepted_in_their_own_types():
    clean, problems = check(
        good(external_id=12345, csat=5, nps=0, first_contact_resolved=False, handle_seconds=95)
    )
    assert problems == []
    assert (clean["external_id"], clean["csat"], clean["nps"]) == ("12345", 5, 0)
    assert clean["first_contact_resolved"] is False and clean["handle_seconds"] == 95


def test_a_json_true_is_not_a_score():
    assert problems_of(csat=True) == [("csat", "must be a whole number from 1 to 5")]


def test_text_is_kept_exactly_as_given():
    transcript = "  Γειά σας!\r\n\tJó napot  kívánok \nనమస్కారం  مرحبا  "
    clean, problems = check(good(transcript=transcript, subject=" Árvíztűrő  tükörfúrógép "))
    assert problems == []
    assert clean["transcript_text"] == transcript
    assert clean["subject"] == " Árvíztűrő  tükörfúrógép "


def test_turns_are_kept_as_a_list():
    turns = [
        {"speaker": "Agent", "text": "Hello,\nhow can I help?", "at": "00:03"},
        {"speaker": "Customer", "text": "My invoice…", "at": 12.5},
        {"speaker": "Agent", "text": "Let me look."},
    ]
    clean, problems = check(good(transcript=turns))
    assert problems == []
    assert clean["transcript_turns"] == turns and clean["transcript_text"] is None


def test_turns_in_a_csv_cell_are_read_as_json():
    cell = '[{"speaker": "Agent", "text": "Hi", "at": "2026-03-01T14:05:03Z"}]'
    clean, problems = check(good(transcript=cell))
    assert problems == []
    assert clean["transcript_turns"] == [
        {"speaker": "Agent", "text": "Hi", "at": "2026-03-01T14:05:03Z"}
    ]


def test_text_that_only_looks_like_json_stays_text():
    clean, problems = check(good(transcript="[{10:02} Agent: hello"))
    assert problems == [] and clean["transcript_text"] == "[{10:02} Agent: hello"


@pytest.mark.parametrize(
    ("turns", "reason"),
    [
        ([{"text": "hi"}], "turn 1: speaker is required"),
        ([{"speaker": "A", "text": "x"}, {"speaker": "B"}], "turn 2: text is required"),
        ([{"speaker": "A", "text": "x", "mood": "ok"}], "turn 1 has an unknown key 'mood'"),
        ([{"speaker": "A", "text": "x", "at": "soon"}], "turn 1: at must be seconds"),
        ([{"speaker": "A", "text": 5}], "turn 1: text must be text"),
        (["hello"], "turn 1 must be an object"),
    ],
)
def test_bad_turns_are_named(turns, reason):
    [(column, message)] = problems_of(transcript=turns)
    assert column == "transcript" and message.startswith(reason)


def test_unknown_json_keys_are_reported():
    assert ("agent", "is not a known column") in problems_of(agent="ana@example.com")
