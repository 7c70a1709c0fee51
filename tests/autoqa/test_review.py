"""The reviewer's side of Auto QA: suggestions prefill a new evaluation, what was kept is kept."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import yaml

from qa_app.accounts.models import Role, User
from qa_app.autoqa import services
from qa_app.autoqa.models import AutoSuggestion
from qa_app.autoqa.queries import shown_evidence
from qa_app.calibration import services as calibration
from qa_app.evaluations.models import Evaluation, EvaluationScore, SuggestionState
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, validate_scorecard_data
from qa_app.scorecards.services import import_doc
from tests.autoqa.conftest import CSAT, THANKS, TURNS
from tests.conftest import choose_language

GREEK_ONLY = {"kind": "phrases", "mode": "required", "phrases": {"el": ["ευχαριστώ"]}}


@dataclass
class Setup:
    reviewer: User
    interaction_id: int
    criteria: list[int]  # thanks (5), csat (5), cannot decide, then criteria without a rule


@pytest.fixture
def setup(app, make_user, make_interaction) -> Setup:
    data = yaml.safe_load((SHIPPED_DIR / "chat.yaml").read_bytes())
    for section in data["sections"]:  # only the rules below, not the shipped ones
        for criterion in section["criteria"]:
            criterion.pop("rule", None)
    criteria = data["sections"][0]["criteria"]
    criteria[0]["rule"], criteria[1]["rule"] = THANKS, CSAT
    data["sections"][1]["criteria"][0]["rule"] = GREEK_ONLY
    agent = make_user(Role.AGENT)
    interaction = make_interaction(
        agent, channel=Channel.CHAT, transcript_turns=TURNS, csat=5, language="en"
    )
    with app.app_context():
        version = import_doc(validate_scorecard_data(data), None, publish_now=True)
        db.session.flush()
        ids = [c.id for c in version.ordered_criteria]
        services.score_interaction(db.session.get(Interaction, interaction.id))
        db.session.commit()
    return Setup(make_user(Role.REVIEWER), interaction.id, ids)


def _values(setup: Setup, **chosen: str) -> dict[str, str]:
    data = {f"score_{cid}": "3" for cid in setup.criteria}
    data.update({f"score_{setup.criteria[int(k[1:])]}": v for k, v in chosen.items()})
    return data | {f"comment_{cid}": "" for cid in setup.criteria}


def _scores(app, interaction_id: int) -> list[tuple[int, SuggestionState, int | None]]:
    with app.app_context():
        stmt = sa.select(
            EvaluationScore.criterion_id,
            EvaluationScore.suggestion,
            EvaluationScore.suggested_point,
        ).order_by(EvaluationScore.criterion_id)
        return [tuple(row) for row in db.session.execute(stmt)]


def _radio(body: str, criterion_id: int, value: str) -> str:
    start = body.index(f'value="{value}"', body.index(f'name="score_{criterion_id}"'))
    return body[body.rindex("<input", 0, start) : body.index(">", start)]


def test_a_new_evaluation_starts_from_the_suggestions_with_their_evidence(login_as, setup):
    page = login_as(user=setup.reviewer).get(f"/evaluations/new?interaction={setup.interaction_id}")
    body = page.get_data(as_text=True)
    thanks, csat, undecided = setup.criteria[:3]
    assert "checked" in _radio(body, thanks, "5") and "checked" in _radio(body, csat, "5")
    assert not any("checked" in _radio(body, undecided, v) for v in "12345")
    assert body.count(">Suggested</span>") == 2 and body.count("(suggested)") == 2
    assert "The rule could not decide: no phrases for this language." in body
    assert "“<bdi>Thank you</bdi>”" in body and "turn 2" in body
    assert 'data-turn="1" data-start="0" data-end="9"' in body
    assert 'id="turn-1"' in body and "CSAT (1–5): 5<" in body
    assert "js/evidence.js" in body and "<script>" not in body


def test_evidence_offsets_count_as_the_browser_does():
    """Characters beyond the BMP take two units and CR LF becomes one line end in the page."""
    text = "😀 Hi\r\nThank you"
    start = text.index("Thank")
    made = AutoSuggestion(
        evidence=[{"kind": "phrase", "turn": 0, "start": start, "end": start + 9}]
    )
    (shown,) = shown_evidence(made, [{"speaker": "agent", "text": text}])
    browser = "😀 Hi\nThank you".encode("utf-16-le")
    assert shown.text == "Thank you"
    assert browser[2 * shown.start : 2 * shown.end].decode("utf-16-le") == "Thank you"
    (lost,) = shown_evidence(made, [])
    assert lost.start is None and lost.turn is None


def test_submitting_records_what_was_kept_and_the_form_cannot_fake_it(app, login_as, setup):
    reviewer = login_as(user=setup.reviewer)
    thanks, csat, undecided = setup.criteria[:3]
    forged = {f"suggestion_{thanks}": "overridden", f"suggested_point_{csat}": "2"}
    data = _values(setup, c0="5", c1="2") | forged | {"action": "submit"}
    url = f"/evaluations/new?interaction={setup.interaction_id}"
    response = reviewer.submit(url, data, token_from=url)
    assert response.status_code == 302, response.get_data(as_text=True)
    rows = {cid: (state, point) for cid, state, point in _scores(app, setup.interaction_id)}
    assert rows[thanks] == (SuggestionState.KEPT, 5)
    assert rows[csat] == (SuggestionState.OVERRIDDEN, 5)
    assert rows[undecided] == (SuggestionState.NONE, None)
    assert all(rows[cid] == (SuggestionState.NONE, None) for cid in setup.criteria[3:])
    view = html.unescape(reviewer.get(response.headers["Location"]).get_data(as_text=True))
    assert view.count("suggested: kept") == 1 and "suggested 5, changed to 2" in view


def test_a_draft_keeps_its_saved_values(app, login_as, setup):
    reviewer = login_as(user=setup.reviewer)
    thanks = setup.criteria[0]
    data = _values(setup) | {f"score_{thanks}": "", "action": "draft"}
    url = f"/evaluations/new?interaction={setup.interaction_id}"
    response = reviewer.submit(url, data, token_from=url)
    assert response.status_code == 302
    body = reviewer.get(url, follow_redirects=True).get_data(as_text=True)
    assert "/edit" in reviewer.get(url).headers["Location"]
    assert not any("checked" in _radio(body, thanks, v) for v in "12345")
    assert ">Suggested</span>" in body  # still shown, only not filled in


def test_calibration_scoring_stays_blind(app, login_as, make_user, setup):
    second = make_user(Role.REVIEWER)
    with app.app_context():
        version_id = db.session.scalar(sa.select(ScorecardVersion.id))
        external = db.session.get(Interaction, setup.interaction_id).external_id
        data = calibration.SessionInput(
            name="Blind",
            scorecard_version_id=version_id,
            external_ids=[external],
            participant_ids=[setup.reviewer.id, second.id],
            expert_id=None,
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
        session = calibration.create_session(db.session.get(User, setup.reviewer.id), data)
        db.session.commit()
        session_id = session.id
    reviewer = login_as(user=setup.reviewer)
    url = f"/evaluations/new?interaction={setup.interaction_id}&calibration={session_id}"
    body = reviewer.get(url).get_data(as_text=True)
    assert "Suggested" not in body and "suggested" not in body and "evidence-link" not in body
    assert not any("checked" in _radio(body, setup.criteria[0], v) for v in "12345")
    response = reviewer.submit(url, _values(setup, c0="5") | {"action": "submit"}, token_from=url)
    assert response.status_code == 302, response.get_data(as_text=True)
    states = {state for _cid, state, _point in _scores(app, setup.interaction_id)}
    assert states == {SuggestionState.NONE}
    view = reviewer.get(response.headers["Location"]).get_data(as_text=True)
    assert "suggested" not in view


def test_a_hungarian_reviewer_reads_the_suggestions_in_hungarian(app, login_as, setup):
    choose_language(app, setup.reviewer.id)
    reviewer = login_as(user=setup.reviewer)
    url = f"/evaluations/new?interaction={setup.interaction_id}"
    body = html.unescape(reviewer.get(url).get_data(as_text=True))
    for text in ("Javasolt", "(javasolt)", "Nincs javaslat", "2. megszólalás"):
        assert text in body, text
    assert "nincsenek kifejezések ehhez a nyelvhez" in body
    data = _values(setup, c0="5", c1="2") | {"action": "submit"}
    view = html.unescape(
        reviewer.get(reviewer.submit(url, data, token_from=url).headers["Location"]).get_data(
            as_text=True
        )
    )
    assert "javasolt: megtartva" in view and "javasolt 5, módosítva erre: 2" in view


def test_an_edit_after_submission_keeps_the_suggestion_it_was_submitted_with(app, login_as, setup):
    reviewer = login_as(user=setup.reviewer)
    thanks, csat = setup.criteria[:2]
    url = f"/evaluations/new?interaction={setup.interaction_id}"
    response = reviewer.submit(url, _values(setup, c0="5", c1="2") | {"action": "submit"})
    edit_url = response.headers["Location"] + "/edit"
    with app.app_context():  # the rules change their mind after the submission
        db.session.execute(sa.update(AutoSuggestion).values(point=1))
        db.session.commit()
        lock = db.session.scalar(sa.select(Evaluation.lock_version))
    data = _values(setup, c0="3", c1="5") | {"lock_version": str(lock), "reason": "Re-listened"}
    assert reviewer.submit(edit_url, data, token_from=edit_url).status_code == 302
    rows = {cid: (state, point) for cid, state, point in _scores(app, setup.interaction_id)}
    assert rows[thanks] == (SuggestionState.OVERRIDDEN, 5)
    assert rows[csat] == (SuggestionState.KEPT, 5)
