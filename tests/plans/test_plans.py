"""Action plans: built from development areas, measured by later evaluations, read by the agent."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.evaluations import services as evaluation_services
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.plans import services
from qa_app.plans.models import ActionGoal, ActionPlan
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from qa_app.scoring.plans import PlanStatus


def _score(app, agent_id, reviewer_id, version_id, values, when):
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        interaction = Interaction(
            external_id=f"P-{random.random()}",
            channel=Channel.CHAT,
            agent_id=agent_id,
            occurred_at=when,
        )
        db.session.add(interaction)
        evaluation = evaluation_services.start(
            interaction, version, db.session.get(User, reviewer_id)
        )
        data = {
            c.id: evaluation_services.CriterionInput(v, v is None, "")
            for c, v in zip(version.ordered_criteria, values, strict=True)
        }
        evaluation_services.save(
            evaluation,
            evaluation_services.EvaluationInput(data, "", ""),
            evaluation.reviewer,
            submit=True,
            lock_version=None,
        )
        db.session.commit()


def _setup(app, make_user, make_team):
    lead = make_user(Role.LEAD)
    team = make_team("Chat team", lead=lead)
    weak, strong = make_user(Role.AGENT, team=team), make_user(Role.AGENT, team=team)
    reviewer = make_user(Role.REVIEWER)
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
        )
        db.session.commit()
        version_id, n = version.id, len(version.ordered_criteria)
        first_key, first_name = version.ordered_criteria[0].key, version.ordered_criteria[0].name
    recent = datetime.now(UTC) - timedelta(days=3)
    for _ in range(3):  # the first criterion is weak for one agent, fine for the other
        _score(app, weak.id, reviewer.id, version_id, [2] + [4] * (n - 1), recent)
        _score(app, strong.id, reviewer.id, version_id, [5] * n, recent)
    return lead, weak, strong, reviewer, version_id, n, first_key, first_name


def saved_plan(app, agent, lead, key, name, *, title, days, actions) -> tuple[int, int]:
    """A plan with one goal on (key, name), from today for `days` days; its id and its goal's."""
    with app.app_context():
        plan = services.save_plan(
            None,
            db.session.get(User, agent.id),
            db.session.get(User, lead.id),
            title=title,
            starts_on=date.today(),
            due_on=date.today() + timedelta(days=days),
            goals=[services.GoalInput(key, name, 4, actions)],
        )
        db.session.commit()
        return plan.id, plan.goals[0].id


def test_lead_creates_a_plan_from_development_areas(app, login_as, make_user, make_team):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    client = login_as(user=lead)
    page = client.get(f"/plans/new?agent={weak.id}").get_data(as_text=True)
    assert "checked" not in page  # no goal is chosen for the lead
    page = client.get(f"/plans/new?agent={weak.id}&focus={first_key}").get_data(as_text=True)
    assert re.search(rf'id="use_{first_key}"[^>]*checked|checked[^>]*id="use_{first_key}"', page)
    assert page.count("checked") == 1  # only the development area the link names
    with app.app_context():
        tips = services.coaching_tips([first_key])[first_key]
    assert tips.split(".")[0] in page.replace("&#39;", "'")

    response = client.submit(
        f"/plans/new?agent={weak.id}",
        {
            "title": "Faster first replies",
            "starts_on": date.today().isoformat(),
            "due_on": (date.today() + timedelta(days=30)).isoformat(),
            f"use_{first_key}": "y",
            f"target_{first_key}": "4",
            f"actions_{first_key}": "Use greeting macros",
        },
        token_from="/",
    )
    assert response.status_code == 302
    with app.app_context():
        plan = db.session.scalar(sa.select(ActionPlan))
        assert [(g.criterion_key, float(g.target_average), g.actions) for g in plan.goals] == [
            (first_key, 4.0, "Use greeting macros")
        ]
        assert plan.agent_id == weak.id and plan.created_by_id == lead.id


def test_plan_status_is_computed_from_evaluations_after_the_start(
    app, login_as, make_user, make_team
):
    lead, weak, _strong, reviewer, version_id, n, first_key, first_name = _setup(
        app, make_user, make_team
    )
    start = date.today()
    with app.app_context():
        plan = services.save_plan(
            None,
            db.session.get(User, weak.id),
            db.session.get(User, lead.id),
            title="Plan",
            starts_on=start,
            due_on=start + timedelta(days=30),
            goals=[services.GoalInput(first_key, first_name, 4, "")],
        )
        db.session.commit()
        plan_id = plan.id
        assert services.progress(plan)[0] == PlanStatus.OPEN  # earlier weak scores do not count
    now = datetime.now(UTC)
    _score(app, weak.id, reviewer.id, version_id, [5] + [4] * (n - 1), now)
    with app.app_context():
        status, goals = services.progress(db.session.get(ActionPlan, plan_id))
        assert (status, goals[0].average, goals[0].scores) == (PlanStatus.ON_TRACK, 5.0, 1)
    for _ in range(2):
        _score(app, weak.id, reviewer.id, version_id, [4] + [4] * (n - 1), now)
    with app.app_context():
        status, goals = services.progress(db.session.get(ActionPlan, plan_id))
        assert goals[0].average == (5 + 4 + 4) / 3 and status == PlanStatus.ACHIEVED
        assert (
            services.progress(db.session.get(ActionPlan, plan_id), on=start + timedelta(days=31))[0]
            == PlanStatus.ACHIEVED
        )


