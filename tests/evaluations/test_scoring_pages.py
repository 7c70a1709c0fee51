"""A reviewer scores an interaction: drafts, submission, edits with history, conflicts."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from qa_app.evaluations.models import (
    ChangeField,
    Evaluation,
    EvaluationChange,
    EvaluationStatus,
)
from qa_app.extensions import db
from tests.evaluations.conftest import expected_score, form_values

GOOD = [5, 4, 4, "na", 5, 4, 3, 5]


def _start(client, org):
    return client.get(f"/evaluations/new?interaction={org.interaction_id}")


def _evaluation(app, evaluation_id=None) -> Evaluation:
    with app.app_context():
        stmt = sa.select(Evaluation)
        if evaluation_id:
            stmt = stmt.where(Evaluation.id == evaluation_id)
        evaluation = db.session.scalar(stmt)
        if evaluation is not None:
            _ = evaluation.scores, evaluation.changes
            db.session.expunge_all()
        return evaluation


def _submit(client, org, values, action="submit", **extra):
    data = {
        **form_values(org, values, comment="Clear and kind"),
        "action": action,
        "strengths": "Warm opening",
        "improvements": "Summarise next steps",
        **extra,
    }
    return client.submit(f"/evaluations/new?interaction={org.interaction_id}", data, token_from="/")


def test_the_scoring_page_shows_the_transcript_anchors_and_scorecard(login_as, org):
    page = _start(login_as(user=org.reviewer), org)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Γεια σας, my bill is wrong." in body and "let me check.\nOne moment." in body
    assert "Identifies self and company" in body and "What 5, 3 and 1 look like" in body
    assert 'value="na"' in body  # the hold criterion allows N/A
    assert "js/evaluation.js" in body


def test_reviewer_saves_a_draft_then_submits_and_the_score_is_computed(app, login_as, org):
    reviewer = login_as(user=org.reviewer)
    response = _submit(reviewer, org, [5, 4, None, None, None, None, None, None], action="draft")
    assert response.status_code == 302
    draft = _evaluation(app)
    assert draft.status == EvaluationStatus.DRAFT and draft.score is None
    assert _start(reviewer, org).headers["Location"].endswith(f"/evaluations/{draft.id}/edit")

    edit = reviewer.get(f"/evaluations/{draft.id}/edit").get_data(as_text=True)
    assert (
        '<input checked id="score_{}-0" name="score_{}" type="radio" value="5">'.format(
            org.criteria[0]["id"], org.criteria[0]["id"]
        )
        in edit
    )
    data = {
        **form_values(org, GOOD, "Clear and kind"),
        "action": "submit",
        "lock_version": str(draft.lock_version),
        "strengths": "s",
        "improvements": "i",
    }
    response = reviewer.submit(f"/evaluations/{draft.id}/edit", data, token_from="/")
    assert response.status_code == 302
    submitted = _evaluation(app, draft.id)
    assert submitted.status == EvaluationStatus.SUBMITTED and submitted.submitted_at is not None
    assert float(submitted.score) == expected_score(org, GOOD)
    assert [c.kind.value for c in submitted.changes] == ["submitted"]


def test_submitting_with_a_missing_score_names_it_and_stores_nothing(app, login_as, org):
    response = _submit(login_as(user=org.reviewer), org, [5, 4, 4, "na", 5, 4, None, 5])
    assert response.status_code == 200
    assert '"Agrees clear next steps" has no score yet.' in html.unescape(
        response.get_data(as_text=True)
    )
    assert _evaluation(app) is None


def test_na_is_refused_where_the_criterion_does_not_allow_it(app, login_as, org):
    response = _submit(login_as(user=org.reviewer), org, ["na", 4, 4, "na", 5, 4, 3, 5])
    assert '"Identifies self and company" cannot be N/A.' in html.unescape(
        response.get_data(as_text=True)
    )
    assert _evaluation(app) is None


def test_a_score_outside_one_to_five_is_refused(app, login_as, org):
    response = _submit(login_as(user=org.reviewer), org, [6, 4, 4, "na", 5, 4, 3, 5])
    assert response.status_code == 200
    assert _evaluation(app) is None


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        ([5, 5, 5, 5, 5, 2, 5, 5], True),
        ([5, 5, 5, "na", 5, 3, 5, 5], False),
        ([1, 1, 1, "na", 1, 3, 1, 1], False),
    ],
)
def test_stored_score_follows_the_rules_including_critical_fails(app, login_as, org, values, flag):
    _submit(login_as(user=org.reviewer), org, values)
    evaluation = _evaluation(app)
    assert float(evaluation.score) == expected_score(org, values)
    assert evaluation.is_critical_fail is flag


def test_changing_a_submitted_evaluation_needs_a_reason_and_is_kept_in_history(app, login_as, org):
    reviewer = login_as(user=org.reviewer)
    _submit(reviewer, org, GOOD)
    evaluation = _evaluation(app)
    changed = list(GOOD)
    changed[0] = 2
    data = {
        **form_values(org, changed, "Clear and kind"),
        "lock_version": str(evaluation.lock_version),
        "strengths": "Warm, patient opening",
        "improvements": "Summarise next steps",
    }
    refused = reviewer.submit(f"/evaluations/{evaluation.id}/edit", data, token_from="/")
    assert "Say why you are changing a submitted evaluation." in refused.get_data(as_text=True)
    assert float(_evaluation(app).score) == expected_score(org, GOOD)

    ok = reviewer.submit(
        f"/evaluations/{evaluation.id}/edit",
        {**data, "reason": "Misheard the opening"},
        token_from="/",
    )
    assert ok.status_code == 302
    after = _evaluation(app)
    assert float(after.score) == expected_score(org, changed)
    edits = [
        (c.field_kind, c.criterion_id, c.old_value, c.new_value, c.reason)
        for c in after.changes
        if c.kind.value == "edited"
    ]
    first = org.criteria[0]["id"]
    assert (ChangeField.CRITERION_SCORE, first, "5", "2", "Misheard the opening") in edits
    old, new = f"{evaluation.score:.2f}", f"{after.score:.2f}"
    assert (ChangeField.SCORE, None, old, new, "Misheard the opening") in edits
    assert (
        ChangeField.STRENGTHS,
        None,
        "Warm opening",
        "Warm, patient opening",
        "Misheard the opening",
    ) in edits
    page = html.unescape(reviewer.get(f"/evaluations/{evaluation.id}").get_data(as_text=True))
    assert 'Edited: <span dir="auto">Score for "Identifies self and company"</span>' in page
    assert all(c.actor_id == org.reviewer.id and c.at.tzinfo is not None for c in after.changes)


def test_a_stale_save_gets_409_and_the_first_edit_survives(app, login_as, org):
    first_tab = login_as(user=org.reviewer)
    _submit(first_tab, org, GOOD, action="draft")
    evaluation = _evaluation(app)
    second_tab = login_as(user=org.reviewer)
    stale_lock = str(evaluation.lock_version)
    first = {**form_values(org, GOOD, "first"), "lock_version": stale_lock, "action": "draft"}
    assert (
        first_tab.submit(f"/evaluations/{evaluation.id}/edit", first, token_from="/").status_code
        == 302
    )
    second = {
        **form_values(org, [1] * 3 + ["na"] + [3] * 4, "second"),
        "lock_version": stale_lock,
        "action": "draft",
    }
    response = second_tab.submit(f"/evaluations/{evaluation.id}/edit", second, token_from="/")
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved this evaluation" in body
    assert "second</textarea>" in body  # the second reviewer's text is still in the form
    survivor = _evaluation(app, evaluation.id)
    assert {s.comment for s in survivor.scores} == {"first"}


def test_history_rows_cannot_be_changed_or_deleted(app, login_as, org):
    _submit(login_as(user=org.reviewer), org, GOOD)
    with app.app_context():
        change = db.session.scalar(sa.select(EvaluationChange))
        change.reason = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(sa.select(EvaluationChange)))
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()


def test_only_the_reviewer_edits_their_evaluation(login_as, org):
    reviewer = login_as(user=org.reviewer)
    _submit(reviewer, org, GOOD, action="draft")
    other = login_as(user=org.second_reviewer)
    assert other.get("/evaluations/1/edit").status_code in (403, 404)


def test_archived_scorecards_cannot_start_new_evaluations(app, login_as, org):
    from qa_app.scorecards.models import ScorecardVersion, Status

    with app.app_context():
        db.session.get(ScorecardVersion, org.version_id).status = Status.ARCHIVED
        db.session.commit()
    response = _start(login_as(user=org.reviewer), org)
    assert response.status_code == 302 and "/scorecards" in response.headers["Location"]


def test_a_save_without_the_version_gets_409_and_the_newer_edit_survives(app, login_as, org):
    first_tab = login_as(user=org.reviewer)
    _submit(first_tab, org, GOOD, action="draft")
    evaluation = _evaluation(app)
    first = {
        **form_values(org, GOOD, "first"),
        "lock_version": str(evaluation.lock_version),
        "action": "draft",
    }
    edit = f"/evaluations/{evaluation.id}/edit"
    assert first_tab.submit(edit, first, token_from="/").status_code == 302
    unversioned = {**form_values(org, [1] * 3 + ["na"] + [3] * 4, "second"), "action": "draft"}
    response = login_as(user=org.reviewer).submit(edit, unversioned, token_from="/")
    assert response.status_code == 409
    assert {s.comment for s in _evaluation(app, evaluation.id).scores} == {"first"}
