"""Sampling pages: plan form, run button, plan page, queue, coverage, and who may open them."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from qa_app.database import utcnow
from qa_app.evaluations.models import Evaluation, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.sampling.models import Assignment, SamplingPlan, SamplingRun
from qa_app.scorecards.models import ScorecardVersion
from tests.sampling.conftest import (
    FUTURE_WEEK,
    WEEK,
    add_interactions,
    assignments,
    make_plan,
    run_plan,
    submit_evaluation,
)


def _plan_form(org, **changes) -> dict:
    return {
        "name": "Weekly chats",
        "team_ids": [str(org.team_id)],
        "agent_ids": [str(org.agents[2].id)],
        "period": "week",
        "per_agent": "2",
        "scorecard_id": str(org.scorecard_id),
        "reviewer_ids": [str(r.id) for r in org.reviewers],
        "is_active": "y",
        "seed": "42",
        **changes,
    }


def test_a_reviewer_creates_a_plan_and_extra_fields_change_nothing(app, login_as, org):
    reviewer = login_as(user=org.reviewers[0])
    assert reviewer.get("/sampling/plans/new").status_code == 200
    data = _plan_form(org, created_by_id=str(org.agents[0].id), id="99", chat_quota="1")
    response = reviewer.submit("/sampling/plans/new", data, token_from="/")
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.scalar(sa.select(SamplingPlan))
        assert response.headers["Location"] == f"/sampling/plans/{plan.id}"
        assert (plan.name, plan.seed, plan.created_by_id) == (
            "Weekly chats",
            42,
            org.reviewers[0].id,
        )
        assert [t.id for t in plan.teams] == [org.team_id]
        assert [a.id for a in plan.agents] == [org.agents[2].id]
        assert {r.id for r in plan.reviewers} == {r.id for r in org.reviewers}
        assert plan.quota == {"chat": 1}


def test_the_plan_form_needs_agents_reviewers_and_a_number(app, login_as, org):
    reviewer = login_as(user=org.reviewers[0])
    data = _plan_form(org, team_ids=[], agent_ids=[], reviewer_ids=[], per_agent="")
    page = reviewer.submit("/sampling/plans/new", data, token_from="/").get_data(as_text=True)
    assert "Choose at least one team or agent." in page
    assert "Choose at least one reviewer." in page
    data = _plan_form(org, per_agent="")
    page = reviewer.submit("/sampling/plans/new", data, token_from="/").get_data(as_text=True)
    assert "Give a number per agent, or per channel." in page
    data = _plan_form(org, reviewer_ids=[str(org.agents[0].id)])  # an agent is no choice
    page = reviewer.submit("/sampling/plans/new", data, token_from="/").get_data(as_text=True)
    assert "is not a valid choice" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingPlan)) == 0


def test_an_admin_edits_a_plan(app, login_as, org):
    plan_id = make_plan(app, org, channel_quotas={"call": 2, "chat": 1})
    admin = login_as(user=org.admin)
    page = admin.get(f"/sampling/plans/{plan_id}/edit").get_data(as_text=True)
    assert 'value="1234"' in page and "Weekly sample" in page
    data = _plan_form(org, name="Monthly", period="month", call_quota="3", chat_quota="")
    assert admin.submit(f"/sampling/plans/{plan_id}/edit", data, token_from="/").status_code == 302
    with app.app_context():
        plan = db.session.get(SamplingPlan, plan_id)
        assert (plan.name, plan.period.value, plan.quota) == ("Monthly", "month", {"call": 3})


def test_the_run_button_draws_once_per_period(app, login_as, org):
    for agent in org.agents:
        add_interactions(app, agent, 4)
    plan_id = make_plan(app, org)
    reviewer = login_as(user=org.reviewers[0])
    url = f"/sampling/plans/{plan_id}/run"
    first = reviewer.submit(url, {"day": "2026-03-04"}, token_from="/", follow_redirects=True)
    assert "6 interactions drawn and assigned." in first.get_data(as_text=True)
    again = reviewer.submit(url, {"day": "2026-03-08"}, token_from="/", follow_redirects=True)
    assert "nothing new assigned" in again.get_data(as_text=True)
    assert len(assignments(app, plan_id)) == 6


def test_running_a_plan_needs_a_post_with_a_valid_token(app, login_as, org):
    add_interactions(app, org.agents[0], 4)
    plan_id = make_plan(app, org)
    reviewer = login_as(user=org.reviewers[0])
    assert reviewer.get(f"/sampling/plans/{plan_id}/run").status_code == 405
    assert reviewer.post(f"/sampling/plans/{plan_id}/run", data={}).status_code == 400
    forged = {"csrf_token": "forged", "day": "2026-03-04"}
    assert reviewer.post(f"/sampling/plans/{plan_id}/run", data=forged).status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingRun)) == 0


def test_the_plan_page_says_who_fell_short_by_how_many_and_why(app, login_as, org):
    add_interactions(app, org.agents[0], 5)
    add_interactions(app, org.agents[1], 1)
    plan_id = make_plan(app, org, per_agent=3)
    run_plan(app, plan_id)
    page = login_as(user=org.reviewers[0]).get(f"/sampling/plans/{plan_id}?period=2026-03-05")
    text = page.get_data(as_text=True)
    rows = re.findall(r'<tr><td dir="auto">([^<]+)</td>.*?</tr>', text, re.S)
    assert rows == ["Bence Kovács", "Chloé Martin"]
    assert re.search(
        r"Bence Kovács</td>.*?>3<.*?>1<.*?>2<.*?Only 1 interaction in the period", text, re.S
    )
    assert re.search(
        r"Chloé Martin</td>.*?>3<.*?>0<.*?>3<.*?No interactions in the period", text, re.S
    )


def _queue_links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/evaluations/new\?[^"]+)"', page)]


def test_the_queue_shows_open_assignments_oldest_first_with_a_link_to_score_them(
    app, login_as, org
):
    for week in (FUTURE_WEEK, WEEK):
        add_interactions(app, org.agents[0], 4, week=week)
    plan_id = make_plan(app, org, team_ids=[], agent_ids=[org.agents[0].id], per_agent=4)
    run_plan(app, plan_id, FUTURE_WEEK)
    run_plan(app, plan_id, WEEK)
    reviewer = org.reviewers[0]
    with app.app_context():
        stmt = (
            sa.select(Assignment.interaction_id)
            .join(Assignment.interaction)
            .where(Assignment.reviewer_id == reviewer.id)
            .order_by(Assignment.due_at, Interaction.occurred_at)
        )
        expected = list(db.session.scalars(stmt))
    assert len(expected) == 4  # two per week: the loads of two reviewers differ by at most one
    page = login_as(user=reviewer).get("/sampling/queue").get_data(as_text=True)
    assert _queue_links(page) == [
        f"/evaluations/new?interaction={i}&scorecard={org.version_id}" for i in expected
    ]
    assert page.count("Overdue") == 2  # the past week's two, not the future week's
    assert page.index("Mar 8, 2026") < page.index("Jan 13, 2030")


def test_submitting_the_evaluation_from_the_queue_marks_the_assignment_done(app, login_as, org):
    add_interactions(app, org.agents[0], 2)
    plan_id = make_plan(app, org, team_ids=[], agent_ids=[org.agents[0].id], per_agent=2)
    run_plan(app, plan_id)
    reviewer = login_as(user=org.reviewers[0])
    link = _queue_links(reviewer.get("/sampling/queue").get_data(as_text=True))[0]
    assert reviewer.get(link).status_code == 200
    with app.app_context():
        version = db.session.get(ScorecardVersion, org.version_id)
        data = {f"score_{c.id}": "4" for c in version.ordered_criteria}
    response = reviewer.submit(link, {**data, "action": "submit"}, token_from="/")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _queue_links(reviewer.get("/sampling/queue").get_data(as_text=True)) == []
    coverage = reviewer.get(f"/sampling/plans/{plan_id}/coverage?period=2026-03-02")
    assert _coverage_rows(coverage.get_data(as_text=True))["Ana Pop"] == [2, 1, 1, 1, 0]


def test_an_evaluation_made_outside_the_queue_counts_but_only_by_the_assigned_reviewer(
    app, login_as, org
):
    add_interactions(app, org.agents[0], 2)
    plan_id = make_plan(app, org, team_ids=[], agent_ids=[org.agents[0].id], per_agent=2)
    run_plan(app, plan_id)
    (mine, _, me), (theirs, _, them) = assignments(app, plan_id)
    submit_evaluation(app, mine, org.reviewers[me != org.reviewers[0].id], org.version_id)
    submit_evaluation(app, theirs, org.reviewers[them == org.reviewers[0].id], org.version_id)
    client = login_as(user=org.reviewers[0] if me == org.reviewers[0].id else org.reviewers[1])
    links = _queue_links(client.get("/sampling/queue").get_data(as_text=True))
    assert links == []  # done, though the evaluation did not start from the queue
    other = login_as(user=org.reviewers[1] if me == org.reviewers[0].id else org.reviewers[0])
    links = _queue_links(other.get("/sampling/queue").get_data(as_text=True))
    assert [f"interaction={theirs}&" in link for link in links] == [True]


def _coverage_rows(page: str) -> dict[str, list[int]]:
    rows = re.findall(r'<tr><td dir="auto">([^<]+)</td>(.*?)</tr>', page, re.S)
    found = {
        name: [int(n) for n in re.findall(r'class="num">(\d+)<', cells)] for name, cells in rows
    }
    total = re.search(r'<th scope="row">Total</th>(.*?)</tr>', page, re.S)
    if total:
        found["Total"] = [int(n) for n in re.findall(r'class="num">(\d+)<', total.group(1))]
    return found


def _expected_coverage(app, plan_id: int, agent_ids: set[int]) -> dict[str, list[int]]:
    """The coverage counts worked out here, row by row, from the database."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(Assignment, Interaction)
            .join(Assignment.interaction)
            .where(Assignment.plan_id == plan_id)
        ).all()
        submitted = set(
            db.session.execute(
                sa.select(Evaluation.interaction_id, Evaluation.reviewer_id).where(
                    Evaluation.status == EvaluationStatus.SUBMITTED,
                    Evaluation.is_calibration.is_(False),
                )
            ).all()
        )
        expected: dict[str, list[int]] = {}
        for assignment, interaction in rows:
            if interaction.agent_id not in agent_ids:
                continue
            done = (assignment.interaction_id, assignment.reviewer_id) in submitted
            counts = expected.setdefault(interaction.agent.display_name, [0, 0, 0, 0, 0])
            counts[0] += 1
            counts[1] += done
            counts[2] += not done
            counts[3] += (not done) and assignment.due_at < utcnow()
    expected["Total"] = [sum(column) for column in zip(*expected.values(), strict=True)]
    return expected


