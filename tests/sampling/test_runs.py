"""Running a plan: a reproducible draw, idempotent per period, spread evenly, shortfalls kept."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel
from qa_app.sampling import services
from qa_app.sampling.models import Assignment, SamplingPlan, SamplingRun, SamplingShortfall
from tests.sampling.conftest import (
    FUTURE_WEEK,
    WEEK,
    add_interactions,
    assignments,
    make_plan,
    run_plan,
    submit_evaluation,
)


def _forget_runs(app, plan_id: int) -> None:
    with app.app_context():
        db.session.execute(sa.delete(Assignment).where(Assignment.plan_id == plan_id))
        db.session.execute(sa.delete(SamplingShortfall))
        db.session.execute(sa.delete(SamplingRun).where(SamplingRun.plan_id == plan_id))
        db.session.commit()


def test_the_same_seed_draws_the_same_interactions_again(app, org):
    for agent in org.agents:
        add_interactions(app, agent, 10)
    plan_id = make_plan(app, org, seed=777)
    run_plan(app, plan_id)
    first = assignments(app, plan_id)
    assert len(first) == 6
    _forget_runs(app, plan_id)
    run_plan(app, plan_id)
    assert assignments(app, plan_id) == first


def test_another_seed_draws_other_interactions(app, org):
    for agent in org.agents:
        add_interactions(app, agent, 10)
    plan_id = make_plan(app, org, seed=1)
    run_plan(app, plan_id)
    first = {row[0] for row in assignments(app, plan_id)}
    _forget_runs(app, plan_id)
    with app.app_context():
        plan = db.session.get(SamplingPlan, plan_id)
        plan.seed = 2
        db.session.commit()
    run_plan(app, plan_id)
    assert {row[0] for row in assignments(app, plan_id)} != first


def test_running_twice_for_the_same_period_assigns_nothing_new(app, org):
    for agent in org.agents:
        add_interactions(app, agent, 5)
    plan_id = make_plan(app, org)
    run_id, is_new, assigned = run_plan(app, plan_id, date(2026, 3, 3))
    assert (is_new, assigned) == (True, 6)
    before = assignments(app, plan_id)
    add_interactions(app, org.agents[0], 3)  # arrivals after the run change nothing
    assert run_plan(app, plan_id, date(2026, 3, 8)) == (run_id, False, 0)
    assert assignments(app, plan_id) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingRun)) == 1


def test_the_next_period_draws_only_interactions_of_that_period(app, org):
    old = set(add_interactions(app, org.agents[0], 4))
    new = set(add_interactions(app, org.agents[0], 4, week=date(2026, 3, 9)))
    plan_id = make_plan(app, org, team_ids=[], agent_ids=[org.agents[0].id])
    run_plan(app, plan_id, WEEK)
    run_plan(app, plan_id, date(2026, 3, 9))
    drawn = [row[0] for row in assignments(app, plan_id)]
    assert len(drawn) == 4 and len(set(drawn) & old) == 2 and len(set(drawn) & new) == 2


def test_evaluated_and_already_assigned_interactions_are_not_drawn(app, org):
    agent = org.agents[0]
    ids = add_interactions(app, agent, 4)
    submit_evaluation(app, ids[0], org.reviewers[0], org.version_id)
    first = make_plan(app, org, team_ids=[], agent_ids=[agent.id], per_agent=2)
    run_plan(app, first)
    taken = {row[0] for row in assignments(app, first)}
    assert ids[0] not in taken
    second = make_plan(app, org, name="Second", team_ids=[], agent_ids=[agent.id], per_agent=3)
    run_plan(app, second)
    rest = {row[0] for row in assignments(app, second)}
    assert rest == set(ids) - {ids[0]} - taken


def test_assignments_are_spread_evenly_and_never_to_the_agent(app, org, make_user):
    for agent in org.agents:
        add_interactions(app, agent, 6)
    third = make_user(Role.ADMIN)
    reviewer_ids = [r.id for r in org.reviewers] + [third.id]
    plan_id = make_plan(app, org, per_agent=4, reviewer_ids=reviewer_ids)
    run_plan(app, plan_id)
    rows = assignments(app, plan_id)
    loads = Counter(reviewer for _, _, reviewer in rows)
    assert len(rows) == 12 and sorted(loads.values()) == [4, 4, 4]
    assert all(agent != reviewer for _, agent, reviewer in rows)


def test_an_agent_who_became_a_reviewer_is_not_sampled_and_reviews_the_others(app, org):
    promoted = org.agents[0]
    add_interactions(app, promoted, 3)
    add_interactions(app, org.agents[1], 3)
    plan_id = make_plan(app, org, team_ids=[org.team_id])
    with app.app_context():
        user = db.session.get(User, promoted.id)
        user.role = Role.REVIEWER  # still in the team, still the agent of old interactions
        plan = db.session.get(SamplingPlan, plan_id)
        plan.reviewers.append(user)
        db.session.commit()
    run_plan(app, plan_id)
    rows = assignments(app, plan_id)
    assert {agent for _, agent, _ in rows} == {org.agents[1].id}
    assert all(agent != reviewer for _, agent, reviewer in rows)


def test_agents_short_of_the_quota_are_recorded_with_the_reason(app, org):
    add_interactions(app, org.agents[0], 5)
    add_interactions(app, org.agents[1], 1)
    plan_id = make_plan(app, org, per_agent=3)
    run_id, _, assigned = run_plan(app, plan_id)
    assert assigned == 4
    with app.app_context():
        rows = db.session.scalars(sa.select(SamplingShortfall).order_by(SamplingShortfall.agent_id))
        found = [(s.agent_id, s.facts.missing, s.facts.reason) for s in rows]
    assert found == [
        (org.agents[1].id, 2, "only 1 interaction in the period"),
        (org.agents[2].id, 3, "no interactions in the period"),
    ]


def test_a_per_channel_quota_draws_per_channel(app, org):
    add_interactions(app, org.agents[0], 4, channel=Channel.CALL)
    add_interactions(app, org.agents[0], 3, channel=Channel.CHAT)
    add_interactions(app, org.agents[0], 3, channel=Channel.EMAIL)
    plan_id = make_plan(
        app, org, team_ids=[], agent_ids=[org.agents[0].id], channel_quotas={"call": 2, "chat": 1}
    )
    run_plan(app, plan_id)
    with app.app_context():
        channels = db.session.scalars(
            sa.select(Assignment).where(Assignment.plan_id == plan_id)
        ).all()
        assert Counter(a.interaction.channel for a in channels) == {
            Channel.CALL: 2,
            Channel.CHAT: 1,
        }
        plan = db.session.get(SamplingPlan, plan_id)
        assert plan.quota_text == "2 calls + 1 chat per agent per week"


def test_only_channels_of_the_scorecard_are_drawn(app, org):
    from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
    from qa_app.scorecards.services import import_doc

    with app.app_context():
        phone = import_doc(
            load_shipped_template(SHIPPED_DIR / "phone.yaml"), None, publish_now=True
        )
        db.session.commit()
        phone_id = phone.scorecard_id
    calls = add_interactions(app, org.agents[0], 1, channel=Channel.CALL)
    add_interactions(app, org.agents[0], 5, channel=Channel.CHAT)
    plan_id = make_plan(app, org, scorecard_id=phone_id, team_ids=[], agent_ids=[org.agents[0].id])
    run_plan(app, plan_id)
    assert [row[0] for row in assignments(app, plan_id)] == calls
    with pytest.raises(services.SamplingError, match="not made for chat"), app.app_context():
        services.save_plan(
            None,
            _input(org, scorecard_id=phone_id, channel_quotas={"chat": 1}),
            db.session.get(User, org.admin.id),
        )


def _input(org, **changes):
    from tests.sampling.conftest import plan_input

    return plan_input(org, **changes)


def test_due_date_is_the_end_of_the_period(app, org):
    add_interactions(app, org.agents[0], 2, week=FUTURE_WEEK)
    plan_id = make_plan(app, org)
    run_plan(app, plan_id, FUTURE_WEEK)
    with app.app_context():
        due = db.session.scalars(sa.select(Assignment.due_at)).all()
    assert set(due) == {datetime.combine(date(2030, 1, 13), time(23, 59, 59), tzinfo=UTC)}


def test_a_paused_plan_or_one_without_reviewers_does_not_run(app, org):
    paused = make_plan(app, org, is_active=False)
    with pytest.raises(services.SamplingError, match="paused"):
        run_plan(app, paused)
    lonely = make_plan(app, org, reviewer_ids=[org.lead.id])  # not a reviewer: dropped
    with pytest.raises(services.SamplingError, match="no active reviewer"):
        run_plan(app, lonely)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SamplingRun)) == 0


def test_the_command_runs_every_active_plan_once_per_period(app, org, runner):
    for agent in org.agents:
        add_interactions(app, agent, 3)
    plan_id = make_plan(app, org)
    make_plan(app, org, name="Paused", is_active=False)
    result = runner.invoke(args=["sampling", "run", "--period", "2026-03-05"])
    assert result.exit_code == 0, result.output
    assert f'Plan {plan_id} "Weekly sample", 2026-03-02 to 2026-03-08: 6 assigned.' in result.output
    assert "Paused" not in result.output
    again = runner.invoke(
        args=["sampling", "run", "--plan", str(plan_id), "--period", "2026-03-02"]
    )
    assert again.exit_code == 0 and "already drawn, nothing new" in again.output
    assert len(assignments(app, plan_id)) == 6


def test_the_command_reports_an_unknown_plan(runner, org):
    result = runner.invoke(args=["sampling", "run", "--plan", "999"])
    assert result.exit_code != 0 and "no sampling plan 999" in result.output


def test_a_run_made_meanwhile_for_the_same_period_wins_and_nothing_is_added(app, org, monkeypatch):
    for agent in org.agents:
        add_interactions(app, agent, 3)
    plan_id = make_plan(app, org)
    run_id, _, _ = run_plan(app, plan_id)
    before = assignments(app, plan_id)
    real, looks = services._run_starting, []

    def late_look(plan, start):  # the first look misses the run, as a concurrent request's would
        looks.append(start)
        return None if len(looks) == 1 else real(plan, start)

    monkeypatch.setattr(services, "_run_starting", late_look)
    assert run_plan(app, plan_id) == (run_id, False, 0)
    assert len(looks) == 2  # the insert hit the unique constraint, and the run was read again
    assert assignments(app, plan_id) == before
