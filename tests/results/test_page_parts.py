"""The team and agent pages' results are rendered once and read back while nothing they show
changed: every kind of write that changes a page gives it a new key (qa_app/results/marks.py)."""

from __future__ import annotations

import html
import io
import random
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role, Team, User
from qa_app.autoqa.services import score_interaction
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.interactions.services import import_interactions
from qa_app.results import marks, services
from qa_app.results.aggregates import rebuild
from qa_app.results.models import ResultMark
from qa_app.scorecards.models import ScorecardVersion
from tests.conftest import choose_language
from tests.interactions.conftest import csv_bytes, row
from tests.results.conftest import START, evaluate

RANGE = "period=custom&from=2026-09-07&to=2026-11-01"


def _spy(monkeypatch, name: str) -> list[int]:
    """The ids of the teams or agents whose results `services.<name>` read, request by request."""
    seen: list[int] = []
    read = getattr(services, name)

    def spy(found, *args, **kwargs):
        seen.append(found.id)
        return read(found, *args, **kwargs)

    monkeypatch.setattr(services, name, spy)
    return seen


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    return _spy(monkeypatch, "team_results")


@pytest.fixture
def agent_renders(monkeypatch) -> list[int]:
    return _spy(monkeypatch, "agent_results")


def _results(client, path: str, query: str) -> str:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    found = re.search(r"<main\b.*?</main>", response.get_data(as_text=True), re.S)
    assert found is not None
    return found.group(0)


def _main(client, team_id: int, query: str = RANGE) -> str:
    return _results(client, f"/results/teams/{team_id}", query)


def _agent_main(client, agent_id: int, query: str = RANGE) -> str:
    return _results(client, f"/results/agents/{agent_id}", query)


def _lead(app, seeded, login_as):
    with app.app_context():
        lead = db.session.get(User, seeded.lead_ids[0])
        db.session.expunge(lead)
    return login_as(user=lead)


def test_an_unchanged_team_page_is_read_back_not_rendered_again(app, seeded, login_as, renders):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    first = _main(lead, team_id)
    assert renders == [team_id]
    assert _main(lead, team_id) == first  # the same results, the same markup
    assert renders == [team_id]
    # another sign-in (a user row written) changes nothing the page shows
    login_as(Role.LEAD)
    assert _main(lead, team_id) == first and renders == [team_id]


def _submit(app, seeded) -> None:
    agent = db.session.get(User, seeded.agent_ids[0])
    interaction = Interaction(
        external_id="PART-1",
        channel=Channel.CHAT,
        agent_id=agent.id,
        occurred_at=START + timedelta(days=2),
    )
    db.session.add(interaction)
    version = db.session.get(ScorecardVersion, seeded.version_ids["chat"])
    reviewer = db.session.get(User, seeded.reviewer_id)
    evaluate(interaction, version, reviewer, random.Random(7))


def _rename(app, seeded) -> None:
    db.session.get(User, seeded.agent_ids[1]).display_name = "Renamed Agent"


def _move_out(app, seeded) -> None:
    team = db.session.get(Team, seeded.team_ids[0])
    team.agents.remove(db.session.get(User, seeded.agent_ids[2]))
    db.session.flush()  # while `team` is held: the change is noted on it


def _import(app, seeded) -> None:
    email = db.session.get(User, seeded.agent_ids[0]).email
    report = import_interactions(
        io.BytesIO(csv_bytes([row(email, 3)])), source_name="more.csv", created_by=None
    )
    assert report.ok and report.rows_added == 1


def _auto_result(app, seeded) -> None:
    # Auto QA's own storing: the driver's inserts after an ORM delete, no flush
    interaction = db.session.scalars(
        sa.select(Interaction)
        .where(Interaction.agent_id == seeded.agent_ids[0], Interaction.channel == Channel.CHAT)
        .limit(1)
    ).one()
    assert score_interaction(interaction) is not None  # the shipped chat scorecard has rules


def _scorecard_renamed(app, seeded) -> None:
    db.session.get(ScorecardVersion, seeded.version_ids["chat"]).name = "Chat, renamed"