def test_coverage_numbers_match_the_database(app, login_as, org):
    for agent, count in zip(org.agents, (5, 4, 3), strict=True):
        add_interactions(app, agent, count)
    plan_id = make_plan(app, org, per_agent=3)
    run_plan(app, plan_id)
    for interaction_id, _, reviewer_id in assignments(app, plan_id)[::2]:
        reviewer = next(r for r in org.reviewers if r.id == reviewer_id)
        submit_evaluation(app, interaction_id, reviewer, org.version_id)
    page = login_as(user=org.admin).get(f"/sampling/plans/{plan_id}/coverage?period=2026-03-06")
    expected = _expected_coverage(app, plan_id, {a.id for a in org.agents})
    assert _coverage_rows(page.get_data(as_text=True)) == expected
    assert expected["Total"][:4] == [9, 5, 4, 4]


def test_a_lead_sees_the_coverage_of_their_own_team_only(app, login_as, org, make_user, make_team):
    for agent in org.agents:
        add_interactions(app, agent, 3)
    plan_id = make_plan(app, org)
    run_plan(app, plan_id)
    lead = login_as(user=org.lead)
    rows = _coverage_rows(lead.get(f"/sampling/plans/{plan_id}/coverage").get_data(as_text=True))
    mine = {org.agents[0].id, org.agents[1].id}
    assert rows == _expected_coverage(app, plan_id, mine)
    assert "Chloé" not in lead.get(f"/sampling/plans/{plan_id}/coverage").get_data(as_text=True)
    other = login_as(user=org.other_lead)
    rows = _coverage_rows(other.get(f"/sampling/plans/{plan_id}/coverage").get_data(as_text=True))
    assert set(rows) == {"Chloé Martin", "Total"}
    assert lead.get(f"/sampling/plans/{plan_id}").status_code == 403
    assert "Weekly sample" in lead.get("/sampling/").get_data(as_text=True)


