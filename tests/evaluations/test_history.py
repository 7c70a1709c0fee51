"""The history page words each stored entry (field kind + criterion) in the reader's language."""

from __future__ import annotations

import html
import re

from sqlalchemy import event

from qa_app.evaluations.models import ChangeField, ChangeKind, Evaluation, EvaluationChange
from qa_app.extensions import db
from qa_app.ui.labels import history_field
from tests.conftest import choose_language
from tests.evaluations.conftest import form_values

GOOD = [5, 4, 4, "na", 5, 4, 3, 5]


def submitted_evaluation(login_as, org) -> int:
    data = {
        **form_values(org, GOOD, "Well handled"),
        "action": "submit",
        "strengths": "Calm <b>voice</b>",
        "improvements": "Confirm next steps",
    }
    reviewer = login_as(user=org.reviewer)
    response = reviewer.submit(
        f"/evaluations/new?interaction={org.interaction_id}", data, token_from="/"
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _edit_every_comment(reviewer, org, evaluation_id: int, lock_version: int) -> None:
    data = {
        **form_values(org, GOOD, "Second thoughts"),
        "lock_version": str(lock_version),
        "strengths": "Calm <b>voice</b>",
        "improvements": "Confirm next steps",
        "reason": "Clearer comments",
    }
    response = reviewer.submit(f"/evaluations/{evaluation_id}/edit", data, token_from="/")
    assert response.status_code == 302


def _history(page) -> str:
    body = html.unescape(page.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]*>", " ", body.split('class="history"')[1]).split())


def test_a_hungarian_reader_sees_the_history_in_hungarian(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    reviewer = login_as(user=org.reviewer)
    _edit_every_comment(reviewer, org, evaluation_id, lock_version=2)
    agent = login_as(user=org.agent)
    data = {"reason": "Not fair", "criterion_ids": []}
    response = agent.submit(f"/evaluations/{evaluation_id}/dispute", data, token_from="/")
    assert response.status_code == 302
    choose_language(app, org.reviewer.id)
    history = _history(reviewer.get(f"/evaluations/{evaluation_id}"))
    name = org.criteria[0]["name"]  # data: never translated
    assert f"Szerkesztve: Megjegyzés („{name}”) Well handled Second thoughts" in history
    assert "Kifogásolva: a teljes értékelés" in history
    assert "Comment on" not in history and "whole evaluation" not in history


def test_an_old_entry_that_matched_no_criterion_is_shown_as_it_was_stored(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    with app.app_context():
        legacy = EvaluationChange(
            evaluation_id=evaluation_id,
            kind=ChangeKind.EDITED,
            field_kind=ChangeField.OTHER,
            legacy_field='Score for "A criterion renamed since"',
            old_value="4",
            new_value="5",
            reason="Long ago",
        )
        db.session.add(legacy)
        db.session.commit()
    history = _history(login_as(user=org.reviewer).get(f"/evaluations/{evaluation_id}"))
    assert 'Edited: Score for "A criterion renamed since" 4 5 Long ago' in history


def test_the_history_reads_its_criteria_in_one_query(app, login_as, org):
    evaluation_id = submitted_evaluation(login_as, org)
    _edit_every_comment(login_as(user=org.reviewer), org, evaluation_id, lock_version=2)
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.test_request_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            changes = db.session.get(Evaluation, evaluation_id).changes
            labels = [history_field(change) for change in changes]
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert len([label for label in labels if label.startswith("Comment on")]) == 8
    assert sum("FROM criteria" in statement for statement in seen) == 1