def _rebuilt(app, seeded) -> None:
    rebuild(db.session.connection())


WRITES: dict[str, Callable] = {
    "an evaluation submitted": _submit,
    "an agent renamed": _rename,
    "an agent moved out of the team": _move_out,
    "interactions imported": _import,
    "an Auto QA result stored": _auto_result,
    "a scorecard renamed": _scorecard_renamed,
    "every aggregate rebuilt": _rebuilt,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=list(WRITES))
def test_each_write_that_changes_the_page_renders_it_anew(app, seeded, login_as, renders, write):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    before = _main(lead, team_id)
    with app.app_context():
        write(app, seeded)
        db.session.commit()
    after = _main(lead, team_id)
    assert renders == [team_id, team_id]
    if write in (_submit, _rename, _move_out, _scorecard_renamed):  # shown in the range
        assert after != before


def test_the_page_shows_what_changed(app, seeded, login_as):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    with app.app_context():
        moved = db.session.get(User, seeded.agent_ids[2]).display_name
    assert moved in _main(lead, team_id)
    with app.app_context():
        _rename(app, seeded)
        _move_out(app, seeded)
        db.session.commit()
    page = _main(lead, team_id)
    assert "Renamed Agent" in page and moved not in page


def test_a_write_rolled_back_stamps_nothing(app, seeded):
    with app.app_context():
        stamps = marks.read([])
        _rename(app, seeded)
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        assert marks.read([]) == stamps


def test_language_role_and_filters_each_have_their_own_entry(
    app, seeded, login_as, make_user, renders
):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    english = _main(lead, team_id)
    assert "Weakest criteria" in english
    admin = login_as(Role.ADMIN)
    _main(admin, team_id)
    _main(lead, team_id, "period=week")
    assert renders == [team_id] * 3
    choose_language(app, seeded.lead_ids[0], "hu")
    hungarian = _main(lead, team_id)
    assert renders == [team_id] * 4 and "Weakest criteria" not in hungarian
    choose_language(app, seeded.lead_ids[0], "en")
    assert _main(lead, team_id) == english and len(renders) == 4


def test_without_the_everyone_stamp_nothing_is_kept(app, seeded, login_as, renders):
    with app.app_context():
        db.session.execute(sa.delete(ResultMark))
        db.session.commit()
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    _main(lead, team_id)
    _main(lead, team_id)
    assert renders == [team_id, team_id]


def test_a_stamp_is_new_each_time_on_both_databases(app, seeded):
    with app.app_context():
        scopes = [marks.agent(seeded.agent_ids[0]), marks.EVERYONE]
        seen = set()
        for _ in range(3):
            marks.stamp(db.session.connection(), scopes)
            found = dict(marks.read(scopes) or [])
            assert set(found) == set(scopes)
            seen.add(found[marks.agent(seeded.agent_ids[0])])
        db.session.commit()
        assert len(seen) == 3


def test_a_teams_members_come_with_the_stamps_read_gives_them(app, seeded):
    with app.app_context():
        team_id = seeded.team_ids[0]
        ids = sorted(agent.id for agent in db.session.get(Team, team_id).agents)
        stamped, never = marks.agent(ids[0]), marks.agent(ids[1])
        marks.stamp(db.session.connection(), [stamped])
        db.session.execute(sa.delete(ResultMark).where(ResultMark.scope == never))
        found, stamps = marks.of_team(team_id)
        assert (found, stamps) == (ids, marks.read(map(marks.agent, ids)))
        assert stamps is not None and stamped in dict(stamps) and never not in dict(stamps)
        empty = Team(name="Nobody yet")
        db.session.add(empty)
        db.session.flush()
        assert marks.of_team(empty.id) == ([], marks.read([]))
        every = marks.of_teams()  # all teams at once, as the worker's run reads them
        assert every == {t: marks.of_team(t) for t in seeded.team_ids} and empty.id not in every
        loner = User(email="loner@example.com", display_name="Loner", role=Role.AGENT)
        loner.password_hash = "-"
        db.session.add(loner)
        db.session.flush()
        marks.stamp(db.session.connection(), [marks.agent(loner.id)])
        alone = marks.of_teamless()  # agents in no team, with their own stamps and everyone's
        assert alone == {loner.id: marks.read([marks.agent(loner.id)])}
        assert marks.agent(loner.id) in dict(alone[loner.id] or [])
        db.session.execute(sa.delete(ResultMark).where(ResultMark.scope == marks.EVERYONE))
        assert marks.of_team(team_id) == (ids, None)
        assert marks.of_teams()[team_id] == (ids, None)
        assert marks.of_teamless() == {loner.id: None}
        db.session.rollback()


