"""A small organisation with a published scorecard and an interaction to evaluate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import pytest

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.snapshots import kept


@dataclass
class Org:
    agent: User
    other_agent: User
    lead: User
    other_lead: User
    reviewer: User
    second_reviewer: User
    version_id: int
    criteria: list[dict]
    interaction_id: int
    other_interaction_id: int


def make_interaction(agent_id: int, external_id: str, channel: Channel = Channel.CALL) -> int:
    interaction = Interaction(
        external_id=external_id,
        channel=channel,
        agent_id=agent_id,
        occurred_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        transcript_turns=[
            {"speaker": "Customer", "text": "Γεια σας, my bill is wrong.", "at": "00:01"},
            {"speaker": "Agent", "text": "Köszönöm, let me check.\nOne moment.", "at": "00:05"},
        ],
        csat=4,
    )
    db.session.add(interaction)
    db.session.flush()
    return interaction.id


@pytest.fixture
def org(app, make_user, make_team, made, config_overrides) -> Org:
    """Made once per test process (tests/snapshots.py)."""
    build = partial(_org, app, make_user, make_team)
    return kept(app, "evaluations-org", build, made, config_overrides)


def _org(app, make_user, make_team) -> Org:
    lead = make_user(Role.LEAD)
    other_lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    other_team = make_team("Technical", lead=other_lead)
    agent = make_user(Role.AGENT, team=team, name="Maria Ionescu")
    other_agent = make_user(Role.AGENT, team=other_team)
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "phone.yaml"), None, publish_now=True
        )
        criteria = [
            {
                "id": c.id,
                "name": c.name,
                "weight": float(c.weight),
                "critical": c.is_critical,
                "allow_na": c.allow_na,
            }
            for c in version.ordered_criteria
        ]
        interaction_id = make_interaction(agent.id, "CALL-1001")
        other_id = make_interaction(other_agent.id, "CALL-2002")
        db.session.commit()
        version_id = version.id
    return Org(
        agent=agent,
        other_agent=other_agent,
        lead=lead,
        other_lead=other_lead,
        reviewer=make_user(Role.REVIEWER, name="Dimitris P."),
        second_reviewer=make_user(Role.REVIEWER),
        version_id=version_id,
        criteria=criteria,
        interaction_id=interaction_id,
        other_interaction_id=other_id,
    )


def form_values(org: Org, values: list[int | str | None], comment: str = "") -> dict[str, str]:
    """Form data for the scoring page: one value per criterion ("na" for N/A, None to skip)."""
    data = {}
    for criterion, value in zip(org.criteria, values, strict=True):
        if value is not None:
            data[f"score_{criterion['id']}"] = str(value)
        data[f"comment_{criterion['id']}"] = comment
    return data


def expected_score(org: Org, values: list[int | str]) -> float | None:
    """The product's scoring rules, written out again independently of qa_app.scoring."""
    weighted, weights = 0.0, 0.0
    for criterion, value in zip(org.criteria, values, strict=True):
        if value == "na":
            continue
        if criterion["critical"] and value <= 2:
            return 0.0
        weighted += criterion["weight"] * (value - 1) * 25
        weights += criterion["weight"]
    return None if weights == 0 else round(weighted / weights + 1e-9, 2)


def version_of(app, version_id: int) -> ScorecardVersion:
    with app.app_context():
        return db.session.get(ScorecardVersion, version_id)
