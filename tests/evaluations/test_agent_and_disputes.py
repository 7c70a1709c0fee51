"""The agent's side: My scorecards, acknowledging, disputing; and resolving disputes."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa

from qa_app.admin.models import set_setting
from qa_app.disputes.models import Dispute, DisputeStatus
from qa_app.evaluations.models import ChangeField, Evaluation
from qa_app.extensions import db
from qa_app.scorecards.services import criterion_specs
from qa_app.scoring import round_score, score_evaluation
from tests.evaluations.conftest import expected_score, form_values

GOOD = [5, 4, 4, "na", 5, 4, 3, 5]


def submitted_evaluation(login_as, org, values=GOOD, interaction_id=None) -> int:
    reviewer = login_as(user=org.reviewer)
    data = {
        **form_values(org, values, "Well handled"),
        "action": "submit",
        "strengths": "Calm <b>voice</b>",
        "improvements": "Confirm next steps",
    }
    target = interaction_id or org.interaction_id
    response = reviewer.submit(f"/evaluations/new?interaction={target}", data, token_from="/")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_agent_reads_only_their_own_submitted_scorecards(login_as, org):
    own = submitted_evaluation(login_as, org)
    other = submitted_evaluation(login_as, org, interaction_id=org.other_interaction_id)
    agent = login_as(user=org.agent)
    listing = agent.get("/my/scorecards").get_data(as_text=True)
    assert "CALL-1001" in listing and "CALL-2002" not in listing
    assert "Dimitris P." in listing and f"{expected_score(org, GOOD):.2f}" in listing
    detail = agent.get(f"/evaluations/{own}")
    body = detail.get_data(as_text=True)
    assert detail.status_code == 200 and detail.headers["Cache-Control"] == "no-store"
    assert "Well handled" in body and "Calm &lt;b&gt;voice&lt;/b&gt;" in body
    assert "A clear, unhurried greeting" in body  # the anchors are on the page
    for guessed in (other, other + 1, 999):
        response = agent.get(f"/evaluations/{guessed}")
        assert response.status_code == 404 and "CALL-2002" not in response.get_data(as_text=True)


def test_agents_never_see_drafts(login_as, org):
    reviewer = login_as(user=org.reviewer)
    data = {**form_values(org, GOOD), "action": "draft"}
    reviewer.submit(f"/evaluations/new?interaction={org.interaction_id}", data, token_from="/")
    agent = login_as(user=org.agent)
    assert "CALL-1001" not in agent.get("/my/scorecards").get_data(as_text=True)
    assert agent.get("/evaluations/1").status_code == 404


def test_agent_acknowledges_once(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    agent.submit(f"/evaluations/{evaluation_id}/acknowledge", token_from="/")
    agent.submit(f"/evaluations/{evaluation_id}/acknowledge", token_from="/")
    with app.app_context():
        evaluation = db.session.get(Evaluation, evaluation_id)
        assert evaluation.acknowledged_at is not None
        assert [c.kind.value for c in evaluation.changes].count("acknowledged") == 1
    other = login_as(user=org.other_agent)
    assert (
        other.submit(f"/evaluations/{evaluation_id}/acknowledge", token_from="/").status_code == 404
    )


def _dispute(agent, evaluation_id, org, criteria=(0,), reason="The customer asked for the hold"):
    data = {"reason": reason, "criterion_ids": [str(org.criteria[i]["id"]) for i in criteria]}
    return agent.submit(f"/evaluations/{evaluation_id}/dispute", data, token_from="/")


def test_dispute_then_resolution_by_another_reviewer_adjusts_the_score(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    assert _dispute(agent, evaluation_id, org).status_code == 302
    again = _dispute(agent, evaluation_id, org)
    assert "already has an open dispute" in again.get_data(as_text=True)

    with app.app_context():
        dispute_id = db.session.scalar(sa.select(Dispute.id))
    original = login_as(user=org.reviewer)
    page = original.get(f"/disputes/{dispute_id}").get_data(as_text=True)
    assert "someone else must decide" in page
    refused = original.submit(f"/disputes/{dispute_id}", {"note": "Mine"}, token_from="/")
    assert refused.status_code == 403

    decider = login_as(user=org.second_reviewer)
    assert "CALL-1001" in decider.get("/disputes").get_data(as_text=True)
    adjusted = list(GOOD)
    adjusted[0] = 3
    response = decider.submit(
        f"/disputes/{dispute_id}",
        {
            "note": "Fair point: the greeting was partly cut off.",
            f"score_{org.criteria[0]['id']}": "3",
        },
        token_from="/",
    )
    assert response.status_code == 302
    with app.app_context():
        evaluation = db.session.get(Evaluation, evaluation_id)
        assert float(evaluation.score) == expected_score(org, adjusted)
        dispute = db.session.get(Dispute, dispute_id)
        assert (
            dispute.status == DisputeStatus.ADJUSTED
            and dispute.resolved_by_id == org.second_reviewer.id
        )
        kinds = [(c.kind.value, c.field_kind, c.criterion_id) for c in evaluation.changes]
        first = org.criteria[0]["id"]
        assert ("disputed", ChangeField.CRITERION, first) in kinds
        assert ("adjusted", ChangeField.CRITERION_SCORE, first) in kinds
        assert ("adjusted", ChangeField.SCORE, None) in kinds
    outcome = html.unescape(agent.get(f"/evaluations/{evaluation_id}").get_data(as_text=True))
    assert "Dispute: Adjusted" in outcome and "the greeting was partly cut off" in outcome


def test_a_dispute_on_several_criteria_is_kept_once_per_criterion(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    assert _dispute(agent, evaluation_id, org, criteria=(0, 2)).status_code == 302
    with app.app_context():
        disputed = [
            c for c in db.session.get(Evaluation, evaluation_id).changes if c.kind == "disputed"
        ]
        assert [(c.field_kind, c.criterion_id) for c in disputed] == [
            (ChangeField.CRITERION, org.criteria[0]["id"]),
            (ChangeField.CRITERION, org.criteria[2]["id"]),
        ]
        assert len({(c.at, c.reason) for c in disputed}) == 1
    page = html.unescape(agent.get(f"/evaluations/{evaluation_id}").get_data(as_text=True))
    for criterion in (org.criteria[0], org.criteria[2]):
        assert f'Disputed: <span dir="auto">{criterion["name"]}</span>' in page


def test_a_dispute_can_be_upheld_without_changes(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    _dispute(login_as(user=org.agent), evaluation_id, org, criteria=())
    with app.app_context():
        disputed = db.session.get(Evaluation, evaluation_id).changes[-1]
        assert (disputed.field_kind, disputed.criterion_id) == (ChangeField.EVALUATION, None)
    with app.app_context():
        dispute_id = db.session.scalar(sa.select(Dispute.id))
    response = login_as(user=org.lead).submit(
        f"/disputes/{dispute_id}", {"note": "The scores match the call."}, token_from="/"
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Dispute, dispute_id).status == DisputeStatus.UPHELD
        assert float(db.session.get(Evaluation, evaluation_id).score) == expected_score(org, GOOD)


def test_disputes_close_after_the_window(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    with app.app_context():
        set_setting("dispute_window_days", "3")
        evaluation = db.session.get(Evaluation, evaluation_id)
        evaluation.submitted_at = evaluation.submitted_at - timedelta(days=4)
        db.session.commit()
    response = _dispute(login_as(user=org.agent), evaluation_id, org)
    assert "3-day window for disputes has passed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Dispute)) == 0


def test_a_dispute_needs_a_reason(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    response = _dispute(login_as(user=org.agent), evaluation_id, org, reason="")
    assert "Say why you disagree." in response.get_data(as_text=True)


def test_leads_see_their_teams_evaluations_and_disputes_only(app, login_as, org):
    own = submitted_evaluation(login_as, org)
    other = submitted_evaluation(login_as, org, interaction_id=org.other_interaction_id)
    _dispute(login_as(user=org.other_agent), other, org)
    lead = login_as(user=org.lead)
    assert lead.get(f"/evaluations/{own}").status_code == 200
    assert lead.get(f"/evaluations/{other}").status_code == 404
    assert "CALL-2002" not in lead.get("/disputes").get_data(as_text=True)
    with app.app_context():
        dispute_id = db.session.scalar(sa.select(Dispute.id))
    assert lead.get(f"/disputes/{dispute_id}").status_code == 404
    assert login_as(user=org.other_lead).get(f"/disputes/{dispute_id}").status_code == 200


def test_every_stored_score_equals_the_scoring_module(app, login_as, org):
    submitted_evaluation(login_as, org, values=[5, 5, 5, 5, 5, 2, 5, 5])
    first = submitted_evaluation(
        login_as, org, values=[3, 2, 4, "na", 1, 5, 2, 4], interaction_id=org.other_interaction_id
    )
    _dispute(login_as(user=org.other_agent), first, org)
    with app.app_context():
        dispute_id = db.session.scalar(sa.select(Dispute.id))
    login_as(user=org.second_reviewer).submit(
        f"/disputes/{dispute_id}",
        {"note": "x", f"score_{org.criteria[5]['id']}": "1"},
        token_from="/",
    )
    with app.app_context():
        for evaluation in db.session.scalars(sa.select(Evaluation)):
            specs = criterion_specs(evaluation.scorecard_version)
            result = score_evaluation(
                specs, {str(s.criterion_id): s.value for s in evaluation.scores}
            )
            assert float(evaluation.score) == round_score(result.score)
            assert evaluation.is_critical_fail == result.critical_fail


def test_a_decided_dispute_is_final_unless_the_admin_allows_more_appeals(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    agent = login_as(user=org.agent)
    assert _dispute(agent, evaluation_id, org).status_code == 302
    with app.app_context():
        dispute_id = db.session.scalar(sa.select(Dispute.id))
    decider = login_as(user=org.second_reviewer)
    decided = decider.submit(f"/disputes/{dispute_id}", {"note": "It stands."}, token_from="/")
    assert decided.status_code == 302
    refused = html.unescape(_dispute(agent, evaluation_id, org).get_data(as_text=True))
    assert "can be disputed 1 time only" in refused
    admin = login_as("admin")
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'name="appeals_per_evaluation"' in page and 'value="1"' in page
    settings = {"dispute_window_days": "14", "calibration_tolerance": "0.5"}
    saved = admin.submit(
        "/admin/settings", {**settings, "appeals_per_evaluation": "2"}, token_from="/admin/settings"
    )
    assert saved.status_code == 302
    assert _dispute(agent, evaluation_id, org).status_code == 302  # the second appeal
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Dispute.id))) == 2
