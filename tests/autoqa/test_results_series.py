"""The Auto QA series on the result pages: its own line, scoped like the page, never mixed in."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from qa_app.accounts.models import Role, User
from qa_app.autoqa.models import AutoResult
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results import queries
from qa_app.results.periods import parse_filters
from qa_app.ui.filters import format_pct, format_score

QUERY = {"from": "2026-09-07", "to": "2026-11-01"}
ARGS = "?from=2026-09-07&to=2026-11-01"


def _auto_score(app, seeded, score_of) -> None:
    """An auto result on every second interaction, scored score_of(agent index)."""
    with app.app_context():
        rows = db.session.scalars(sa.select(Interaction).order_by(Interaction.id)).all()
        for n, row in enumerate(rows):
            if n % 2 == 0:
                score = Decimal(score_of(seeded.agent_ids.index(row.agent_id)))
                version = seeded.version_ids[row.channel.value]
                db.session.add(
                    AutoResult(interaction_id=row.id, scorecard_version_id=version, score=score)
                )
        db.session.commit()


def _human_figures(app, seeded):
    with app.app_context(), app.test_request_context():
        filters = parse_filters(MultiDict(QUERY))[0]
        agents = seeded.agent_ids
        return (
            queries.totals(filters, None),
            queries.totals_by_team(filters),
            queries.totals_by_agent(filters, agents),
            queries.weekly(filters, agents),
            queries.criterion_averages(filters, agents),
        )


def _expected(app, agent_ids: list[int]) -> tuple[str, str]:
    """Mean auto score and coverage worked out from the rows, formatted as the page does."""
    with app.app_context(), app.test_request_context():
        start, end = date(2026, 9, 7), date(2026, 11, 1)
        handled = [
            i
            for i in db.session.scalars(sa.select(Interaction))
            if i.agent_id in agent_ids and start <= i.occurred_at.date() <= end
        ]
        ids = {i.id for i in handled}
        scores = [
            r.score for r in db.session.scalars(sa.select(AutoResult)) if r.interaction_id in ids
        ]
        mean = sum(scores) / len(scores)
        return format_score(mean), format_pct(100 * len(scores) / len(handled))


def format_score_in(app, value) -> str:
    with app.test_request_context():
        return format_score(value)


def _auto_cells(html: str) -> str:
    return html.split('<h2 id="auto-qa">')[1].split("</table>")[0]


def test_auto_results_leave_every_human_figure_unchanged(app, seeded):
    before = _human_figures(app, seeded)
    _auto_score(app, seeded, lambda agent: 40 + 10 * agent)
    assert _human_figures(app, seeded) == before


def test_an_agent_sees_the_auto_series_of_their_own_interactions_only(app, seeded, login_as):
    _auto_score(app, seeded, lambda agent: 90 if agent == 0 else 20)
    with app.app_context():
        agent = db.session.get(User, seeded.agent_ids[0])
        client = login_as(user=agent)
    html = client.get(f"/results/agents/{seeded.agent_ids[0]}{ARGS}").get_data(as_text=True)
    mean, coverage = _expected(app, [seeded.agent_ids[0]])
    cells = _auto_cells(html)
    assert mean == format_score_in(app, 90) and mean in cells and coverage in cells
    assert client.get(f"/results/agents/{seeded.agent_ids[1]}{ARGS}").status_code == 404


def test_team_and_organisation_pages_show_the_auto_series_of_their_scope(app, seeded, login_as):
    _auto_score(app, seeded, lambda agent: 40 + 10 * agent)
    reviewer = login_as(Role.REVIEWER)
    team_html = reviewer.get(f"/results/teams/{seeded.team_ids[1]}{ARGS}").get_data(as_text=True)
    assert all(value in _auto_cells(team_html) for value in _expected(app, seeded.agent_ids[3:]))
    org_html = reviewer.get(f"/results/{ARGS}").get_data(as_text=True)
    assert all(value in _auto_cells(org_html) for value in _expected(app, seeded.agent_ids))


def test_a_lead_of_two_teams_sees_the_auto_series_of_exactly_their_agents(
    app, seeded, login_as, make_user, make_team, make_interaction
):
    _auto_score(app, seeded, lambda agent: 40 + 10 * agent)
    with app.app_context():
        lead = db.session.get(User, seeded.lead_ids[0])  # leads North: agents 0 to 2
        db.session.expunge(lead)
    east = make_team("East", lead=lead)
    newcomer = make_user(Role.AGENT, team=east)
    moment = datetime(2026, 9, 8, 10, 0, tzinfo=UTC)
    interaction = make_interaction(newcomer, occurred_at=moment)
    with app.app_context():
        version = seeded.version_ids["chat"]
        row = AutoResult(interaction_id=interaction.id, scorecard_version_id=version, score=100)
        db.session.add(row)
        db.session.commit()
    html = login_as(user=lead).get(f"/results/{ARGS}").get_data(as_text=True)
    cells = _auto_cells(html)
    mine = _expected(app, [*seeded.agent_ids[:3], newcomer.id])
    assert all(value in cells for value in mine)
    assert _expected(app, seeded.agent_ids)[0] not in cells  # South's scores stay out
