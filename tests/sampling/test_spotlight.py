"""Spotlight plans: a targeted part drawn by signal weights, why each pick was made, hit rates."""

from __future__ import annotations

import re
from random import Random

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation, EvaluationStatus, PickReason
from qa_app.extensions import db
from qa_app.interactions.models import Interaction, InteractionSignal, SignalKind
from qa_app.sampling.models import Assignment, SamplingShortfall
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scoring.sampling import Shortfall, draw_targeted, weighted_draw
from tests.sampling.conftest import WEEK, add_interactions, make_plan, run_plan
from tests.sampling.test_runs import _forget_runs

LOW_CSAT, LONG_WAIT, ESCALATION = SignalKind.LOW_CSAT, SignalKind.LONG_WAIT, SignalKind.ESCALATION
SPOTLIGHT = {
    "per_agent": 2,
    "targeted_per_agent": 1,
    "signal_weights": {"low_csat": 3, "long_wait": 1, "escalation": 0},
}


def test_the_weighted_draw_prefers_heavier_interactions():
    """Over 300 seeds, ids of weight 10 are drawn far more often than ids of weight 1."""
    heavy, light = [1, 2], list(range(3, 21))
    weights = {i: 10.0 for i in heavy} | {i: 1.0 for i in light}
    drawn = [i for seed in range(300) for i in weighted_draw(weights, 2, Random(seed))]
    heavy_rate = sum(i in heavy for i in drawn) / (300 * len(heavy))
    light_rate = sum(i in light for i in drawn) / (300 * len(light))
    assert heavy_rate > 0.35 and heavy_rate > 4 * light_rate  # about 0.49 against 0.06


def test_the_weighted_draw_is_seeded_ignores_order_and_never_draws_weight_zero():
    weights = {5: 1.0, 3: 2.0, 9: 0.0, 1: 4.0}
    first = weighted_draw(weights, 2, Random(7))
    assert first == weighted_draw(dict(reversed(weights.items())), 2, Random(7))
    assert weighted_draw(weights, 10, Random(7)) == [1, 3, 5]
    signals = {10: (1, ["low_csat"]), 11: (1, ["escalation"]), 12: (1, ["low_csat"])}
    picks, short = draw_targeted(9, [1, 2], 2, signals, {"low_csat": 3}, free=[10, 11])
    assert picks == [10]  # 11 weighs 0, 12 is not free, agent 2 has no signal
    assert short == [
        Shortfall(1, None, 2, 1, 3, targeted=True),
        Shortfall(2, None, 2, 0, 0, targeted=True),
    ]


def add_signals(app, signals: dict[int, list[SignalKind]]) -> None:
    """Signal rows as the signals slice would store them."""
    with app.app_context():
        db.session.add_all(
            InteractionSignal(interaction_id=i, kind=kind)
            for i, kinds in signals.items()
            for kind in kinds
        )
        db.session.commit()


def picks(app, plan_id: int) -> list[tuple[int, int, int, str, str]]:
    """(interaction, agent, reviewer, picked, signals) of every assignment of the plan."""
    with app.app_context():
        stmt = (
            sa.select(
                Assignment.interaction_id,
                Interaction.agent_id,
                Assignment.reviewer_id,
                Assignment.picked,
                Assignment.signals,
            )
            .join(Assignment.interaction)
            .where(Assignment.plan_id == plan_id)
            .order_by(Assignment.interaction_id)
        )
        return [(i, a, r, p.value, s) for i, a, r, p, s in db.session.execute(stmt)]


@pytest.fixture
def spotlit(app, org) -> dict[str, list[int]]:
    """Eight interactions per agent; the first two agents' first four carry signals."""
    ids = {agent.id: add_interactions(app, agent, 8) for agent in org.agents}
    signals = {}
    for agent in org.agents[:2]:
        first = ids[agent.id]
        signals |= {first[0]: [LOW_CSAT], first[1]: [LOW_CSAT, LONG_WAIT], first[2]: [LONG_WAIT]}
        signals[first[3]] = [ESCALATION]  # weighs 0 in the plan: never a reason
    add_signals(app, signals)
    return {"signalled": [i for agent in org.agents[:2] for i in ids[agent.id][:3]]}


