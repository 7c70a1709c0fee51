"""Sampling in Hungarian: the queue, the plan form with its errors, and the plan page."""

from __future__ import annotations

from qa_app.accounts.models import User
from tests.conftest import choose_language
from tests.sampling.conftest import add_interactions, make_plan, run_plan


def _in_hungarian(app, user: User) -> User:
    """The user, with Hungarian chosen as their language."""
    choose_language(app, user.id)
    return user


def test_a_hungarian_reviewer_sees_their_queue_in_hungarian(app, login_as, org):
    for agent in org.agents:
        add_interactions(app, agent, 3)
    plan_id = make_plan(app, org, reviewer_ids=[org.reviewers[0].id])
    run_plan(app, plan_id)
    reviewer = login_as(user=_in_hungarian(app, org.reviewers[0]))

    page = reviewer.get("/sampling/queue").get_data(as_text=True)

    assert "<h1>Saját sorom</h1>" in page
    assert "6 értékelendő interakció, a legrégebbi elöl." in page
    assert ">Lejárt</span>" in page  # the week of the sample is long past
    assert "2026. márc. 8." in page  # the due date, in Hungarian notation
    assert ">Értékelés</a>" in page
    assert "to evaluate" not in page and "Overdue" not in page


def test_a_hungarian_admin_sees_the_plan_form_and_its_errors_in_hungarian(app, login_as, org):
    admin = login_as(user=_in_hungarian(app, org.admin))

    form = admin.get("/sampling/plans/new").get_data(as_text=True)
    assert "Új mintavételi terv" in form
    assert "Hét (hétfőtől vasárnapig)" in form and "Naptári hónap" in form
    assert "Kiindulóérték" in form

    data = {
        "name": "Heti minta",
        "team_ids": [str(org.team_id)],
        "period": "week",
        "per_agent": "2",
        "scorecard_id": str(org.scorecard_id),
        "seed": "42",
    }
    response = admin.submit("/sampling/plans/new", data, token_from="/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Válasszon legalább egy értékelőt." in page
    assert "Choose at least one reviewer." not in page


def test_a_hungarian_admin_reads_quota_and_shortfalls_in_hungarian(app, login_as, org):
    add_interactions(app, org.agents[0], 3)
    add_interactions(app, org.agents[1], 1)
    plan_id = make_plan(app, org)
    run_plan(app, plan_id)
    admin = login_as(user=_in_hungarian(app, org.admin))

    page = admin.get(f"/sampling/plans/{plan_id}?period=2026-03-02").get_data(as_text=True)

    assert "2 interakció munkatársanként, hetente" in page
    assert "3 munkatárs" in page
    assert ">Aktív</span>" in page
    assert "Hiányok: 2026. márc. 2. – 2026. márc. 8." in page
    assert "Az időszakban csak 1 interakció volt" in page
    assert "Nem volt interakció az időszakban" in page

    coverage = admin.get(f"/sampling/plans/{plan_id}/coverage").get_data(as_text=True)
    assert "Lefedettség" in coverage and "Összesen" in coverage
