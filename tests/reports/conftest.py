"""The seeded organisation, plus what a report must survive: hostile text, disputes, a plan."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial

import pytest

from qa_app.accounts.models import Team, User
from qa_app.disputes import services as disputes
from qa_app.evaluations import services
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.plans.services import GoalInput, save_plan
from qa_app.scorecards.models import ScorecardVersion
from tests.results.conftest import (  # noqa: F401  (the fixtures, for these tests)
    Seeded,
    seed_organisation,
    seed_through_hooks,
)
from tests.snapshots import kept

AGENT_NAME = "=1+2 Ελένη"  # an admin may type anything as a display name
TEAM_NAME = "North & Co"
# (strengths, areas to improve) of four evaluations of the first agent; what the cell must hold.
HOSTILE = [
    ('=HYPERLINK("http://x","y")', "+1"),
    ("-2", "@SUM(A1)"),
    ("#N/A", "\tTabbed"),
    ("Bell\x07 rings: 日本語 עברית Ελληνικά", "\r=1+1"),
]
CLEANED = {"Bell\x07 rings: 日本語 עברית Ελληνικά": "Bell rings: 日本語 עברית Ελληνικά"}
COMMENT = "@SUM(A1) \x0bvertical tab"
RESOLUTION = "-Upheld: the score stands"
ACTIONS = "=Practise the greeting"


@dataclass
class World:
    seeded: Seeded
    agent_id: int
    lead_id: int
    plan_id: int
    goal_keys: list[str]


def _hostile_evaluations(version: ScorecardVersion, agent: User, reviewer: User) -> list:
    made = []
    for n, (strengths, improvements) in enumerate(HOSTILE):
        interaction = Interaction(
            external_id=f"HOSTILE-{n}",
            channel=Channel.CHAT,
            agent_id=agent.id,
            occurred_at=datetime(2026, 10, 13, 9 + n, 0, tzinfo=UTC),
            csat=5,
            handle_seconds=300,
        )
        db.session.add(interaction)
        evaluation = services.start(interaction, version, reviewer)
        values = {
            c.id: services.CriterionInput(3 + n % 3, False, COMMENT if i == 0 else "")
            for i, c in enumerate(version.ordered_criteria)
        }
        data = services.EvaluationInput(values, strengths, improvements)
        services.save(evaluation, data, reviewer, submit=True, lock_version=None)
        made.append(evaluation)
    return made


def _plan(agent: User, lead: User, version: ScorecardVersion) -> tuple[int, list[str]]:
    first, second = version.ordered_criteria[:2]
    plan = save_plan(
        None,
        agent,
        lead,
        title="Warmer openings",
        starts_on=date(2026, 9, 14),
        due_on=date(2026, 10, 25),
        goals=[
            GoalInput(first.key, first.name, Decimal("1.00"), ACTIONS),
            GoalInput(second.key, second.name, Decimal("5.00"), "Listen to two calls"),
        ],
    )
    return plan.id, [first.key, second.key]


@pytest.fixture
def world(app, make_user, make_team, seed_through_hooks, made, config_overrides) -> World:  # noqa: F811
    """The seeded organisation, where agent 0 gets a hostile name and four hostile evaluations,
    two disputes and a plan (made once per test process and kind: tests/snapshots.py)."""
    name = "reports-world-through-hooks" if seed_through_hooks else "reports-world"
    seed = partial(seed_organisation, app, make_user, make_team, seed_through_hooks)
    return kept(app, name, partial(_world, app, seed), made, config_overrides)


def _world(app, seed: Callable[[], Seeded]) -> World:
    seeded = seed()
    with app.app_context():
        agent = db.session.get(User, seeded.agent_ids[0])
        lead = db.session.get(User, seeded.lead_ids[0])
        reviewer = db.session.get(User, seeded.reviewer_id)
        version = db.session.get(ScorecardVersion, seeded.version_ids["chat"])
        agent.display_name = AGENT_NAME
        db.session.get(Team, seeded.team_ids[0]).name = TEAM_NAME
        made = _hostile_evaluations(version, agent, reviewer)
        settled = disputes.raise_dispute(made[0], agent, "I disagree", [])
        disputes.resolve(settled, lead, RESOLUTION, {})
        disputes.raise_dispute(made[1], agent, "Please look again", [])
        plan_id, keys = _plan(agent, lead, version)
        db.session.commit()
    return World(seeded, seeded.agent_ids[0], seeded.lead_ids[0], plan_id, keys)


def user(app, user_id: int) -> User:
    with app.app_context():
        found = db.session.get(User, user_id)
        db.session.expunge(found)
        return found