def test_two_random_and_one_targeted_per_agent_are_drawn_reproducibly(app, org, spotlit):
    plan_id = make_plan(app, org, **SPOTLIGHT)
    run_plan(app, plan_id)
    first = picks(app, plan_id)
    for agent in org.agents:
        mine = [p for p in first if p[1] == agent.id]
        wanted = ["random", "random"] + (["targeted"] if agent != org.agents[2] else [])
        assert sorted(p[3] for p in mine) == wanted
    for interaction_id, _agent, _reviewer, picked, signals in first:
        if picked == "targeted":
            assert interaction_id in spotlit["signalled"]
            assert signals in {"low_csat", "low_csat long_wait", "long_wait"}  # heaviest first
        else:
            assert signals == ""
    with app.app_context():
        short = db.session.scalars(sa.select(SamplingShortfall)).all()
        assert [(s.agent_id, s.is_targeted, s.in_period) for s in short] == [
            (org.agents[2].id, True, 0)
        ]
        assert short[0].reason == "By signals: no interactions with a signal in the period"
    _forget_runs(app, plan_id)
    run_plan(app, plan_id)
    assert picks(app, plan_id) == first


def test_a_plan_without_a_targeted_part_draws_only_at_random(app, org, spotlit):
    plan_id = make_plan(app, org, signal_weights={"low_csat": 3})
    run_plan(app, plan_id)
    assert {(p[3], p[4]) for p in picks(app, plan_id)} == {("random", "")}
    assert len(picks(app, plan_id)) == 6


def test_the_queue_shows_why_each_interaction_was_picked(app, org, spotlit, login_as):
    plan_id = make_plan(app, org, reviewer_ids=[org.reviewers[0].id], **SPOTLIGHT)
    run_plan(app, plan_id)
    page = login_as(user=org.reviewers[0]).get("/sampling/queue").get_data(as_text=True)
    chips = re.findall(r'<span class="badge[^"]*">([^<]*)</span>', page)
    named = {"low_csat": "Low CSAT", "long_wait": "Long wait"}
    targeted = [p[4].split() for p in picks(app, plan_id) if p[3] == "targeted"]
    assert len(targeted) == 2
    wanted = ["Spotlight: " + ", ".join(named[k] for k in kinds) for kinds in targeted]
    assert sorted(c for c in chips if c.startswith("Spotlight")) == sorted(wanted)
    assert chips.count("Random") == 6


def _evaluate(client, app, org, interaction_id: int, value: int, **extra: str) -> Evaluation:
    """Submit an evaluation through the scoring page, every criterion at the value."""
    with app.app_context():
        version = db.session.get(ScorecardVersion, org.version_id)
        data = {f"score_{c.id}": str(value) for c in version.ordered_criteria}
    data |= {"action": "submit", "strengths": "", "improvements": "", **extra}
    url = f"/evaluations/new?interaction={interaction_id}&scorecard={org.version_id}"
    assert client.submit(url, data, token_from="/").status_code == 302
    with app.app_context():
        stmt = sa.select(Evaluation).where(Evaluation.interaction_id == interaction_id)
        found = db.session.scalars(stmt.order_by(Evaluation.id.desc())).first()
        db.session.expunge(found)
        return found


def test_an_evaluation_takes_its_picked_reason_from_the_assignment_not_the_form(
    app, org, spotlit, login_as
):
    plan_id = make_plan(app, org, reviewer_ids=[org.reviewers[0].id], **SPOTLIGHT)
    run_plan(app, plan_id)
    drawn = {p[3]: p[0] for p in picks(app, plan_id)}  # one of each kind
    assigned = login_as(user=org.reviewers[0])
    targeted = _evaluate(assigned, app, org, drawn["targeted"], 5, picked="random")
    randomly = _evaluate(assigned, app, org, drawn["random"], 5, picked="targeted")
    assert (targeted.picked, randomly.picked) == (PickReason.TARGETED, PickReason.RANDOM)
    other = login_as(user=org.reviewers[1])  # not assigned to them: chosen by hand
    by_hand = _evaluate(other, app, org, drawn["targeted"], 5, picked="targeted")
    assert by_hand.picked == PickReason.HAND
    with app.app_context():  # calibration scores stay "hand" even on an assigned interaction
        interaction = db.session.get(Interaction, drawn["random"])
        version = db.session.get(ScorecardVersion, org.version_id)
        reviewer = db.session.get(User, org.reviewers[0].id)
        blind = evaluations.start(interaction, version, reviewer, calibration_session_id=1)
        assert blind.picked == PickReason.HAND


def _page_figures(page: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', page, re.S)
    assert row is not None, row_id
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(1))


