"""The organisation overview (and a lead's overview of several teams) is rendered once and read
back while nothing it counts or names changed, as the team page is (test_page_parts.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import db
from qa_app.results import queries
from qa_app.results.models import ResultMark
from tests.results.test_page_parts import RANGE, WRITES, _lead, _results


@pytest.fixture
def renders(monkeypatch) -> list[tuple[int, ...] | None]:
    return spy_overviews(monkeypatch)


def spy_overviews(monkeypatch) -> list[tuple[int, ...] | None]:
    """For each overview rendered, the teams it was asked for (None: every team)."""
    seen: list[tuple[int, ...] | None] = []
    read = queries.totals_by_team_and_all

    def spy(filters, team_ids=None):
        seen.append(None if team_ids is None else tuple(team_ids))
        return read(filters, team_ids)

    monkeypatch.setattr(queries, "totals_by_team_and_all", spy)
    return seen


def _overview(client, query: str = RANGE) -> str:
    return _results(client, "/results/", query)


def _rename_team(app, seeded) -> None:
    db.session.get(Team, seeded.team_ids[1]).name = "Renamed Team"


def _new_team(app, seeded) -> None:
    db.session.add(Team(name="Brand New Team"))


def _move_across(app, seeded) -> None:
    agent = db.session.get(User, seeded.agent_ids[0])
    source, target = (db.session.get(Team, team_id) for team_id in seeded.team_ids[:2])
    source.agents.remove(agent)
    target.agents.append(agent)
    db.session.flush()


ORG_WRITES = {
    **WRITES,
    "a team renamed": _rename_team,
    "a team made": _new_team,
    "an agent moved to another team": _move_across,
}
# The writes whose change the overview of RANGE shows (the others renew it without showing).
SHOWN = {
    "an evaluation submitted",
    "a scorecard renamed",
    "a team renamed",
    "a team made",
    "an agent moved to another team",
}


def test_an_unchanged_overview_is_read_back_not_rendered_again(app, seeded, login_as, renders):
    admin = login_as(Role.ADMIN)
    first = _overview(admin)
    assert renders == [None]
    assert _overview(admin) == first
    login_as(Role.REVIEWER)  # a sign-in writes a user row the page does not show
    assert _overview(admin) == first and renders == [None]
    assert "Whole organisation" in first


@pytest.mark.parametrize("name", list(ORG_WRITES))
def test_each_write_that_changes_the_overview_renders_it_anew(app, seeded, login_as, renders, name):
    admin = login_as(Role.ADMIN)
    before = _overview(admin)
    with app.app_context():
        ORG_WRITES[name](app, seeded)
        db.session.commit()
    after = _overview(admin)
    assert renders == [None, None]
    if name in SHOWN:
        assert after != before


def test_the_overview_shows_what_changed(app, seeded, login_as):
    admin = login_as(Role.ADMIN)
    assert "Renamed Team" not in _overview(admin)
    with app.app_context():
        _rename_team(app, seeded)
        _new_team(app, seeded)
        db.session.commit()
    page = _overview(admin)
    assert "Renamed Team" in page and "Brand New Team" in page


def test_a_leads_overview_of_their_teams_is_kept_apart_from_the_organisations(
    app, seeded, login_as, renders
):
    lead_user_id, led = seeded.lead_ids[0], seeded.team_ids[:2]
    with app.app_context():
        for team_id in led:
            db.session.get(Team, team_id).lead_id = lead_user_id
        db.session.add(Team(name="Not Led Team"))
        db.session.commit()
        names = {t.id: t.name for t in db.session.scalars(sa.select(Team))}
    lead = _lead(app, seeded, login_as)
    admin = login_as(Role.ADMIN)
    mine = _overview(lead)
    assert _overview(lead) == mine
    everything = _overview(admin)
    assert len(renders) == 2 and renders[0] is not None and sorted(renders[0]) == sorted(led)
    assert renders[1] is None
    assert "Whole organisation" in everything and "Whole organisation" not in mine
    others = [names[t] for t in names if t not in led]
    assert others and not any(f">{name}<" in mine for name in others)
    assert all(f">{names[t]}<" in mine for t in led)


def test_without_the_everyone_stamp_the_overview_is_never_kept(app, seeded, login_as, renders):
    with app.app_context():
        db.session.execute(sa.delete(ResultMark))
        db.session.commit()
    admin = login_as(Role.ADMIN)
    _overview(admin)
    _overview(admin)
    assert renders == [None, None]


def test_a_lead_of_no_team_gets_an_empty_overview_kept_as_any_other(app, seeded, login_as, renders):
    lead = login_as(Role.LEAD)  # a new lead: no team yet
    page = _overview(lead)
    assert "No teams yet." in page and "Whole organisation" not in page
    assert _overview(lead) == page and renders == [()]
