"""Result pages rendered ahead (qa_app/results/warming.py): a page a reader read is rendered again
by the worker after a write, in the reader's view, so their next read is kept; readers who may
no longer see the page, or have another role or language now, are not rendered for."""

from __future__ import annotations

import pytest

from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import cache, db
from qa_app.results import readers
from qa_app.results.readers import views_of
from qa_app.results.warming import warm_pages
from tests.conftest import choose_language
from tests.results.test_org_part import spy_overviews
from tests.results.test_page_parts import (
    RANGE,
    _agent_main,
    _lead,
    _main,
    _own,
    _results,
    _spy,
    _submit,
)


@pytest.fixture
def renders(monkeypatch) -> dict[str, list[int]]:
    return {
        "team": _spy(monkeypatch, "team_results"),
        "agent": _spy(monkeypatch, "agent_results"),
    }


def _warm(app) -> int:
    with app.app_context():
        return warm_pages()


def _write(app, seeded) -> None:
    with app.app_context():
        _submit(app, seeded)  # an evaluation of the team's first agent
        db.session.commit()


def test_the_pages_read_are_rendered_ahead_in_each_readers_view(app, seeded, login_as, renders):
    team_id, agent_id = seeded.team_ids[0], seeded.agent_ids[0]
    choose_language(app, seeded.lead_ids[0], "hu")
    lead = _lead(app, seeded, login_as)
    mine, _agent = _own(app, seeded, login_as)
    before = _main(lead, team_id), _agent_main(lead, agent_id), _agent_main(mine, agent_id)
    assert renders == {"team": [team_id], "agent": [agent_id, agent_id]}
    _write(app, seeded)
    # the team page for its lead, the agent's page for the lead and for the agent
    assert _warm(app) == 3
    assert renders == {"team": [team_id] * 2, "agent": [agent_id] * 4}
    after = _main(lead, team_id), _agent_main(lead, agent_id), _agent_main(mine, agent_id)
    assert renders == {"team": [team_id] * 2, "agent": [agent_id] * 4}, "read back, not rendered"
    assert all(new != old for new, old in zip(after, before, strict=True))
    with app.app_context():
        cache.clear()
    fresh = _main(lead, team_id), _agent_main(lead, agent_id), _agent_main(mine, agent_id)
    assert fresh == after, "the worker's render is the reader's own"
    assert _warm(app) == 0  # nothing changed since


def test_a_teammates_page_read_is_rendered_ahead_too(app, seeded, login_as, renders):
    lead, teammate = _lead(app, seeded, login_as), seeded.agent_ids[1]
    before = _agent_main(lead, teammate)
    _write(app, seeded)  # the team's line on the teammate's page moves
    assert _warm(app) == 1
    assert _agent_main(lead, teammate) != before
    assert renders["agent"] == [teammate] * 2


def test_a_renamed_team_and_a_moved_agent_are_rendered_ahead(app, seeded, login_as, renders):
    from qa_app.accounts.services import save_team

    lead, (team_id, other_id) = _lead(app, seeded, login_as), seeded.team_ids[:2]
    before = _main(lead, team_id)
    with app.app_context():
        team, other = db.session.get(Team, team_id), db.session.get(Team, other_id)
        save_team(team, name="Renamed team", lead=team.lead, agents=[*team.agents, other.agents[0]])
        db.session.commit()
    assert _warm(app) == 1
    assert renders["team"] == [team_id] * 2
    after = _main(lead, team_id)
    assert renders["team"] == [team_id] * 2, "read back, not rendered"
    assert "Renamed team" in after and after != before


def test_an_agent_in_no_team_is_rendered_ahead_too(app, seeded, login_as, renders):
    from qa_app.accounts.services import save_team

    agent_id = seeded.agent_ids[0]
    with app.app_context():
        team = db.session.get(Team, seeded.team_ids[0])
        others = [a for a in team.agents if a.id != agent_id]
        save_team(team, name=team.name, lead=team.lead, agents=others)
        db.session.commit()
    mine, _agent = _own(app, seeded, login_as)
    before = _agent_main(mine, agent_id)
    _warm(app)  # the team's change, rendered for nobody here
    _write(app, seeded)  # an evaluation of the agent, now in no team
    assert _warm(app) == 1
    assert renders["agent"] == [agent_id] * 2
    assert _agent_main(mine, agent_id) != before
    assert renders["agent"] == [agent_id] * 2, "read back, not rendered"
    assert _warm(app) == 0  # nothing changed since


