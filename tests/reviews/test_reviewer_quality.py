"""Reviewing the reviewers through the pages: reviews, quality, drift, disputes and access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role, User
from qa_app.disputes import services as disputes
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.reviews import queries, services
from qa_app.reviews.models import EvaluationReview
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import choose_language
from tests.snapshots import kept


@dataclass
class World:
    """Who is who, and each submitted evaluation as (reviewer id, month, points by criterion)."""

    users: dict[str, User]
    version_id: int
    criteria: list[int]
    ids: dict[str, int] = field(default_factory=dict)
    points: dict[int, tuple[int, str, list[int]]] = field(default_factory=dict)


def _months() -> tuple[datetime, datetime]:
    """Noon on the 2nd of last month and of this month (UTC): both inside the drift window."""
    this = datetime.now(UTC).replace(day=2, hour=12, minute=0, second=0, microsecond=0)
    return (this - timedelta(days=5)).replace(day=2), this


def _lonely_month() -> datetime:
    """Noon on the 2nd of the month before last: only r1 scores then, so it has no drift."""
    last, _ = _months()
    return (last - timedelta(days=5)).replace(day=2)


def _evaluate(world, interaction_id, name, who, points, *, submit=True) -> None:
    """An evaluation through the service; its points are remembered for the raw computation."""
    reviewer = db.session.get(User, world.users[who].id)
    version = db.session.get(ScorecardVersion, world.version_id)
    evaluation = evaluations.start(db.session.get(Interaction, interaction_id), version, reviewer)
    values = {
        cid: evaluations.CriterionInput(point, False, "")
        for cid, point in zip(world.criteria, points, strict=True)
    }
    data = evaluations.EvaluationInput(values, "", "")
    evaluations.save(evaluation, data, reviewer, submit=submit, lock_version=None)
    db.session.flush()
    world.ids[name] = evaluation.id
    if submit:
        world.points[evaluation.id] = (reviewer.id, "", list(points))


def _dispute(world, name, decider, adjust=None) -> None:
    """The agent disputes; the decider upholds, or with adjust changes one point; None: open."""
    evaluation = db.session.get(Evaluation, world.ids[name])
    agent = db.session.get(User, world.users["agent"].id)
    dispute = disputes.raise_dispute(evaluation, agent, "I disagree", [])
    if decider is None:
        return
    changes = {}
    if adjust is not None:
        index, point = adjust
        changes[world.criteria[index]] = evaluations.CriterionInput(point, False, "")
        world.points[evaluation.id][2][index] = point
    actor = db.session.get(User, world.users[decider].id)
    disputes.resolve(dispute, actor, "Decided", changes)


@pytest.fixture
def world(app, make_user, make_team, make_interaction, made, config_overrides) -> World:
    """Two months of evaluations by five scorers, disputes, a draft (made once per test process:
    tests/snapshots.py)."""
    build = partial(_world, app, make_user, make_team, make_interaction)
    # Its dates follow today's month: a run that passes into the next month builds it again.
    name = f"reviewer-quality-world-{_months()[1]:%Y-%m}"
    return kept(app, name, build, made, config_overrides)


def _world(app, make_user, make_team, make_interaction) -> World:
    lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    users = {
        "agent": make_user(Role.AGENT, team=team),
        "lead": lead,
        "r1": make_user(Role.REVIEWER, name="Reviewer One"),
        "r2": make_user(Role.REVIEWER, name="Reviewer Two"),
        "senior": make_user(Role.REVIEWER, name="Senior Reviewer"),
        "admin": make_user(Role.ADMIN),
    }
    interactions = {
        name: make_interaction(users["agent"], external_id=f"INT-{name}").id
        for name in ("a1", "a2", "b1", "b2", "b3", "s1", "ad1", "c1", "draft")
    }
    last, this = _months()
    with app.app_context():
        accounts.set_senior_reviewer(db.session.get(User, users["senior"].id), True)
        doc = load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml")
        version = import_doc(doc, None, publish_now=True)
        criteria = [c.id for c in version.ordered_criteria]
        seeded = World(users, version.id, criteria)
        n = len(criteria)
        plan = [
            ("a1", "r1", [5] * n, last),
            ("a2", "r2", [3] * n, last),
            ("b1", "r1", [4] * n, this),
            ("b2", "r1", [4] * n, this),
            ("b3", "r2", [1] * n, this),
            ("s1", "senior", [4] * n, this),
            ("ad1", "admin", [3] * n, this),
            ("c1", "r1", [2] * n, _lonely_month()),
        ]
        for name, who, points, _ in plan:
            _evaluate(seeded, interactions[name], name, who, points)
        _evaluate(seeded, interactions["draft"], "draft", "r1", [1] * n, submit=False)
        _dispute(seeded, "b1", "r2")  # upheld: the evaluation stands
        _dispute(seeded, "b2", "admin", adjust=(0, 2))  # adjusted: against r1
        _dispute(seeded, "a2", None)  # open, on r2's evaluation
        for name, _who, _, at in plan:  # back-dated after the disputes, which have a window
            db.session.get(Evaluation, seeded.ids[name]).submitted_at = at
            reviewer, _, points = seeded.points[seeded.ids[name]]
            seeded.points[seeded.ids[name]] = (reviewer, f"{at:%Y-%m}", points)
        db.session.commit()
    return seeded


def raw_drift(world: World, reviewer_id: int) -> dict[str, tuple[float, int, int]]:
    """The drift written out again from the seeded points: month -> (drift, evaluations, points)."""
    found = {}
    for month in sorted({month for _, month, _ in world.points.values()}):
        gaps, evaluated = [], set()
        for index in range(len(world.criteria)):
            cell = [
                (reviewer, evaluation_id, points[index])
                for evaluation_id, (reviewer, seen, points) in world.points.items()
                if seen == month
            ]
            if len({reviewer for reviewer, _, _ in cell}) < 2:
                continue
            mean = sum(point for _, _, point in cell) / len(cell)
            for reviewer, evaluation_id, point in cell:
                if reviewer == reviewer_id:
                    gaps.append(point - mean)
                    evaluated.add(evaluation_id)
        if gaps:
            found[month] = (sum(gaps) / len(gaps), len(evaluated), len(gaps))
    return found


def test_drift_equals_the_raw_computation(app, world, login_as):
    r1 = world.users["r1"]
    last, this = _months()
    raw = raw_drift(world, r1.id)
    # By hand: last month r1 gave 5s and r2 3s, so every cell's mean is 4 and r1 sits 1 above.
    n = len(world.criteria)
    assert f"{_lonely_month():%Y-%m}" not in raw
    assert raw[f"{last:%Y-%m}"] == (1.0, 1, n)
    # This month the cells hold 4, 4 (r1), 1 (r2), 4 (senior), 3 (admin): mean 3.2, r1 +0.8;
    # but the dispute moved r1's first point of b2 to 2, so that cell's mean is 2.8.
    hand = (1.2 - 0.8 + 0.8 * 2 * (n - 1)) / (2 * n)
    assert raw[f"{this:%Y-%m}"] == (pytest.approx(hand), 2, 2 * n)
    with app.app_context():
        shown = queries.quality(db.session.get(User, r1.id)).drift
    assert [d.month for d in shown] == sorted(raw)
    for d in shown:
        drift, evaluated, points = raw[d.month]
        assert (d.drift, d.evaluations, d.points) == (pytest.approx(drift), evaluated, points)
    assert [d.month for d in shown] == [f"{last:%Y-%m}", f"{this:%Y-%m}"]
    page = login_as(user=world.users["senior"]).get(f"/reviewers/{r1.id}/quality")
    assert page.status_code == 200
    assert "+1.00" in page.get_data(as_text=True)


def test_review_through_the_page_gives_the_quality_score(app, world, login_as):
    client = login_as(user=world.users["senior"])
    first, second, *rest = world.criteria
    form = {f"verdict_{cid}": "agree" for cid in rest}
    form |= {f"verdict_{first}": "too_high", f"verdict_{second}": "too_low"}
    path = f"/evaluations/{world.ids['a1']}/review"
    assert "Review this evaluation" in client.get(path).get_data(as_text=True)
    response = client.submit(path, {**form, f"comment_{first}": "Generous", "comment": "Fine"})
    assert response.status_code == 302
    with app.app_context():
        quality = queries.quality(db.session.get(User, world.users["r1"].id))
    assert quality.reviewed_points == len(world.criteria)
    assert quality.quality_score == pytest.approx(100 * len(rest) / len(world.criteria))
    own_page = login_as(user=world.users["r1"]).get(f"/reviewers/{world.users['r1'].id}/quality")
    assert "Generous" in own_page.get_data(as_text=True)  # the reviewed reviewer reads the review
    again = client.submit(path, form)
    assert again.status_code == 409
    assert "already been reviewed" in again.get_data(as_text=True)


def test_a_review_needs_a_verdict_on_every_scored_criterion(app, world, login_as):
    client = login_as(user=world.users["admin"])
    response = client.submit(f"/evaluations/{world.ids['a1']}/review", {"comment": "Hm"})
    assert response.status_code == 200
    assert "Give a verdict on" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(EvaluationReview.id))) == 0


def test_dispute_rate_and_share_against_match_the_raw_counts(app, world):
    with app.app_context():
        r1 = queries.quality(db.session.get(User, world.users["r1"].id))
        r2 = queries.quality(db.session.get(User, world.users["r2"].id))
    # r1: a1, b1, b2, c1 submitted; b1 upheld (stands), b2 adjusted (against r1).
    assert (r1.evaluations, r1.disputes, r1.decided, r1.adjusted) == (4, 2, 2, 1)
    assert r1.dispute_rate == pytest.approx(50.0)
    assert r1.against_share == pytest.approx(50.0)
    # r2: a2 with an open dispute, b3 without; nothing decided yet.
    assert (r2.evaluations, r2.disputes, r2.decided, r2.against_share) == (2, 1, 0, None)


@pytest.mark.parametrize("who", ["senior", "admin"])
def test_nobody_reviews_their_own_evaluation(app, world, login_as, who):
    client = login_as(user=world.users[who])
    own = world.ids["s1" if who == "senior" else "ad1"]
    for response in (
        client.get(f"/evaluations/{own}/review"),
        client.submit(f"/evaluations/{own}/review", {}),
    ):
        assert response.status_code == 409
        assert "You cannot review your own evaluation." in response.get_data(as_text=True)
    listed = client.get("/reviews").get_data(as_text=True)
    assert f"INT-{'s1' if who == 'senior' else 'ad1'}" not in listed
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(EvaluationReview.id))) == 0


def test_the_list_holds_unreviewed_evaluations_of_others_and_filters_by_reviewer(
    app, world, login_as
):
    client = login_as(user=world.users["senior"])
    page = client.get("/reviews").get_data(as_text=True)
    for name in ("a1", "a2", "b1", "b2", "b3", "ad1"):
        assert f"INT-{name}" in page
    assert "INT-s1" not in page and "INT-draft" not in page
    filtered = client.get(f"/reviews?reviewer={world.users['r2'].id}").get_data(as_text=True)
    assert "INT-a2" in filtered and "INT-b3" in filtered and "INT-a1" not in filtered
    assert client.get("/reviews?reviewer=99999999999").status_code == 200


def test_calibration_evaluations_are_not_reviewed(app, world):
    with app.app_context():
        evaluation = db.session.get(Evaluation, world.ids["b3"])
        evaluation.is_calibration = True
        db.session.commit()
        senior = db.session.get(User, world.users["senior"].id)
        assert services.review_refusal(evaluation, senior) == (
            "Calibration evaluations are not reviewed."
        )
        assert evaluation not in queries.to_review(senior, None)


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_agents_and_leads_get_403(world, login_as, role):
    client = login_as(user=world.users[role])
    r1 = world.users["r1"].id
    for path in (
        "/reviews",
        "/reviewers",
        f"/reviewers/{r1}/quality",
        f"/evaluations/{world.ids['a1']}/review",
    ):
        assert client.get(path).status_code == 403, path


def test_a_plain_reviewer_sees_only_their_own_quality_page(world, login_as):
    client = login_as(user=world.users["r1"])
    own = client.get(f"/reviewers/{world.users['r1'].id}/quality")
    assert own.status_code == 200 and "Reviewer One" in own.get_data(as_text=True)
    other = client.get(f"/reviewers/{world.users['r2'].id}/quality")
    assert other.status_code == 404 and "Reviewer Two" not in other.get_data(as_text=True)
    assert (
        client.get("/reviewers")
        .headers["Location"]
        .endswith(f"/reviewers/{world.users['r1'].id}/quality")
    )
    assert client.get("/reviews").status_code == 403
    assert client.get(f"/evaluations/{world.ids['a2']}/review").status_code == 403


def test_guessed_ids_and_non_reviewers_give_404(world, login_as):
    client = login_as(user=world.users["senior"])
    for user_id in (world.users["agent"].id, world.users["lead"].id, 0, 999_999):
        assert client.get(f"/reviewers/{user_id}/quality").status_code == 404
    assert client.get("/evaluations/999999/review").status_code == 404


def test_an_admin_makes_a_reviewer_senior_on_the_user_form(app, world, login_as):
    admin = login_as(user=world.users["admin"])
    r2 = world.users["r2"]
    response = admin.submit(
        f"/admin/users/{r2.id}",
        {
            "email": r2.email,
            "display_name": r2.display_name,
            "role": "reviewer",
            "is_active": "y",
            "is_senior_reviewer": "y",
        },
    )
    assert response.status_code == 302
    client = login_as(user=r2)
    assert client.get(f"/evaluations/{world.ids['a1']}/review").status_code == 200
    assert client.get(f"/reviewers/{world.users['r1'].id}/quality").status_code == 200


def test_the_evaluation_page_offers_the_review_to_those_allowed(world, login_as):
    path = f"/evaluations/{world.ids['a1']}"
    button = "Review this evaluation"
    assert button in login_as(user=world.users["senior"]).get(path).get_data(as_text=True)
    assert button not in login_as(user=world.users["r2"]).get(path).get_data(as_text=True)
    own = f"/evaluations/{world.ids['s1']}"
    assert button not in login_as(user=world.users["senior"]).get(own).get_data(as_text=True)


def test_the_quality_page_speaks_hungarian(app, world, login_as):
    choose_language(app, world.users["senior"].id)
    page = login_as(user=world.users["senior"]).get(f"/reviewers/{world.users['r1'].id}/quality")
    text = page.get_data(as_text=True)
    assert "Értékelői minőség" in text and "Eltérés a többi értékelőtől" in text
    assert "+1,00" in text  # the drift in Hungarian notation
