"""The team rows follow the teams' members: agents moved between teams, leaving the agent role
(in no team, still counted for the organisation), evaluations submitted after a move."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from qa_app.accounts import services as accounts
from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.results import queries
from qa_app.results.models import TeamMonthStats
from qa_app.results.periods import Filters
from qa_app.results.verify import compare_all
from qa_app.scorecards.models import ScorecardVersion
from tests.results.conftest import START, evaluate


def _check(filters: Filters, team_ids: list[int]) -> dict[int, int]:
    """Every kept table matches its recomputation, each team's totals are its members' today,
    and the teams with the agents in none add up to the organisation. Evaluations per team."""
    differing = {d.table: d.rows for d in compare_all(db.session.connection()) if d.rows}
    assert differing == {}
    by_team, everyone = queries.totals_by_team_and_all(filters)
    for team_id in team_ids:
        members = queries.totals(filters, queries.team_agent_ids(team_id))
        assert by_team.get(team_id, queries.Totals()).evaluations == members.evaluations
        assert round(by_team.get(team_id, queries.Totals()).score_sum, 6) == round(
            members.score_sum, 6
        )
    whole = queries.totals(filters, None)
    assert (everyone.evaluations, everyone.interactions) == (whole.evaluations, whole.interactions)
    assert round(everyone.score_sum, 6) == round(whole.score_sum, 6)
    return {team_id: by_team.get(team_id, queries.Totals()).evaluations for team_id in team_ids}


def test_team_rows_follow_moves_and_role_changes(app, mixed, login_as):
    north, south = mixed.team_ids
    moved, demoted = mixed.agent_ids[0], mixed.agent_ids[1]  # both in North
    filters = Filters("custom", date(2026, 9, 1), date(2026, 11, 30))
    with app.app_context():
        before = _check(filters, mixed.team_ids)
        moved_count = queries.totals(filters, [moved]).evaluations
        demoted_count = queries.totals(filters, [demoted]).evaluations
        assert moved_count and demoted_count
        db.session.rollback()
    admin = login_as(Role.ADMIN)
    # The admin moves an agent from North to South on South's team form.
    south_agents = [moved, *mixed.agent_ids[3:]]
    response = admin.submit(
        f"/admin/teams/{south}",
        {
            "name": "South",
            "lead_id": str(mixed.lead_ids[1]),
            "agent_ids": [str(a) for a in south_agents],
        },
        token_from="/",
    )
    assert response.status_code == 302
    with app.app_context():
        after_move = _check(filters, mixed.team_ids)
        assert after_move == {
            north: before[north] - moved_count,
            south: before[south] + moved_count,
        }
        # An agent who becomes a reviewer leaves their team: in none, still in the organisation.
        user = db.session.get(User, demoted)
        accounts.update_user(
            user,
            actor=user,
            email=user.email,
            display_name=user.display_name,
            role=Role.REVIEWER,
            is_active=True,
        )
        db.session.commit()
        assert queries.teamless_agent_ids() == [demoted]
        after_role = _check(filters, mixed.team_ids)
        assert after_role[north] == after_move[north] - demoted_count
        # An evaluation submitted after the move counts for the agent's new team.
        version = db.session.scalar(
            sa.select(ScorecardVersion).where(ScorecardVersion.id == mixed.version_ids["call"])
        )
        interaction = Interaction(
            external_id="T-1",
            channel=Channel.CALL,
            agent_id=moved,
            occurred_at=START + timedelta(days=3),
            csat=5,
        )
        db.session.add(interaction)
        reviewer = db.session.get(User, mixed.reviewer_id)
        evaluate(interaction, version, reviewer, random.Random(3))
        db.session.commit()
        after_new = _check(filters, mixed.team_ids)
        assert after_new == {north: after_role[north], south: after_role[south] + 1}
        # A team removed with its rows (nothing in the app deletes teams yet; a future one must
        # not leave rows behind): the database drops them with it.
        team = db.session.get(Team, north)
        db.session.delete(team)
        db.session.commit()
        left = sa.select(sa.func.count()).where(TeamMonthStats.team_id == north)
        assert db.session.scalar(left) == 0
        _check(filters, [south])