def test_a_reader_who_may_no_longer_see_the_page_is_not_rendered_for(
    app, seeded, login_as, renders
):
    team_id = seeded.team_ids[0]
    _main(_lead(app, seeded, login_as), team_id)
    _agent_main(_own(app, seeded, login_as)[0], seeded.agent_ids[0])
    with app.app_context():
        db.session.get(Team, team_id).lead_id = None  # no longer the team's lead
        db.session.get(User, seeded.agent_ids[0]).is_active = False
        db.session.commit()
    _write(app, seeded)
    assert _warm(app) == 0
    assert renders == {"team": [team_id], "agent": [seeded.agent_ids[0]]}


def test_a_reader_in_another_language_now_is_not_rendered_for(app, seeded, login_as, renders):
    team_id = seeded.team_ids[0]
    _main(_lead(app, seeded, login_as), team_id)  # read in English
    choose_language(app, seeded.lead_ids[0], "hu")
    _write(app, seeded)
    assert _warm(app) == 0
    assert renders["team"] == [team_id]


def test_the_worker_notes_no_view_of_its_own(app, seeded, login_as, monkeypatch):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    _main(lead, team_id, "period=month&from=2026-09-01")
    _main(lead, team_id)
    with app.app_context():
        noted = views_of(("team", team_id))
    assert [view.query for view, _reader in noted] == ["period=month&from=2026-09-01", RANGE]
    _write(app, seeded)
    kept: list[str] = []
    monkeypatch.setattr(readers, "keep", lambda key, *_args: kept.append(key))
    assert _warm(app) == 2
    assert kept == [], "a note renewed by the worker would outlive its reader"
    with app.app_context():
        assert views_of(("team", team_id)) == noted


def test_a_page_read_under_a_mount_point_is_rendered_ahead_there(app, seeded, login_as, renders):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    path, mounted = f"/results/teams/{team_id}?{RANGE}", "http://localhost/qa"
    assert lead.get(path, base_url=mounted).status_code == 200
    _write(app, seeded)
    assert _warm(app) == 1
    page = lead.get(path, base_url=mounted).get_data(as_text=True)
    assert renders["team"] == [team_id] * 2, "read back, not rendered"
    assert 'href="/qa/results/' in page and 'href="/results/' not in page


@pytest.fixture
def overviews(monkeypatch) -> list[tuple[int, ...] | None]:
    return spy_overviews(monkeypatch)


def _lead_of_both(app, seeded, login_as):
    with app.app_context():
        for team_id in seeded.team_ids:
            db.session.get(Team, team_id).lead_id = seeded.lead_ids[0]
        db.session.commit()
    return _lead(app, seeded, login_as)


def test_the_overviews_read_are_rendered_ahead_for_their_readers(app, seeded, login_as, overviews):
    lead, admin = _lead_of_both(app, seeded, login_as), login_as(Role.ADMIN)
    before = _results(admin, "/results/", RANGE), _results(lead, "/results/", RANGE)
    both = tuple(seeded.team_ids)
    assert overviews == [None, both]
    _write(app, seeded)
    assert _warm(app) == 2  # everyone's overview for the admin, the lead's own for the lead
    assert overviews == [None, both] * 2
    after = _results(admin, "/results/", RANGE), _results(lead, "/results/", RANGE)
    assert overviews == [None, both] * 2, "read back, not rendered"
    assert all(new != old for new, old in zip(after, before, strict=True))
    assert "Whole organisation" in after[0] and "Whole organisation" not in after[1]
    with app.app_context():
        cache.clear()
    fresh = _results(admin, "/results/", RANGE), _results(lead, "/results/", RANGE)
    assert fresh == after, "the worker's render is the reader's own"
    assert _warm(app) == 0  # nothing changed since


def test_an_overview_its_reader_no_longer_reads_is_not_rendered(app, seeded, login_as, overviews):
    _results(_lead_of_both(app, seeded, login_as), "/results/", RANGE)
    with app.app_context():
        db.session.get(Team, seeded.team_ids[1]).lead_id = None  # a lead of one team: no overview
        db.session.commit()
    _write(app, seeded)
    assert _warm(app) == 0
    assert overviews == [tuple(seeded.team_ids)]
