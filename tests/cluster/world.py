"""The data the cluster test starts from, written straight into the database, and what it reads
back at the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from config import DevelopmentConfig
from qa_app import create_app
from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.results.aggregates import rebuild
from qa_app.results.models import (
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentDayStats,
    AgentMonthStats,
    AgentWeekStats,
    OrganisationDayStats,
    OrganisationWeekStats,
    TeamDayStats,
    TeamMonthStats,
    TeamWeekInteractionStats,
    TeamWeekStats,
)
from qa_app.sampling import services as sampling
from qa_app.sampling.models import Period
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc

PASSWORD = "Correct-Horse-Battery-42"
SAMPLED_WEEK = date(2026, 3, 2)  # a Monday
EVALUATED_DAY = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)  # one bucket for every evaluation
# the daily tables, and the week and month rows (the organisation's week and the team's too)
# that two servers' submissions of the same week sum again in turn
AGGREGATES = (
    AgentDayStats,
    AgentDayCriterionStats,
    AgentDayInteractionStats,
    AgentWeekStats,
    AgentMonthStats,
    OrganisationWeekStats,
    OrganisationDayStats,
    TeamDayStats,
    TeamWeekStats,
    TeamMonthStats,
    TeamWeekInteractionStats,
)


@dataclass(frozen=True)
class World:
    emails: dict[str, str]  # admin, reviewer, other_reviewer, importer_agent, victim
    team_id: int
    plan_id: int
    criteria: list[int]
    to_evaluate: list[int]  # interactions of one agent, one day, one channel


def inspector(url: str, **more: str) -> Flask:
    """An app on the test's database, for seeding and reading (not one of the servers); `more`
    settings, e.g. the servers' Redis to read their chart cache."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "cluster-inspector",
        "JOBS_IMMEDIATE": True,
        "REDIS_URL": "",
        **more,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # cheap to check: the test signs in a lot
    }
    return create_app(type("Config", (DevelopmentConfig,), settings))


def _interactions(agent_id: int, prefix: str, start: datetime, count: int, hours: int) -> list[int]:
    rows = [
        Interaction(
            external_id=f"{prefix}-{n}",
            channel=Channel.CHAT,
            agent_id=agent_id,
            occurred_at=start + timedelta(hours=hours * n),
        )
        for n in range(count)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return [row.id for row in rows]


def seed(app: Flask) -> World:
    with app.app_context():
        make = accounts.create_user
        admin = make("admin@example.com", "Admin", Role.ADMIN, PASSWORD)
        reviewers = [
            make(f"reviewer{n}@example.com", f"Reviewer {n}", Role.REVIEWER, PASSWORD)
            for n in (1, 2)
        ]
        agents = [make(f"agent{n}@example.com", f"Agent {n}", Role.AGENT, PASSWORD) for n in (1, 2)]
        importer_agent = make("imported@example.com", "Imported", Role.AGENT, PASSWORD)
        victim = make("victim@example.com", "Victim", Role.AGENT, PASSWORD)
        team = accounts.save_team(None, name="Billing", lead=None, agents=agents)
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "five-key-elements.yaml"), None, publish_now=True
        )
        week = datetime.combine(SAMPLED_WEEK, datetime.min.time(), tzinfo=UTC)
        for agent in agents:
            _interactions(agent.id, f"SAMPLE-{agent.id}", week + timedelta(hours=9), 3, 30)
        to_evaluate = _interactions(agents[0].id, "EVAL", EVALUATED_DAY, 5, 1)
        plan = sampling.save_plan(None, _plan(team.id, version.scorecard_id, reviewers), admin)
        db.session.commit()
        return World(
            emails={
                "admin": admin.email,
                "reviewer": reviewers[0].email,
                "other_reviewer": reviewers[1].email,
                "importer_agent": importer_agent.email,
                "victim": victim.email,
            },
            team_id=team.id,
            plan_id=plan.id,
            criteria=[criterion.id for criterion in version.ordered_criteria],
            to_evaluate=to_evaluate,
        )


def _plan(team_id: int, scorecard_id: int, reviewers: list[Any]) -> sampling.PlanInput:
    return sampling.PlanInput(
        name="Weekly sample",
        period=Period.WEEK,
        per_agent=2,
        channel_quotas={},
        scorecard_id=scorecard_id,
        team_ids=[team_id],
        agent_ids=[],
        reviewer_ids=[reviewer.id for reviewer in reviewers],
        is_active=True,
        seed=1234,
    )


def aggregate_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every aggregate table's rows, sorted (call inside an app context)."""
    found = {}
    for model in AGGREGATES:
        columns = [column for column in model.__table__.columns]
        rows = db.session.execute(sa.select(*columns)).all()
        # float sums added in another order may differ in their last bits
        found[model.__tablename__] = sorted(
            tuple(round(value, 6) if isinstance(value, float) else value for value in row)
            for row in rows
        )
    return found


def aggregates_match_a_rebuild(app: Flask) -> tuple[dict[str, Any], dict[str, Any]]:
    """The aggregates as the servers left them, and as a rebuild from the base tables makes them."""
    with app.app_context():
        kept = aggregate_rows()
        rebuild(db.session.connection())
        rebuilt = aggregate_rows()
        db.session.rollback()
    return kept, rebuilt
