"""The conversation on the scoring page: turns placed by speaker, times from the first turn."""

from __future__ import annotations

from qa_app.autoqa.convert import shown_turns


def test_turns_sit_on_their_speakers_side_whatever_their_position():
    turns = [
        {"speaker": "Customer", "text": "Hi"},
        {"speaker": "Agent", "text": "Hello"},
        {"speaker": " agent ", "text": "One moment"},
        {"speaker": "Bot", "text": "Survey"},
    ]
    assert [t.side for t in shown_turns(turns)] == ["customer", "agent", "agent", "other"]
    assert [t.text for t in shown_turns(turns)] == ["Hi", "Hello", "One moment", "Survey"]


def test_times_count_from_the_first_timed_turn_as_minutes_and_seconds():
    seconds = [{"speaker": "a", "text": "", "at": at} for at in (5, 25, 65.9, 3730)]
    assert [t.clock for t in shown_turns(seconds)] == ["0:00", "0:20", "1:00", "1:02:05"]
    assert shown_turns(seconds)[1].duration == "PT0H0M20S"
    clocks = [{"speaker": "a", "text": "", "at": at} for at in ("00:01", None, "00:21")]
    assert [t.clock for t in shown_turns(clocks)] == ["0:00", None, "0:20"]
    moments = ["2026-03-02T09:01:30Z", "2026-03-02T09:02:00Z", "2026-03-02T09:01:00Z"]
    shown = shown_turns([{"speaker": "a", "text": "", "at": at} for at in moments])
    assert [(t.clock, t.duration) for t in shown] == [
        ("0:00", "PT0H0M0S"),
        ("0:30", "PT0H0M30S"),
        ("-0:30", None),  # out of order in the file: shown as it is, with no duration
    ]


def test_unreadable_or_missing_times_show_nothing():
    turns = [{"speaker": "a", "text": "", "at": "soon"}, {"speaker": "a", "text": ""}]
    assert [t.clock for t in shown_turns(turns)] == [None, None]
    assert shown_turns(None) == []
