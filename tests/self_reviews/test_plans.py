"""A sampling plan asks each agent for self-reviews among the interactions it drew for them."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.extensions import db
from qa_app.self_reviews.models import SelfReview
from tests.sampling.conftest import (  # noqa: F401 (org is a fixture)
    add_interactions,
    assignments,
    make_plan,
    org,
    run_plan,
    submit_evaluation,
)


def _asked(app) -> list[tuple[int, int, int | None, int]]:
    with app.app_context():
        stmt = sa.select(
            SelfReview.interaction_id,
            SelfReview.agent_id,
            SelfReview.requested_by_id,
            SelfReview.scorecard_version_id,
        ).order_by(SelfReview.interaction_id)
        return [tuple(row) for row in db.session.execute(stmt)]


def test_a_plan_asks_each_agent_among_their_picks_once_per_period(app, org, login_as):  # noqa: F811
    for agent in org.agents:
        add_interactions(app, agent, 3)
    plan_id = make_plan(app, org, self_reviews_per_agent=1)
    run_plan(app, plan_id)
    picked = {interaction: agent for interaction, agent, _reviewer in assignments(app, plan_id)}
    asked = _asked(app)
    assert sorted(agent for _i, agent, _by, _v in asked) == sorted(a.id for a in org.agents)
    assert all(picked[interaction] == agent for interaction, agent, _by, _v in asked)
    assert {(by, version) for _i, _a, by, version in asked} == {(None, org.version_id)}
    run_plan(app, plan_id)  # the period is drawn once: nothing more is asked
    assert _asked(app) == asked
    # The reviewer's evaluation of a self-review's interaction waits for the agent.
    interaction_id, agent_id = asked[0][:2]
    evaluation_id = submit_evaluation(app, interaction_id, org.reviewers[0], org.version_id)
    agent = next(a for a in org.agents if a.id == agent_id)
    assert login_as(user=agent).get(f"/evaluations/{evaluation_id}").status_code == 404


def test_a_plan_without_the_option_asks_for_none(app, org):  # noqa: F811
    add_interactions(app, org.agents[0], 2)
    run_plan(app, make_plan(app, org))
    assert _asked(app) == []


def test_the_plan_page_shows_the_number(app, org, login_as):  # noqa: F811
    plan_id = make_plan(app, org, self_reviews_per_agent=2)
    page = login_as(user=org.admin).get(f"/sampling/plans/{plan_id}").get_data(as_text=True)
    assert "2 self-reviews per agent per period" in page
