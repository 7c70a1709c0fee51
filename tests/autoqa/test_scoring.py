"""Scoring stored interactions: the scorecard chosen, what is stored, and re-running."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa_app.accounts.models import Role
from qa_app.autoqa import services
from qa_app.autoqa.convert import seconds_from_start, to_engine
from qa_app.autoqa.models import AutoResult
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.rules import Outcome, Speaker
from tests.autoqa.conftest import TURNS


def _score(app, interaction_id: int) -> AutoResult | None:
    with app.app_context():
        result = services.score_interaction(db.session.get(Interaction, interaction_id))
        db.session.commit()
        if result is not None:
            db.session.refresh(result)
            _ = [s.evidence for s in result.suggestions]
            db.session.expunge_all()
        return result


def test_turns_are_scored_with_evidence_and_coverage(app, make_user, make_interaction, rules_card):
    version_id = rules_card()
    agent = make_user(Role.AGENT)
    interaction = make_interaction(agent, transcript_turns=TURNS, csat=5, language="en")
    result = _score(app, interaction.id)
    assert result is not None
    assert (result.scorecard_version_id, result.criteria_with_rule, result.criteria_decided) == (
        version_id,
        2,
        2,
    )
    assert result.criteria_total > 2 and result.score == Decimal("100.00")
    thanks, csat = sorted(result.suggestions, key=lambda s: s.criterion_id)
    assert (thanks.outcome, thanks.point, csat.outcome, csat.point) == (
        Outcome.POINT,
        5,
        Outcome.POINT,
        5,
    )
    span = thanks.evidence[0]
    assert span["kind"] == "phrase" and span["turn"] == 1
    assert TURNS[1]["text"][span["start"] : span["end"]] == "Thank you"
    assert csat.evidence[0]["kind"] == "measurement"


def test_a_plain_text_transcript_has_no_agent_turn(app, make_user, make_interaction, rules_card):
    rules_card()
    text = "Agent: thank you for calling. Customer: bye."
    interaction = make_interaction(make_user(), transcript_text=text, csat=3, language="en")
    result = _score(app, interaction.id)
    assert result is not None
    thanks, csat = sorted(result.suggestions, key=lambda s: s.criterion_id)
    assert (thanks.outcome, thanks.reason) == (Outcome.CANNOT_DECIDE, "no_agent_turn")
    assert (csat.outcome, csat.point, result.criteria_decided) == (Outcome.POINT, 2, 1)


def test_scoring_again_replaces_the_result(app, make_user, make_interaction, rules_card, auto_rows):
    version_id = rules_card()
    interaction = make_interaction(make_user(), transcript_turns=TURNS, language="en")
    first = _score(app, interaction.id)
    second = _score(app, interaction.id)
    assert first is not None and second is not None
    assert auto_rows() == [(interaction.id, version_id, 2)]


def test_the_latest_published_scorecard_listing_the_channel_is_used(
    app, make_user, make_interaction, rules_card
):
    rules_card(channels=("chat",), slug="older-chat")
    newest = rules_card(channels=("chat", "email"), slug="newer-chat")
    agent = make_user()
    chat = make_interaction(agent, transcript_turns=TURNS)
    call = make_interaction(agent, channel=Channel.CALL, transcript_turns=TURNS)
    assert _score(app, chat.id).scorecard_version_id == newest
    assert _score(app, call.id) is None  # no published scorecard lists calls
    with app.app_context():
        assert services.published_for("email").id == newest


def test_score_many_works_in_batches_and_reports_progress(
    app, make_user, make_interaction, rules_card, auto_rows, monkeypatch
):
    rules_card()
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    agent = make_user()
    ids = [make_interaction(agent, transcript_turns=TURNS, language="en").id for _ in range(5)]
    seen: list[int] = []
    with app.app_context():
        assert services.score_many(ids, seen.append) == 5
        db.session.commit()
    assert seen == [2, 4, 5]
    assert [row[0] for row in auto_rows()] == ids


@pytest.mark.parametrize(
    ("at", "seconds"),
    [(12, 12.0), (1.5, 1.5), ("01:23", 83.0), ("1:02:03", 3723.0), ("2026-03-02T09:01:30Z", 30.0)],
)
def test_turn_times_become_seconds_from_the_start(at, seconds):
    from datetime import UTC, datetime

    assert seconds_from_start(at, datetime(2026, 3, 2, 9, 1, tzinfo=UTC)) == seconds


def test_speakers_other_than_agent_and_customer_are_other():
    stored = Interaction(
        channel=Channel.CHAT,
        language="en",
        transcript_turns=[
            {"speaker": "BOT", "text": "Hello"},
            {"speaker": " agent ", "text": "Hi"},
        ],
    )
    turns = to_engine(stored).turns
    assert [t.speaker for t in turns] == [Speaker.OTHER, Speaker.AGENT]
    assert turns[0].at is None


def test_the_command_scores_all_or_since_a_day(
    app, runner, make_user, make_interaction, rules_card, auto_rows
):
    from datetime import UTC, datetime

    rules_card()
    agent = make_user()
    old = make_interaction(agent, occurred_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    new = make_interaction(agent, occurred_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    since = runner.invoke(args=["autoqa", "run", "--since", "2026-03-01"])
    assert since.exit_code == 0 and "Auto-scored 1 of 1 interactions." in since.output
    assert [row[0] for row in auto_rows()] == [new.id]
    everything = runner.invoke(args=["autoqa", "run", "--all"])
    assert "Auto-scored 2 of 2 interactions." in everything.output
    assert [row[0] for row in auto_rows()] == [old.id, new.id]
    assert runner.invoke(args=["autoqa", "run"]).exit_code != 0
    assert runner.invoke(args=["autoqa", "run", "--since", "someday"]).exit_code != 0
