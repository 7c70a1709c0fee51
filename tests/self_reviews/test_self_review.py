"""Ask, score, compare: gaps by hand, the reviewer's scores hidden meanwhile, results untouched."""

from __future__ import annotations

import re

import sqlalchemy as sa

from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.self_reviews.models import SelfReview, SelfReviewStatus
from qa_app.self_reviews.services import gap_rows
from tests.self_reviews.conftest import ask, evaluate, score

RESULTS_RANGE = "period=custom&from=2026-10-01&to=2026-11-30"


def _ids(app) -> tuple[int, int]:
    with app.app_context():
        review_id = db.session.scalar(sa.select(SelfReview.id))
        evaluation_id = db.session.scalar(sa.select(Evaluation.id))
        return review_id, evaluation_id


def _cells(page: str) -> list[str]:
    """The comparison table's cells, tags and spaces removed."""
    body = page.split("<tbody>", 1)[1].split("</tfoot>", 1)[0]
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, re.S)
    ]


def test_gaps_are_self_minus_reviewer_and_blank_when_either_is_na():
    rows = gap_rows(
        [("a", "A"), ("b", "B"), ("c", "C")], {"a": 4, "b": None, "c": 2}, {"a": 5, "b": 3}
    )
    assert [row.gap for row in rows] == [-1, None, None]


def test_request_score_and_compare(app, login_as, org):
    reviewer, agent = login_as(user=org.reviewer), login_as(user=org.agent)
    assert evaluate(reviewer, org).status_code == 302
    assert ask(reviewer, org).status_code == 302
    review_id, evaluation_id = _ids(app)
    # Until the agent scores, the reviewer's evaluation is nowhere in their sight.
    assert agent.get(f"/evaluations/{evaluation_id}").status_code == 404
    assert "CALL-1001" not in agent.get("/my/scorecards").get_data(as_text=True)
    results = agent.get(f"/results/agents/{org.agent.id}?{RESULTS_RANGE}").get_data(as_text=True)
    assert f"/evaluations/{evaluation_id}" not in results
    assert agent.get(f"/self-reviews/{review_id}").headers["Location"].endswith("/score")
    todo = agent.get("/my/self-reviews").get_data(as_text=True)
    assert f"/self-reviews/{review_id}/score" in todo
    page = agent.get(f"/self-reviews/{review_id}/score").get_data(as_text=True)
    assert "CALL-1001" in page and "suggested" not in page
    assert score(agent, org, review_id, action="draft").status_code == 302
    assert score(agent, org, review_id, lock_version=2).status_code == 302
    with app.app_context():
        review = db.session.get(SelfReview, review_id)
        assert review.status == SelfReviewStatus.SUBMITTED
        assert (review.score, review.is_critical_fail) == (0, True)  # critical criterion at 2
    compared = agent.get(f"/self-reviews/{review_id}").get_data(as_text=True)
    # Reviewer 5 4 4 N/A 5 4 3 5 (81.25); self 4 4 5 N/A 5 2 3 4 (critical fail, 0).
    cells = _cells(compared)
    assert [cells[i] for i in range(3, len(cells), 4)][:8] == [
        "-1",
        "0",
        "+1",
        "—",
        "0",
        "-2",
        "0",
        "-1",
    ]
    assert cells[-3:] == ["0.00", "81.25", "-81.25"]  # the score's gap, signed
    assert agent.get(f"/evaluations/{evaluation_id}").status_code == 200


def test_a_submitted_self_review_changes_no_result_figure(app, login_as, org):
    reviewer, lead = login_as(user=org.reviewer), login_as(user=org.lead)
    reviewer.get(evaluate(reviewer, org).headers["Location"])  # its message read
    pages = [
        f"/results/agents/{org.agent.id}?{RESULTS_RANGE}",
        f"/results/?{RESULTS_RANGE}",
        "/autoqa/trust",
    ]

    def shown() -> list[str]:
        answers = [lead.get(pages[0])] + [reviewer.get(page) for page in pages[1:]]
        assert [answer.status_code for answer in answers] == [200] * len(pages)
        texts = [answer.get_data(as_text=True) for answer in answers]
        return [re.sub(r'name="csrf_token"[^>]*>', "", text) for text in texts]

    before = shown()
    assert "81.25" in before[0]  # the reviewer's evaluation is on the agent's page
    reviewer.get(ask(reviewer, org).headers["Location"])  # its message shown, not on a result page
    review_id, _ = _ids(app)
    agent = login_as(user=org.agent)
    assert score(agent, org, review_id).status_code == 302
    assert shown() == before


def test_who_may_open_what(app, login_as, org, make_user):
    from qa_app.accounts.models import Role

    reviewer = login_as(user=org.reviewer)
    evaluate(reviewer, org)
    ask(reviewer, org)
    review_id, _ = _ids(app)
    other_agent, other_lead = login_as(user=org.other_agent), login_as(user=org.other_lead)
    lead, admin = login_as(user=org.lead), login_as(Role.ADMIN)
    for path in (
        f"/self-reviews/{review_id}",
        f"/self-reviews/{review_id}/score",
        "/self-reviews/99999",
    ):
        assert other_agent.get(path).status_code == 404, path
    assert (
        other_agent.submit(f"/self-reviews/{review_id}/decline", token_from="/").status_code == 404
    )
    assert other_lead.get(f"/self-reviews/{review_id}").status_code == 404
    assert "CALL-1001" not in other_lead.get("/self-reviews/").get_data(as_text=True)
    assert lead.get(f"/self-reviews/{review_id}").status_code == 200
    assert "CALL-1001" in lead.get("/self-reviews/").get_data(as_text=True)
    for client in (lead, reviewer, admin):
        assert client.get(f"/self-reviews/{review_id}/score").status_code == 403
    # Staff see neither the agent's draft points nor a score before submission.
    agent = login_as(user=org.agent)
    score(agent, org, review_id, action="draft")
    assert set(_cells(lead.get(f"/self-reviews/{review_id}").get_data(as_text=True))[1::4][:8]) == {
        "—"
    }


def test_declining_shows_the_evaluation_again_and_closes_the_request(app, login_as, org):
    reviewer, agent = login_as(user=org.reviewer), login_as(user=org.agent)
    evaluate(reviewer, org)
    ask(reviewer, org)
    review_id, evaluation_id = _ids(app)
    assert agent.submit(f"/self-reviews/{review_id}/decline", token_from="/").status_code == 302
    assert agent.get(f"/evaluations/{evaluation_id}").status_code == 200
    assert score(agent, org, review_id).status_code == 302  # to the comparison: nothing saved
    with app.app_context():
        assert db.session.get(SelfReview, review_id).status == SelfReviewStatus.DECLINED
    assert ask(reviewer, org).status_code == 200  # once per interaction


def test_the_agent_reads_the_self_review_pages_in_hungarian(app, login_as, org):
    from tests.conftest import choose_language

    reviewer = login_as(user=org.reviewer)
    evaluate(reviewer, org)
    ask(reviewer, org)
    review_id, _ = _ids(app)
    choose_language(app, org.agent.id)
    agent = login_as(user=org.agent)
    assert "Elvégzendő önértékelések" in agent.get("/my/self-reviews").get_data(as_text=True)
    page = agent.get(f"/self-reviews/{review_id}/score").get_data(as_text=True)
    assert "Önértékelés: értékelje a saját interakcióját" in page
    score(agent, org, review_id)
    compared = agent.get(f"/self-reviews/{review_id}").get_data(as_text=True)
    assert "Eltérés (saját − értékelő)" in compared
    assert _cells(compared)[-3:] == ["0,00", "81,25", "-81,25"]
