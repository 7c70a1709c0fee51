"""A small organisation for calibration: three reviewers, an admin, a three-criterion scorecard."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from qa_app.accounts.models import Role, User
from qa_app.calibration import services
from qa_app.calibration.models import CalibrationSession
from qa_app.evaluations import services as evaluations
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.scorecards.schema import CriterionDoc, ScorecardDoc, SectionDoc
from qa_app.scorecards.services import import_doc

ANCHORS = ((1, "Poor"), (3, "Fair"), (5, "Great"))


@dataclass
class Org:
    agent: User
    lead: User
    team_id: int
    admin: User
    reviewers: list[User]  # "Anna", "Bence", "Chloe"
    outsider: User  # a reviewer who takes part in nothing
    version_id: int
    criteria: list[int]  # ids: Greeting, Empathy, Follow-up (N/A allowed)
    interactions: list[int]


def _scorecard() -> ScorecardDoc:
    criteria = (
        CriterionDoc("Greeting", "Greets the customer.", ANCHORS),
        CriterionDoc("Empathy", "Shows understanding.", ANCHORS),
        CriterionDoc("Follow-up", "Agrees next steps.", ANCHORS, allow_na=True),
    )
    return ScorecardDoc(
        slug="calibration-test",
        name="Calibration test",
        channels=("call", "chat", "email"),
        sections=(SectionDoc("Main", criteria),),
    )


@pytest.fixture
def org(app, make_user, make_team, make_interaction) -> Org:
    lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    agent = make_user(Role.AGENT, team=team)
    reviewers = [make_user(Role.REVIEWER, name=name) for name in ("Anna", "Bence", "Chloe")]
    with app.app_context():
        version = import_doc(_scorecard(), None, publish_now=True)
        db.session.commit()
        version_id, criteria = version.id, [c.id for c in version.ordered_criteria]
    return Org(
        agent=agent,
        lead=lead,
        team_id=team.id,
        admin=make_user(Role.ADMIN, name="Ada Admin"),
        reviewers=reviewers,
        outsider=make_user(Role.REVIEWER, name="Olaf Outsider"),
        version_id=version_id,
        criteria=criteria,
        interactions=[make_interaction(agent).id, make_interaction(agent).id],
    )


def new_session(
    app,
    org: Org,
    *,
    leader: User | None = None,
    participants: list[User] | None = None,
    interactions: list[int] | None = None,
    expert: User | None = None,
) -> int:
    """A session set up through the service, open for a week."""
    with app.app_context():
        ids = interactions or org.interactions[:1]
        external = [db.session.get(Interaction, i).external_id for i in ids]
        data = services.SessionInput(
            name="March calibration",
            scorecard_version_id=org.version_id,
            external_ids=external,
            participant_ids=[u.id for u in (participants or org.reviewers)],
            expert_id=expert.id if expert else None,
            deadline=datetime.now(UTC) + timedelta(days=7),
        )
        leader_row = db.session.get(User, (leader or org.reviewers[0]).id)
        session = services.create_session(leader_row, data)
        db.session.commit()
        return session.id


def form_values(org: Org, values: list[int | str | None]) -> dict[str, str]:
    """Scoring-page data: one value per criterion ("na" for N/A, None to leave it empty)."""
    data = {}
    for criterion_id, value in zip(org.criteria, values, strict=True):
        if value is not None:
            data[f"score_{criterion_id}"] = str(value)
        data[f"comment_{criterion_id}"] = ""
    return data


def score_url(session_id: int, interaction_id: int) -> str:
    return f"/evaluations/new?interaction={interaction_id}&calibration={session_id}"


def score(client, org: Org, session_id: int, interaction_id: int, values, action="submit"):
    """Score an interaction of a session on the usual page, as a participant."""
    data = {**form_values(org, values), "action": action}
    return client.submit(score_url(session_id, interaction_id), data, token_from="/")


def score_directly(app, org: Org, session_id: int, reviewer: User, interaction_id: int, values):
    """A submitted calibration evaluation made through the services (fast set-up)."""
    with app.app_context():
        version = db.session.get(CalibrationSession, session_id).scorecard_version
        evaluation = evaluations.start(
            db.session.get(Interaction, interaction_id),
            version,
            db.session.get(User, reviewer.id),
            calibration_session_id=session_id,
        )
        given = {
            cid: evaluations.CriterionInput(None if v == "na" else v, v == "na", "")
            for cid, v in zip(org.criteria, values, strict=True)
        }
        data = evaluations.EvaluationInput(given, "", "")
        evaluations.save(evaluation, data, evaluation.reviewer, submit=True, lock_version=None)
        db.session.commit()
        return evaluation.id


def set_times(app, session_id: int, *, closed_at=None, deadline=None) -> None:
    with app.app_context():
        found = db.session.get(CalibrationSession, session_id)
        if closed_at is not None:
            found.closed_at = closed_at
        if deadline is not None:
            found.deadline = deadline
        db.session.commit()


def close(app, session_id: int, when: datetime | None = None) -> None:
    set_times(app, session_id, closed_at=when or datetime.now(UTC))


def row(body: str, row_id: str) -> list[str]:
    """The text of each cell of the table row with this id."""
    match = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', body, re.S)
    assert match is not None, f"no row {row_id}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