def test_agent_reads_and_acknowledges_their_plan_only(app, login_as, make_user, make_team):
    lead, weak, strong, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    plan_id, _goal_id = saved_plan(
        app,
        weak,
        lead,
        first_key,
        first_name,
        title="Opening <script>",
        days=14,
        actions="Practise",
    )
    agent = login_as(user=weak)
    body = agent.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Opening &lt;script&gt;" in body and "Practise" in body
    assert agent.submit(f"/plans/{plan_id}/acknowledge", token_from="/").status_code == 302
    with app.app_context():
        assert db.session.get(ActionPlan, plan_id).acknowledged_at is not None
    assert login_as(user=strong).get(f"/plans/{plan_id}").status_code == 404
    other_lead = login_as(Role.LEAD)
    assert other_lead.get(f"/plans/{plan_id}").status_code == 404
    assert other_lead.get(f"/plans/new?agent={weak.id}").status_code == 404


def test_a_plan_needs_a_goal_and_a_sensible_due_date(app, login_as, make_user, make_team):
    lead, weak, *_rest, first_key, _name = _setup(app, make_user, make_team)
    client = login_as(user=lead)
    base = {"title": "x", "starts_on": "2026-12-01", "due_on": "2026-11-01"}
    response = client.submit(
        f"/plans/new?agent={weak.id}", {**base, f"use_{first_key}": "y"}, token_from="/"
    )
    assert "The due date must not be before the start date." in response.get_data(as_text=True)
    none_chosen = client.submit(
        f"/plans/new?agent={weak.id}", {**base, "due_on": "2026-12-31"}, token_from="/"
    )
    assert "Choose at least one criterion" in none_chosen.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ActionPlan)) == 0


def test_lead_adds_follow_up_notes(app, login_as, make_user, make_team):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    plan_id, _goal_id = saved_plan(
        app, weak, lead, first_key, first_name, title="P", days=0, actions=""
    )
    client = login_as(user=lead)
    client.submit(
        f"/plans/{plan_id}/notes", {"text": "Talked on Monday; macros set up."}, token_from="/"
    )
    assert "Talked on Monday; macros set up." in login_as(user=weak).get(
        f"/plans/{plan_id}"
    ).get_data(as_text=True)


def test_the_plans_list_shows_fifty_plans_a_page(app, make_user, make_team, login_as):
    lead = make_user(Role.LEAD)
    agent = make_user(Role.AGENT, team=make_team("Paged team", lead=lead))
    start = date(2026, 1, 5)
    with app.app_context():
        for n in range(51):
            goal = ActionGoal(criterion_key="greeting", criterion_name="Greeting", actions="")
            due = start + timedelta(days=n)
            db.session.add(
                ActionPlan(
                    agent_id=agent.id, title=f"Plan {n}", starts_on=start, due_on=due, goals=[goal]
                )
            )
        db.session.commit()
    client = login_as(user=lead)
    first = client.get("/plans/").get_data(as_text=True)
    second = client.get("/plans/?page=2").get_data(as_text=True)
    assert ">Plan 50<" in first and ">Plan 1<" in first and ">Plan 0<" not in first
    assert ">Plan 0<" in second and ">Plan 1<" not in second
    assert "page=2" in first


def test_lead_saves_an_existing_plan_again(app, login_as, make_user, make_team):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    plan_id, goal_id = saved_plan(
        app, weak, lead, first_key, first_name, title="P", days=14, actions="Practise"
    )
    client = login_as(user=lead)
    edited = {
        "title": "P",
        "starts_on": date.today().isoformat(),
        "due_on": (date.today() + timedelta(days=14)).isoformat(),
        f"use_{first_key}": "y",
        f"target_{first_key}": "4.5",
        f"actions_{first_key}": "Practise more",
    }
    response = client.submit(f"/plans/{plan_id}/edit", edited, token_from="/")
    assert response.status_code == 302
    with app.app_context():
        goals = db.session.get(ActionPlan, plan_id).goals
        assert [(g.id, g.criterion_key, float(g.target_average), g.actions) for g in goals] == [
            (goal_id, first_key, 4.5, "Practise more")
        ]


def test_the_plan_form_reads_the_period_of_the_results_page_it_came_from(
    app, login_as, make_user, make_team
):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    client = login_as(user=lead)
    results = client.get(f"/results/agents/{weak.id}?period=custom&from=2020-01-01&to=2020-02-01")
    link = re.search(r'href="(/plans/new\?[^"]+)"', results.get_data(as_text=True)).group(1)
    page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Jan 1, 2020" in page and "Feb 1, 2020" in page
    assert first_name not in page  # not scored in that period: nothing to set a goal on
    recent = client.get(f"/plans/new?agent={weak.id}").get_data(as_text=True)
    assert first_name in recent  # the last eight weeks, when no period is named
