"""The app served on 127.0.0.1 for a real browser: a fresh SQLite file, the demo organisation."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from qa_app import create_app
from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role, Team, User
from qa_app.demo import seed_demo
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.scorecards.models import ScorecardVersion, Status
from tests.conftest import PASSWORD, make_config


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    password: str
    role: Role


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    name: str
    weight: float
    is_critical: bool
    allow_na: bool


class LiveServer:
    """A werkzeug server for one app, answering from a background thread."""

    def __init__(self, app: Flask) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=10)
        self.server.server_close()


class Site:
    """The served app, its people (with passwords) and the seeding the journeys need."""

    def __init__(self, app: Flask, server: LiveServer, people: dict[str, Person]) -> None:
        self.app = app
        self.server = server
        self.url = server.url
        self.host = server.host
        self.people = people

    def person(self, name: str) -> Person:
        return self.people[name]

    def add_agent(self, name: str, email: str, team_name: str) -> Person:
        """A new agent with a known password in an existing team."""
        with self.app.app_context():
            user = accounts.create_user(email, name, Role.AGENT, PASSWORD)
            team = db.session.scalar(sa.select(Team).where(Team.name == team_name))
            assert team is not None, team_name
            team.agents.append(user)
            db.session.commit()
            person = Person(user.id, name, user.email, PASSWORD, Role.AGENT)
        self.people[name] = person
        return person

    def criteria(self, channel: str) -> list[CriterionInfo]:
        """The criteria of the published scorecard made for this channel alone, in form order."""
        with self.app.app_context():
            version = _channel_version(channel)
            return [
                CriterionInfo(c.id, c.name, float(c.weight), c.is_critical, c.allow_na)
                for c in version.ordered_criteria
            ]

    def scorecard_id(self, channel: str) -> int:
        """The scorecard whose published version is made for this channel alone."""
        with self.app.app_context():
            return _channel_version(channel).scorecard_id

    def evaluated_interaction(
        self,
        agent: Person,
        reviewer: Person,
        external_id: str,
        scores: dict[str, int],
        *,
        default: int = 4,
        ago: timedelta = timedelta(days=1),
    ) -> int:
        """A chat of the agent with a submitted evaluation; returns the evaluation id."""
        with self.app.app_context():
            version = _channel_version("chat")
            agent_row = db.session.get(User, agent.id)
            reviewer_row = db.session.get(User, reviewer.id)
            interaction = Interaction(
                external_id=external_id,
                channel=Channel.CHAT,
                agent_id=agent.id,
                occurred_at=datetime.now(UTC) - ago,
                transcript_text="Customer asked about an invoice; the agent explained it.",
            )
            interaction.agent = agent_row
            db.session.add(interaction)
            evaluation = evaluations.start(interaction, version, reviewer_row)
            values = {
                c.id: evaluations.CriterionInput(scores.get(c.name, default), False, "")
                for c in version.ordered_criteria
            }
            data = evaluations.EvaluationInput(values, "Clear and polite.", "Check the details.")
            evaluations.save(evaluation, data, reviewer_row, submit=True, lock_version=None)
            db.session.commit()
            return evaluation.id

    def sampling_plan(self, name: str, agent: Person, reviewer: Person) -> int:
        """A weekly plan drawing one chat of the agent for the reviewer; returns its id."""
        from qa_app.sampling import services as sampling
        from qa_app.sampling.models import Period

        with self.app.app_context():
            data = sampling.PlanInput(
                name=name,
                period=Period.WEEK,
                per_agent=1,
                channel_quotas={"chat": 1},
                scorecard_id=_channel_version("chat").scorecard_id,
                team_ids=[],
                agent_ids=[agent.id],
                reviewer_ids=[reviewer.id],
                is_active=True,
                seed=2026,
            )
            plan = sampling.save_plan(None, data, db.session.get(User, reviewer.id))
            db.session.commit()
            return plan.id

    def draw(self, plan_id: int, day: date) -> str:
        """Draw the plan's sample for the period of the day, as the scheduled command does."""
        args = ["sampling", "run", "--plan", str(plan_id), "--period", day.isoformat()]
        result = self.app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        return result.output

    def stored_score(self, evaluation_id: int) -> float | None:
        with self.app.app_context():
            evaluation = db.session.get(Evaluation, evaluation_id)
            assert evaluation is not None
            return None if evaluation.score is None else float(evaluation.score)


def _channel_version(channel: str) -> ScorecardVersion:
    stmt = sa.select(ScorecardVersion).where(ScorecardVersion.status == Status.PUBLISHED)
    for version in db.session.scalars(stmt.order_by(ScorecardVersion.id)):
        if list(version.channels) == [channel]:
            return version
    raise AssertionError(f"no published scorecard for {channel} alone")


def build_site(database: Path, logins_file: Path, **overrides: Any) -> Site:
    """Create the schema in a new SQLite file, load the demo, and start serving it.

    `overrides` are settings of the test configuration (e.g. a real job queue).
    """
    config = make_config(f"sqlite:///{database}", DEMO_LOGINS_FILE=str(logins_file), **overrides)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        lines = seed_demo()
        db.session.commit()
        passwords = {line.split()[-2]: line.split()[-1] for line in lines}
        people = {
            user.display_name: Person(
                user.id, user.display_name, user.email, passwords[user.email], user.role
            )
            for user in db.session.scalars(sa.select(User))
        }
    server = LiveServer(app)
    server.start()
    return Site(app, server, people)