def _raw_hits(app) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """The hit rates computed again from every row, without the page's query."""
    with app.app_context():
        evaluated = db.session.scalars(
            sa.select(Evaluation).where(
                Evaluation.status == EvaluationStatus.SUBMITTED,
                Evaluation.is_calibration.is_(False),
            )
        ).all()
        by_pair: dict[tuple[int, int], list[bool]] = {}
        for e in evaluated:
            failed = e.is_critical_fail or e.score < e.scorecard_version.pass_mark
            by_pair.setdefault((e.interaction_id, e.reviewer_id), []).append(failed)
        per_kind = {kind.value: [0, 0] for kind in SignalKind}
        random = [0, 0]
        for a in db.session.scalars(sa.select(Assignment)).all():
            found = by_pair.get((a.interaction_id, a.reviewer_id))
            if found is None:
                continue
            counters = [per_kind[k] for k in a.signals.split()] if a.signals else [random]
            for counter in counters:
                counter[0] += 1
                counter[1] += any(found)
        return {k: tuple(v) for k, v in per_kind.items()}, tuple(random)


def test_the_hit_rate_page_matches_a_raw_computation(app, org, spotlit, login_as):
    plan_id = make_plan(app, org, reviewer_ids=[org.reviewers[0].id], **SPOTLIGHT)
    run_plan(app, plan_id)
    reviewer, other = login_as(user=org.reviewers[0]), login_as(user=org.reviewers[1])
    drawn = picks(app, plan_id)
    for n, (interaction_id, *_rest) in enumerate(drawn[:-1]):  # the last one stays open
        _evaluate(reviewer, app, org, interaction_id, 2 if n % 3 == 0 else 5)
    _evaluate(other, app, org, drawn[-1][0], 1)  # not the assigned reviewer: not counted
    with app.app_context():  # a critical fail with a passing score is a problem too
        evaluation = db.session.scalars(
            sa.select(Evaluation).where(Evaluation.score >= 80).order_by(Evaluation.id)
        ).first()
        evaluation.is_critical_fail = True
        db.session.commit()
    per_kind, random = _raw_hits(app)
    assert random[0] >= 4 and sum(v[0] for v in per_kind.values()) >= 2
    url = f"/sampling/hit-rate?from={WEEK.isoformat()}&to=2026-03-08"
    page = login_as(user=org.admin).get(url).get_data(as_text=True)
    random_rate = f"{100 * random[1] / random[0]:.1f}%"
    for kind, (evaluated, problems) in per_kind.items():
        rate = f"{100 * problems / evaluated:.1f}%" if evaluated else "—"
        wanted = [str(evaluated), str(problems), rate, random_rate]
        assert _page_figures(page, f"signal-{kind}") == wanted, kind
    assert f"{random[1]} problems in {random[0]} evaluated ({random_rate})" in page
    earlier = login_as(user=org.admin).get("/sampling/hit-rate?from=2020-01-01&to=2020-02-01")
    assert _page_figures(earlier.get_data(as_text=True), "signal-low_csat")[:2] == ["0", "0"]


def test_the_plan_form_saves_the_targeted_part_and_its_weights(app, org, login_as):
    admin = login_as(user=org.admin)
    page = admin.get("/sampling/plans/new").get_data(as_text=True)
    assert 'name="weight_low_csat"' in page and "Low CSAT" in page
    data = {
        "name": "Spotlight",
        "team_ids": [str(org.team_id)],
        "period": "week",
        "per_agent": "2",
        "targeted_per_agent": "1",
        "scorecard_id": str(org.scorecard_id),
        "reviewer_ids": [str(org.reviewers[0].id)],
        "is_active": "y",
        "seed": "5",
        **{f"weight_{kind.value}": "0" for kind in SignalKind},  # a missing one takes its default
    }
    refused = admin.submit("/sampling/plans/new", data, token_from="/").get_data(as_text=True)
    assert "Give at least one signal a weight above 0" in refused
    data |= {"weight_low_csat": "4", "weight_long_wait": "1"}
    assert admin.submit("/sampling/plans/new", data, token_from="/").status_code == 302
    with app.app_context():
        from qa_app.sampling.models import SamplingPlan

        plan = db.session.scalar(sa.select(SamplingPlan))
        assert (plan.targeted_per_agent, plan.weights) == (1, {"low_csat": 4, "long_wait": 1})
        assert plan.quota_text == "2 interactions + 1 by signals per agent per week"
