"""Who may see whose results: agents their own, leads their teams', reviewers and admins all."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accounts.models import Role, Team, User
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
    return user.role != Role.LEAD or leads_agent(user, agent)


def team_or_404(team_id: int) -> Team:
    team = db.session.get(Team, team_id)
    if team is None or not may_see_team(current_user, team):
        abort(404)
    return team


def agent_or_404(agent_id: int) -> User:
    # With the agent's team in the same statement: the check and the page both need it.
    agent = db.session.get(User, agent_id, options=[joinedload(User.teams)])
    if agent is None or not may_see_agent(current_user, agent):
        abort(404)
    return agent


def leads_agent(lead: User, agent: User) -> bool:
    """Whether the agent is in a team this lead leads (an agent is in one team at most)."""
    team = agent.team
    return team is not None and team.lead_id == lead.id
