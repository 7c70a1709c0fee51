"""Who may see whose results: agents their own, leads their teams', reviewers and admins all."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..accounts.access import agents_led_by
from ..accounts.models import Role, Team, User, team_members
from ..extensions import db

ALL_RESULTS = (Role.ADMIN, Role.REVIEWER)


def may_see_team(user: User, team: Team) -> bool:
    """Reviewers and admins see every team, a lead only the teams they lead, agents none."""
    if user.role == Role.AGENT:
        return False
    return user.role != Role.LEAD or team.lead_id == user.id


def may_see_agent(user: User, agent: User) -> bool:
    """An agent sees themselves, a lead the agents of their teams, reviewers and admins all."""
    if agent.role != Role.AGENT:
        return False
    if user.role == Role.AGENT:
        return agent.id == user.id
    return user.role != Role.LEAD or leads_agent(user, agent.id)


def team_or_404(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or not may_see_team(current_user, team):
        abort(404)
    return team


def agent_or_404(agent_id: int) -> User:
    agent = db.session.get(User, agent_id)
    if agent is None or not may_see_agent(current_user, agent):
        abort(404)
    return agent


def leads_agent(lead: User, agent_id: int) -> bool:
    stmt = agents_led_by(lead).where(team_members.c.agent_id == agent_id)
    return db.session.scalar(stmt) is not None
