"""Blind scoring: nobody sees another's calibration scores until the session's results open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from qa_app.accounts.models import Role
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db

from .conftest import close, new_session, score, score_directly, score_url, set_times


def _evaluation(app, session_id, reviewer_id, interaction_id) -> Evaluation | None:
    with app.app_context():
        found = db.session.scalar(
            sa.select(Evaluation).where(
                Evaluation.calibration_session_id == session_id,
                Evaluation.reviewer_id == reviewer_id,
                Evaluation.interaction_id == interaction_id,
            )
        )
        if found is not None:
            db.session.expunge(found)
        return found


def test_participant_scores_on_the_usual_page_and_the_evaluation_is_a_calibration_one(
    app, org, login_as
):
    session_id = new_session(app, org)
    anna = login_as(user=org.reviewers[0])
    page = anna.get(score_url(session_id, org.interactions[0]))
    assert page.status_code == 200
    assert "Calibration: score as you normally would" in page.get_data(as_text=True)
    response = score(anna, org, session_id, org.interactions[0], [4, 4, "na"])
    assert response.status_code == 302
    saved = _evaluation(app, session_id, org.reviewers[0].id, org.interactions[0])
    assert saved is not None and saved.is_calibration and saved.is_submitted


def test_a_participant_has_one_evaluation_per_interaction(app, org, login_as):
    session_id = new_session(app, org)
    anna = login_as(user=org.reviewers[0])
    score(anna, org, session_id, org.interactions[0], [4, None, None], action="draft")
    draft = _evaluation(app, session_id, org.reviewers[0].id, org.interactions[0])
    again = anna.get(score_url(session_id, org.interactions[0]))
    assert again.status_code == 302
    assert again.headers["Location"].endswith(f"/evaluations/{draft.id}/edit")
    score(anna, org, session_id, org.interactions[0], [4, 3, 3])  # posting again changes nothing
    with app.app_context():
        count = sa.select(sa.func.count(Evaluation.id)).where(
            Evaluation.calibration_session_id == session_id
        )
        assert db.session.scalar(count) == 1


def test_the_database_refuses_a_second_evaluation_of_the_same_interaction(app, org):
    session_id = new_session(app, org)
    anna, interaction_id = org.reviewers[0], org.interactions[0]
    score_directly(app, org, session_id, anna, interaction_id, [4, 4, 4])
    with pytest.raises(IntegrityError):
        score_directly(app, org, session_id, anna, interaction_id, [3, 3, 3])


def test_a_calibration_draft_is_not_offered_for_an_ordinary_evaluation(app, org, login_as):
    session_id = new_session(app, org)
    anna = login_as(user=org.reviewers[0])
    score(anna, org, session_id, org.interactions[0], [4, None, None], action="draft")
    ordinary = anna.get(f"/evaluations/new?interaction={org.interactions[0]}")
    assert ordinary.status_code == 200
    assert "Calibration: score" not in ordinary.get_data(as_text=True)


def test_only_participants_of_the_session_may_score_in_it(app, org, login_as):
    session_id = new_session(app, org, participants=org.reviewers[:2])
    outsider = login_as(user=org.reviewers[2])
    assert outsider.get(score_url(session_id, org.interactions[0])).status_code == 404
    admin = login_as(user=org.admin)
    assert admin.get(score_url(session_id, org.interactions[0])).status_code == 404
    anna = login_as(user=org.reviewers[0])
    # an interaction outside the session, an unknown session, a session id that is no number
    assert anna.get(score_url(session_id, org.interactions[1])).status_code == 404
    assert anna.get(score_url(session_id + 99, org.interactions[0])).status_code == 404
    bad = f"/evaluations/new?interaction={org.interactions[0]}&calibration=x"
    assert anna.get(bad).status_code == 404


def test_a_participant_who_has_not_submitted_sees_no_other_scores(app, org, login_as):
    session_id = new_session(app, org)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    anna = login_as(user=org.reviewers[0])
    assert anna.get(f"/evaluations/{bence_eval}").status_code == 404
    results = anna.get(f"/calibration/{session_id}/results", follow_redirects=True)
    assert "The results open when the leader closes the session" in results.get_data(as_text=True)
    assert anna.get(f"/calibration/{session_id}/scores.svg").status_code == 404


def test_submitting_does_not_reveal_the_others_while_the_session_is_open(app, org, login_as):
    session_id = new_session(app, org)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    anna = login_as(user=org.reviewers[0])
    score(anna, org, session_id, org.interactions[0], [4, 4, 4])
    own = _evaluation(app, session_id, org.reviewers[0].id, org.interactions[0])
    assert anna.get(f"/evaluations/{own.id}").status_code == 200
    assert anna.get(f"/evaluations/{bence_eval}").status_code == 404
    assert anna.get(f"/calibration/{session_id}/results").status_code == 302


def test_leader_and_admin_see_who_submitted_but_no_scores_while_open(app, org, login_as):
    session_id = new_session(app, org, leader=org.outsider)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    for user in (org.outsider, org.admin):
        client = login_as(user=user)
        page = client.get(f"/calibration/{session_id}").get_data(as_text=True)
        assert "1 of 3 evaluations submitted" in page
        assert f"/evaluations/{bence_eval}" not in page
        assert client.get(f"/evaluations/{bence_eval}").status_code == 404
        assert client.get(f"/calibration/{session_id}/results").status_code == 302


def test_a_reviewer_outside_the_session_cannot_open_it_or_its_evaluations(app, org, login_as):
    session_id = new_session(app, org, participants=org.reviewers[:2])
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    close(app, session_id)
    outsider = login_as(user=org.reviewers[2])
    assert outsider.get(f"/calibration/{session_id}").status_code == 404
    assert outsider.get(f"/calibration/{session_id}/results").status_code == 404
    assert outsider.get(f"/evaluations/{bence_eval}").status_code == 404
    assert "March calibration" not in outsider.get("/calibration/").get_data(as_text=True)


def test_results_open_when_the_leader_closes_the_session(app, org, login_as):
    session_id = new_session(app, org)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    anna = login_as(user=org.reviewers[0])
    score(anna, org, session_id, org.interactions[0], [4, 4, 4])
    bence = login_as(user=org.reviewers[1])
    assert bence.submit(f"/calibration/{session_id}/close", token_from="/").status_code == 403
    leader = anna
    closed = leader.submit(f"/calibration/{session_id}/close", token_from="/")
    assert closed.status_code == 302
    assert anna.get(f"/calibration/{session_id}/results").status_code == 200
    assert anna.get(f"/evaluations/{bence_eval}").status_code == 200
    assert anna.get(f"/calibration/{session_id}/scores.svg").status_code == 200


def test_results_open_when_the_deadline_passes(app, org, login_as):
    session_id = new_session(app, org)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    score_directly(app, org, session_id, org.reviewers[0], org.interactions[0], [4, 4, 4])
    anna = login_as(user=org.reviewers[0])
    assert anna.get(f"/evaluations/{bence_eval}").status_code == 404
    set_times(app, session_id, deadline=datetime.now(UTC) - timedelta(minutes=1))
    assert anna.get(f"/calibration/{session_id}/results").status_code == 200
    assert anna.get(f"/evaluations/{bence_eval}").status_code == 200
    assert "Deadline passed" in anna.get(f"/calibration/{session_id}").get_data(as_text=True)


def test_a_participant_who_never_submitted_sees_no_results_even_after_close(app, org, login_as):
    session_id = new_session(app, org)
    bence_eval = score_directly(
        app, org, session_id, org.reviewers[1], org.interactions[0], [2, 5, 1]
    )
    close(app, session_id)
    chloe = login_as(user=org.reviewers[2])
    results = chloe.get(f"/calibration/{session_id}/results", follow_redirects=True)
    assert "You submitted no scores in this session" in results.get_data(as_text=True)
    assert chloe.get(f"/evaluations/{bence_eval}").status_code == 404
    assert chloe.get(f"/calibration/{session_id}/scores.svg").status_code == 404


def test_an_ended_session_takes_no_new_scores_and_no_changes(app, org, login_as):
    session_id = new_session(app, org)
    anna_eval = score_directly(
        app, org, session_id, org.reviewers[0], org.interactions[0], [4, 4, 4]
    )
    close(app, session_id)
    bence = login_as(user=org.reviewers[1])
    refused = score(bence, org, session_id, org.interactions[0], [1, 1, 1])
    assert refused.status_code == 302 and refused.headers["Location"].endswith(
        f"/calibration/{session_id}"
    )
    assert _evaluation(app, session_id, org.reviewers[1].id, org.interactions[0]) is None
    anna = login_as(user=org.reviewers[0])
    change = {f"score_{org.criteria[0]}": "1", "action": "submit", "reason": "second thoughts"}
    assert anna.submit(f"/evaluations/{anna_eval}/edit", change, token_from="/").status_code == 302
    with app.app_context():
        assert db.session.get(Evaluation, anna_eval).scores[0].score == 4


def test_agents_and_leads_never_see_calibration_evaluations(app, org, login_as):
    session_id = new_session(app, org)
    anna_eval = score_directly(
        app, org, session_id, org.reviewers[0], org.interactions[0], [4, 4, 4]
    )
    close(app, session_id)
    for user in (org.agent, org.lead):
        client = login_as(user=user)
        assert client.get(f"/evaluations/{anna_eval}").status_code == 404
        for path in ("/calibration/", f"/calibration/{session_id}", "/calibration/consistency"):
            assert client.get(path).status_code == 403
        assert client.get(f"/calibration/{session_id}/results").status_code == 403
    agent = login_as(user=org.agent)
    assert f"/evaluations/{anna_eval}" not in agent.get("/my/scorecards").get_data(as_text=True)
    lead = login_as(user=org.lead)
    assert f"/evaluations/{anna_eval}" not in lead.get("/evaluations/").get_data(as_text=True)


def test_the_menu_shows_calibration_to_reviewers_and_admins_only(app, org, login_as):
    for role, shown in ((Role.REVIEWER, True), (Role.ADMIN, True), (Role.LEAD, False)):
        page = login_as(role).get("/").get_data(as_text=True)
        assert ('href="/calibration/"' in page) is shown, role