def test_a_lead_gets_404_for_a_plan_that_does_not_touch_their_team(app, login_as, org):
    plan_id = make_plan(app, org, name="Technical only", team_ids=[org.other_team_id])
    lead = login_as(user=org.lead)
    response = lead.get(f"/sampling/plans/{plan_id}/coverage")
    assert response.status_code == 404
    assert "Technical only" not in response.get_data(as_text=True)
    assert "Technical only" not in lead.get("/sampling/").get_data(as_text=True)
    for guessed in (0, plan_id + 1, 999_999):
        assert lead.get(f"/sampling/plans/{guessed}/coverage").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/sampling/",
        "/sampling/queue",
        "/sampling/plans/new",
        "/sampling/plans/{id}",
        "/sampling/plans/{id}/edit",
        "/sampling/plans/{id}/coverage",
    ],
)
def test_an_agent_gets_403_on_every_sampling_page(app, login_as, org, url):
    plan_id = make_plan(app, org)
    agent = login_as(user=org.agents[0])
    response = agent.get(url.format(id=plan_id))
    assert response.status_code == 403
    assert "Weekly sample" not in response.get_data(as_text=True)
    run = agent.submit(f"/sampling/plans/{plan_id}/run", {}, token_from="/")
    assert run.status_code == 403


def test_plan_names_are_escaped(app, login_as, org):
    plan_id = make_plan(app, org, name="<script>alert(1)</script>")
    admin = login_as(user=org.admin)
    for url in ("/sampling/", f"/sampling/plans/{plan_id}", f"/sampling/plans/{plan_id}/coverage"):
        page = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_my_queue_is_in_the_menu_of_reviewers_and_admins_only(login_as, org):
    for user, shown in ((org.reviewers[0], True), (org.admin, True), (org.lead, False)):
        page = login_as(user=user).get("/").get_data(as_text=True)
        assert ('href="/sampling/queue"' in page) is shown


