"""Picking root causes on the scoring page: offered, required, refused when not ours."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.evaluations.models import ChangeField, Evaluation, EvaluationChange, EvaluationScore
from qa_app.extensions import db
from qa_app.rootcauses.models import evaluation_score_causes
from tests.evaluations.conftest import form_values
from tests.rootcauses.conftest import require_causes

LOW = [2, 4, 4, "na", 5, 4, 3, 5]  # the first and the seventh criteria are scored 1-3


def _post(client, org, data, path=None):
    path = path or f"/evaluations/new?interaction={org.interaction_id}"
    return client.submit(path, data, token_from="/")


def _picks(app, evaluation_id: int) -> dict[int, set[int]]:
    table = evaluation_score_causes
    stmt = (
        sa.select(EvaluationScore.criterion_id, table.c.root_cause_id)
        .join(table, table.c.evaluation_score_id == EvaluationScore.id)
        .where(EvaluationScore.evaluation_id == evaluation_id)
    )
    with app.app_context():
        found: dict[int, set[int]] = {}
        for criterion_id, cause_id in db.session.execute(stmt):
            found.setdefault(criterion_id, set()).add(cause_id)
        return found


def _evaluation_id(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_the_page_offers_live_causes_and_keeps_picks_for_low_scores_only(
    app, login_as, org, causes
):
    reviewer = login_as(user=org.reviewer)
    page = reviewer.get(f"/evaluations/new?interaction={org.interaction_id}").get_data(True)
    assert "Product policy" in page and "Wrong tool" in page
    assert "Old form" not in page and "Not ours" not in page
    first, fifth = org.criteria[0]["id"], org.criteria[4]["id"]
    data = {**form_values(org, LOW), "action": "submit"}
    data[f"causes_{first}"] = [str(causes.policy), str(causes.tool)]
    data[f"causes_{fifth}"] = [str(causes.billing)]  # scored 5: not kept
    evaluation_id = _evaluation_id(_post(reviewer, org, data))
    assert _picks(app, evaluation_id) == {first: {causes.policy, causes.tool}}
    shown = reviewer.get(f"/evaluations/{evaluation_id}").get_data(True)
    assert "Knowledge</bdi> / <bdi>Product policy" in shown


def test_required_causes_refuse_the_submit_but_not_the_draft(app, login_as, org, causes):
    require_causes(app, org)
    reviewer = login_as(user=org.reviewer)
    first = org.criteria[0]["id"]
    data = {**form_values(org, LOW, "Kept comment"), "action": "submit"}
    data[f"causes_{first}"] = [str(causes.policy)]
    refused = _post(reviewer, org, data)
    assert refused.status_code == 200
    body = refused.get_data(True)
    seventh = org.criteria[6]["name"]
    assert f"Pick at least one root cause for &#34;{seventh}&#34;" in body
    assert f"Pick at least one root cause for &#34;{org.criteria[0]['name']}&#34;" not in body
    assert "Kept comment" in body  # nothing the reviewer typed is lost
    assert f'value="{causes.policy}" checked' in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == 0
    draft = _evaluation_id(_post(reviewer, org, {**data, "action": "draft"}))
    assert _picks(app, draft) == {first: {causes.policy}}


def test_optional_causes_let_a_low_score_be_submitted_without_one(app, login_as, org, causes):
    reviewer = login_as(user=org.reviewer)
    evaluation_id = _evaluation_id(
        _post(reviewer, org, {**form_values(org, LOW), "action": "submit"})
    )
    assert _picks(app, evaluation_id) == {}


def test_a_foreign_retired_or_made_up_cause_is_refused(app, login_as, org, causes):
    reviewer = login_as(user=org.reviewer)
    first = org.criteria[0]["id"]
    for sent in (causes.foreign, causes.retired, "999999", "x", "²", "9" * 40):
        data = {**form_values(org, LOW), "action": "draft", f"causes_{first}": str(sent)}
        response = _post(reviewer, org, data)
        assert response.status_code == 200, sent
        assert "cannot be picked" in response.get_data(True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Evaluation.id))) == 0


def test_a_cause_retired_later_stays_and_edits_go_in_the_history(app, login_as, org, causes):
    reviewer = login_as(user=org.reviewer)
    first = org.criteria[0]["id"]
    data = {**form_values(org, LOW), "action": "submit", f"causes_{first}": str(causes.policy)}
    evaluation_id = _evaluation_id(_post(reviewer, org, data))
    admin = login_as("admin")
    retire = {"action": "retire", "name": "Product policy"}
    assert (
        admin.submit(f"/root-causes/causes/{causes.policy}", retire, token_from="/").status_code
        == 302
    )
    page = reviewer.get(f"/evaluations/{evaluation_id}/edit").get_data(True)
    assert f'value="{causes.policy}" checked' in page  # still there, marked retired
    with app.app_context():
        lock = db.session.get(Evaluation, evaluation_id).lock_version
    edit = {**data, "lock_version": str(lock), "reason": "Also the tool"}
    edit[f"causes_{first}"] = [str(causes.policy), str(causes.tool)]
    _evaluation_id(_post(reviewer, org, edit, f"/evaluations/{evaluation_id}/edit"))
    assert _picks(app, evaluation_id) == {first: {causes.policy, causes.tool}}
    with app.app_context():
        entry = db.session.scalars(
            sa.select(EvaluationChange).where(
                EvaluationChange.field_kind == ChangeField.ROOT_CAUSES
            )
        ).one()
        assert (entry.old_value, entry.new_value) == (
            "Knowledge / Product policy",
            "Knowledge / Product policy, Process / Wrong tool",
        )
    history = reviewer.get(f"/evaluations/{evaluation_id}").get_data(True)
    assert "Root causes for &#34;" in history


def test_an_agent_sees_their_own_causes_and_not_another_agents(app, login_as, org, causes):
    reviewer = login_as(user=org.reviewer)
    first = org.criteria[0]["id"]
    data = {**form_values(org, LOW), "action": "submit", f"causes_{first}": str(causes.tool)}
    evaluation_id = _evaluation_id(_post(reviewer, org, data))
    assert "Wrong tool" in login_as(user=org.agent).get(f"/evaluations/{evaluation_id}").get_data(
        True
    )
    assert login_as(user=org.other_agent).get(f"/evaluations/{evaluation_id}").status_code == 404