def test_a_chart_is_read_by_the_stamps_until_a_teammates_evaluation(
    app, seeded, login_as, monkeypatch
):
    lead = _lead(app, seeded, login_as)
    path = f"/results/agents/{seeded.agent_ids[1]}/trend.svg?{RANGE}"
    first = lead.get(path)
    assert first.status_code == 200 and first.headers["ETag"]
    reads: list[int] = []
    trend = services.agent_trend
    monkeypatch.setattr(
        services,
        "agent_trend",
        lambda agent, *a, **k: reads.append(agent.id) or trend(agent, *a, **k),
    )
    held = {"If-None-Match": first.headers["ETag"]}
    assert lead.get(path, headers=held).status_code == 304
    assert lead.get(path).get_data() == first.get_data() and reads == []
    with app.app_context():
        _submit(app, seeded)  # agent_ids[0]: the team's line of agent_ids[1]'s chart moves
        db.session.commit()
    again = lead.get(path, headers=held)
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert again.get_data() != first.get_data() and reads == [seeded.agent_ids[1]]


def test_a_page_of_bad_filters_keeps_its_message(app, seeded, login_as, renders):
    lead, team_id = _lead(app, seeded, login_as), seeded.team_ids[0]
    for _ in range(2):
        page = _main(lead, team_id, "period=custom&from=yesterday&channel=fax")
        assert "Dates must look like 2026-03-31." in page
        assert "Unknown channel; showing every channel." in page
    assert renders == [team_id]
    assert "Unknown channel" not in _main(lead, team_id)


def _own(app, seeded, login_as, n: int = 0):
    with app.app_context():
        agent = db.session.get(User, seeded.agent_ids[n])
        db.session.expunge(agent)
    return login_as(user=agent), agent.id


def test_an_agent_page_is_kept_until_a_write_changes_it(app, seeded, login_as, agent_renders):
    lead, agent_id = _lead(app, seeded, login_as), seeded.agent_ids[0]
    first = _agent_main(lead, agent_id)
    assert _agent_main(lead, agent_id) == first and agent_renders == [agent_id]
    mine, _id = _own(app, seeded, login_as)  # the agent's own view: a reader of its own
    own = _agent_main(mine, agent_id)
    assert agent_renders == [agent_id] * 2 and "Create an action plan" not in own
    assert "Create an action plan" in first
    with app.app_context():
        _submit(app, seeded)  # an evaluation of this agent
        db.session.commit()
    assert _agent_main(lead, agent_id) != first and agent_renders == [agent_id] * 3
    teammate = seeded.agent_ids[1]
    before = _agent_main(lead, teammate)
    with app.app_context():
        _move_out(app, seeded)  # the team's line of a teammate's page changes
        db.session.commit()
    assert _agent_main(lead, teammate) != before
    assert agent_renders == [agent_id] * 3 + [teammate] * 2


def _newest(agent_id: int):
    from qa_app.evaluations.models import Evaluation

    return db.session.scalars(
        sa.select(Evaluation)
        .where(Evaluation.agent_id == agent_id, Evaluation.submitted_at.is_not(None))
        .order_by(Evaluation.submitted_at.desc(), Evaluation.id.desc())
    ).first()


def _comments(page: str) -> str:
    return page[page.index("Latest comments") :]


