"""A seeded organisation with evaluations made through the services, for the result tests."""

from __future__ import annotations

import random
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, User
from qa_app.evaluations import services
from qa_app.evaluations.models import Evaluation, EvaluationStatus, PickReason
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.results.tracking import suspended
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.snapshots import kept

START = datetime(2026, 9, 7, 8, 0, tzinfo=UTC)  # a Monday


@dataclass
class Seeded:
    team_ids: list[int]
    lead_ids: list[int]
    agent_ids: list[int]
    reviewer_id: int
    version_ids: dict[str, int] = field(default_factory=dict)


def _values(version: ScorecardVersion, rng: random.Random) -> dict[int, services.CriterionInput]:
    values = {}
    for criterion in version.ordered_criteria:
        if criterion.allow_na and rng.random() < 0.3:
            values[criterion.id] = services.CriterionInput(None, True, "")
        else:
            low = 1 if rng.random() < 0.15 else 2
            values[criterion.id] = services.CriterionInput(
                rng.randint(low, 5), False, f"note {rng.random():.3f}"
            )
    return values


def evaluate(
    interaction: Interaction,
    version: ScorecardVersion,
    reviewer: User,
    rng: random.Random,
    submit: bool = True,
):
    evaluation = services.start(interaction, version, reviewer)
    data = services.EvaluationInput(_values(version, rng), "strong", "weak")
    services.save(evaluation, data, reviewer, submit=submit, lock_version=None)
    return evaluation


@pytest.fixture
def seed_through_hooks() -> bool:
    """Whether `seeded` keeps the result aggregates by the session hook on every flush (what the
    aggregate tests check) or builds them once at the end (the same rows, three seconds sooner
    for each of the many tests that only read them)."""
    return False


@pytest.fixture
def seeded(app, make_user, make_team, seed_through_hooks, made, config_overrides) -> Seeded:
    """Two teams of three agents, eight weeks of evaluations on two scorecards, a draft or two.

    Made once per test process and kind (through the hooks or not), then copied back
    (tests/snapshots.py): the rows are the ones the hooks, or the rebuild, made the first time."""
    name = "seeded-through-hooks" if seed_through_hooks else "seeded"
    build = partial(seed_organisation, app, make_user, make_team, seed_through_hooks)
    return kept(app, name, build, made, config_overrides)


def seed_organisation(app, make_user, make_team, seed_through_hooks) -> Seeded:
    rng = random.Random(20261123)
    leads = [make_user(Role.LEAD), make_user(Role.LEAD)]
    teams = [make_team("North", lead=leads[0]), make_team("South", lead=leads[1])]
    agents = [make_user(Role.AGENT, team=teams[n // 3]) for n in range(6)]
    reviewer = make_user(Role.REVIEWER)
    result = Seeded(
        [t.id for t in teams], [u.id for u in leads], [a.id for a in agents], reviewer.id
    )
    with app.app_context():
        versions = {
            "call": import_doc(
                load_shipped_template(SHIPPED_DIR / "phone.yaml"), None, publish_now=True
            ),
            "chat": import_doc(
                load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
            ),
        }
        reviewer_row = db.session.get(User, reviewer.id)
        with nullcontext() if seed_through_hooks else suspended(db.session):
            _seed_weeks(versions, agents, reviewer_row, rng)
        db.session.commit()
        result.version_ids = {k: v.id for k, v in versions.items()}
    return result


def _seed_weeks(versions, agents, reviewer_row, rng) -> None:
    n = 0
    for week in range(8):
        for agent in agents:
            for _ in range(rng.randint(0, 3)):
                n += 1
                channel = rng.choice(["call", "chat"])
                interaction = Interaction(
                    external_id=f"R-{n}",
                    channel=Channel(channel),
                    agent_id=agent.id,
                    occurred_at=START
                    + timedelta(weeks=week, days=rng.randint(0, 6), hours=rng.randint(0, 10)),
                    csat=rng.choice([None, 1, 2, 3, 4, 5]),
                    nps=rng.choice([None, 0, 5, 7, 8, 9, 10]),
                    ces=rng.choice([None, 1, 3, 7]),
                    first_contact_resolved=rng.choice([None, True, False]),
                    handle_seconds=rng.choice([None, 120, 300, 451]),
                )
                db.session.add(interaction)
                evaluate(
                    interaction, versions[channel], reviewer_row, rng, submit=rng.random() > 0.1
                )


PICKS = [PickReason.RANDOM, PickReason.TARGETED, PickReason.HAND]


def mark_picks(app) -> None:
    """Every submitted evaluation gets a pick by its id: random, targeted, by hand, in turn."""
    with app.app_context():
        stmt = sa.select(Evaluation).where(Evaluation.status == EvaluationStatus.SUBMITTED)
        for evaluation in db.session.scalars(stmt):
            evaluation.picked = PICKS[evaluation.id % 3]
        db.session.commit()


@pytest.fixture
def mixed(app, seeded) -> Seeded:
    """The seeded organisation with evaluations of all three picks (changed after submitting)."""
    mark_picks(app)
    return seeded