def test_the_queue_names_each_interaction_by_its_reference(app, login_as, org):
    ids = add_interactions(app, org.agents[0], 2)
    run_plan(app, make_plan(app, org, team_ids=[], agent_ids=[org.agents[0].id], per_agent=2))
    with app.app_context():
        references = {i: db.session.get(Interaction, i).external_id for i in ids}
    pages = [login_as(user=r).get("/sampling/queue").get_data(as_text=True) for r in org.reviewers]
    shown = re.findall(r'href="/interactions/(\d+)"[^>]*>([^<]+)</a>', "".join(pages))
    assert sorted(shown) == sorted((str(i), ref) for i, ref in references.items())


def test_the_seed_stays_out_of_a_qa_managers_sight(app, login_as, org):
    plan_id = make_plan(app, org)
    with app.app_context():
        seed = str(db.session.get(SamplingPlan, plan_id).seed)
    reviewer = login_as(user=org.reviewers[0])
    for url in (f"/sampling/plans/{plan_id}", f"/sampling/plans/{plan_id}/edit"):
        page = reviewer.get(url).get_data(as_text=True)
        assert "seed" not in page.lower().replace('name="seed"', "").replace('id="seed"', "")
    admin = login_as(user=org.admin).get(f"/sampling/plans/{plan_id}").get_data(as_text=True)
    assert re.search(r"<details class=\"technical\">.*seed " + seed, admin, re.S)