def test_the_latest_comments_are_kept_until_an_edit_changes_them(
    app, seeded, login_as, agent_renders
):
    lead, agent_id = _lead(app, seeded, login_as), seeded.agent_ids[0]
    assert "Words written later" not in _agent_main(lead, agent_id, "period=year")
    assert _agent_main(lead, agent_id, "period=year") and agent_renders == [agent_id]
    with app.app_context():
        newest = _newest(agent_id)
        newest.strengths = "Words written later"  # an edit of the comments alone
        db.session.commit()
        shown = (newest.id, newest.interaction.external_id, newest.reviewer.display_name)
    page = _agent_main(lead, agent_id, "period=year")
    assert "Words written later" in _comments(page) and agent_renders == [agent_id] * 2
    evaluation_id, external_id, reviewer = shown
    assert f'href="/evaluations/{evaluation_id}"' in page
    assert f">{html.escape(external_id)}</a>" in page
    assert f"<bdi>{html.escape(reviewer)}</bdi>" in page


def test_a_self_review_asked_hides_an_evaluation_from_the_kept_page_until_answered(
    app, seeded, login_as, agent_renders
):
    from qa_app.self_reviews.models import SelfReview, SelfReviewStatus
    from qa_app.self_reviews.services import request_self_review

    lead, agent_id = _lead(app, seeded, login_as), seeded.agent_ids[0]
    mine, _id = _own(app, seeded, login_as)
    with app.app_context():
        newest = _newest(agent_id)
        external_id, version_id = newest.interaction.external_id, newest.scorecard_version_id
    link = f">{html.escape(external_id)}</a>"
    for reader in (lead, mine):
        assert link in _comments(_agent_main(reader, agent_id))
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        review = request_self_review(_newest(agent_id).interaction, version, None)
        db.session.commit()
        review_id = review.id
    for reader in (lead, mine):  # hidden from the agent's page, whoever reads it
        assert link not in _comments(_agent_main(reader, agent_id))
    assert agent_renders == [agent_id] * 4
    with app.app_context():  # saving the agent's draft hides or shows nothing: still kept
        db.session.get(SelfReview, review_id).strengths = "A draft"
        db.session.commit()
    assert link not in _comments(_agent_main(lead, agent_id)) and len(agent_renders) == 4
    with app.app_context():
        db.session.get(SelfReview, review_id).status = SelfReviewStatus.SUBMITTED
        db.session.commit()
    assert link in _comments(_agent_main(lead, agent_id)) and len(agent_renders) == 5


def test_a_self_review_given_to_another_agent_stamps_the_one_it_leaves(app, seeded):
    from qa_app.self_reviews.services import request_self_review

    first, second, third = seeded.agent_ids[:3]
    with app.app_context():
        newest = _newest(first)
        version = db.session.get(ScorecardVersion, newest.scorecard_version_id)
        review = request_self_review(newest.interaction, version, None)
        review.agent_id = second
        db.session.commit()
        scopes = [marks.agent(agent_id) for agent_id in (first, second, third)]
        before = dict(marks.read(scopes) or [])
        review.agent_id = third  # the interaction is still the first agent's
        db.session.commit()
        after = dict(marks.read(scopes) or [])
        assert all(after[scope] != before.get(scope) for scope in scopes)


def test_a_bulk_statement_on_self_reviews_renders_every_page_anew(app, seeded):
    from qa_app.self_reviews.models import SelfReview

    with app.app_context():
        before = marks.read([])
        db.session.execute(sa.update(SelfReview).values(strengths=""))
        db.session.commit()
        assert marks.read([]) != before


def test_a_kept_agent_page_costs_no_more_statements_than_a_kept_team_page(
    app, seeded, login_as, count_queries
):
    """Unchanged, both pages read the reader, the page's subject and its team's members, the
    marks and the menu's counts, and nothing else: the agent comes with its team in one
    statement, a lead's access is told from that team, and the latest comments are kept."""
    lead, team_id, agent_id = _lead(app, seeded, login_as), seeded.team_ids[0], seeded.agent_ids[0]
    team = count_queries(lead, f"/results/teams/{team_id}?{RANGE}")
    agent = count_queries(lead, f"/results/agents/{agent_id}?{RANGE}")
    assert len(agent) == len(team), "\n".join(s.split("\n")[0][:100] for s in agent)
