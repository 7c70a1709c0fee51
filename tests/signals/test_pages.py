"""The interaction list filtered by a signal with its chips, the signals in words on an
interaction's page, and the admin page of escalation phrases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import InteractionSignal, SignalKind
from qa_app.signals import services
from qa_app.signals.models import EscalationPhraseList

PHRASES = "/signals/phrases"


def _signal(app, interaction_id: int, kind: SignalKind, figure=None, **detail) -> None:
    with app.app_context():
        db.session.add(
            InteractionSignal(
                interaction_id=interaction_id, kind=kind, figure=figure, detail=detail or None
            )
        )
        db.session.commit()


def test_list_filters_by_signal_and_shows_chips(app, login_as, make_user, make_interaction):
    agent = make_user(Role.AGENT)
    upset = make_interaction(agent, external_id="UPSET", csat=1)
    make_interaction(agent, external_id="CALM", csat=5)
    _signal(app, upset.id, SignalKind.LOW_CSAT, 1)
    _signal(app, upset.id, SignalKind.ESCALATION, 1, phrase="lawyer", turn=3, start=0, end=6)
    client = login_as(Role.REVIEWER)
    everything = client.get("/interactions").get_data(as_text=True)
    assert "CALM" in everything and "UPSET" in everything
    assert everything.count('class="badge badge-signal"') == 2
    filtered = client.get("/interactions?signal=low_csat").get_data(as_text=True)
    assert "UPSET" in filtered and "CALM" not in filtered
    assert "CALM" not in client.get("/interactions?signal=escalation").get_data(as_text=True)
    for hostile in ("nonsense", "low_csat'--", "x" * 5000):  # ignored, never an error
        response = client.get("/interactions", query_string={"signal": hostile})
        assert response.status_code == 200 and "CALM" in response.get_data(as_text=True)


def test_detail_words_each_signal_with_its_figure(app, login_as, make_user, make_interaction):
    agent = make_user(Role.AGENT)
    shown = make_interaction(agent, handle_seconds=845)
    _signal(app, shown.id, SignalKind.LOW_CSAT, 1)
    _signal(app, shown.id, SignalKind.LONG_HANDLE, 845, percentile=580.0, count=30)
    _signal(app, shown.id, SignalKind.ESCALATION, 2, phrase="<i>lawyer", turn=3, start=0, end=6)
    page = login_as(user=agent).get(f"/interactions/{shown.id}").get_data(as_text=True)
    assert "CSAT 1" in page
    assert "handle time 14 min 5 s, above this agent's 90th percentile of 9 min 40 s" in page
    assert "escalation: “&lt;i&gt;lawyer” in turn 4" in page


def test_admin_edits_a_language_and_adds_one(app, login_as):
    client = login_as(Role.ADMIN)
    page = client.get(PHRASES).get_data(as_text=True)
    assert "ügyvéd" in page and "lawyer" in page  # the shipped lists
    saved = client.submit(
        PHRASES, {"language": "hu", "phrases": "felmondom\n\n  panasz \npanasz"}, token_from=PHRASES
    )
    assert saved.status_code == 302
    added = client.submit(PHRASES, {"language": "EL", "phrases": "καταγγελία"}, token_from=PHRASES)
    assert added.status_code == 302
    with app.app_context():
        assert services.phrase_lists()["hu"] == ["felmondom", "panasz"]
        assert services.phrase_lists()["el"] == ["καταγγελία"]
        assert "lawyer" in services.phrase_lists()["en"]  # not edited: still shipped


@pytest.mark.parametrize(
    ("language", "phrases", "message"),
    [
        ("xx", "hello", "Word forms are not known"),
        ("en", "fine\n...", "Line 2 holds no word."),
        ("en", "a" * 101, "Line 1 is longer than 100 characters."),
        ("en", "\n".join(f"p{n}" for n in range(201)), "At most 200 phrases"),
    ],
)
def test_refused_lists_say_why_and_store_nothing(app, login_as, language, phrases, message):
    client = login_as(Role.ADMIN)
    response = client.submit(
        PHRASES, {"language": language, "phrases": phrases}, token_from=PHRASES
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(EscalationPhraseList).count() == 0


def test_an_edited_list_is_used_for_the_next_computation(app, make_user, make_interaction):
    agent, admin = make_user(Role.AGENT), make_user(Role.ADMIN)
    turns = [{"speaker": "customer", "text": "Ich will kündigen", "at": 0}]
    shown = make_interaction(
        agent, language="de", transcript_turns=turns, occurred_at=datetime(2026, 5, 1, tzinfo=UTC)
    )
    with app.app_context():
        services.compute_many([shown.id])
        assert db.session.query(InteractionSignal).count() == 0
        services.save_phrase_list("de", ["kündigen"], db.session.get(User, admin.id))
        services.compute_many([shown.id])
        assert db.session.query(InteractionSignal).one().detail["phrase"] == "kündigen"
