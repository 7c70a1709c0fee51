"""Setting up, listing and closing calibration sessions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.calibration.models import CalibrationSession
from qa_app.calibration.services import parse_external_ids
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.services import new_version

from .conftest import close, new_session


def _external_ids(app, ids) -> list[str]:
    with app.app_context():
        return [db.session.get(Interaction, i).external_id for i in ids]


def _form(app, org, **overrides) -> dict[str, object]:
    deadline = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    return {
        "name": "Ημερολόγιο – April",
        "scorecard_version_id": str(org.version_id),
        "interactions": "\n".join(_external_ids(app, org.interactions)),
        "participant_ids": [str(org.reviewers[0].id), str(org.reviewers[1].id)],
        "expert_id": "0",
        "deadline": deadline,
        **overrides,
    }


def _sessions(app) -> list[CalibrationSession]:
    with app.app_context():
        rows = db.session.scalars(sa.select(CalibrationSession)).all()
        for found in rows:
            _ = (found.participants, found.interactions)
            db.session.expunge(found)
        return list(rows)


def test_a_reviewer_sets_up_a_session_and_leads_it(app, org, login_as):
    creator = login_as(user=org.outsider)
    expert = org.reviewers[2]
    response = creator.submit(
        "/calibration/new", _form(app, org, expert_id=str(expert.id)), token_from="/"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    (created,) = _sessions(app)
    assert created.leader_id == org.outsider.id and created.expert_id == expert.id
    assert created.name == "Ημερολόγιο – April"
    # the expert scores too, so they are a participant; the leader need not be one
    assert {p.id for p in created.participants} == {r.id for r in org.reviewers}
    assert [i.id for i in created.interactions] == org.interactions
    page = creator.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 of 6 evaluations submitted" in page
    assert 'dir="auto">Ημερολόγιο – April' in page


def test_extra_fields_change_nothing(app, org, login_as):
    creator = login_as(user=org.reviewers[0])
    data = _form(app, org, leader_id=str(org.admin.id), closed_at="2020-01-01")
    assert creator.submit("/calibration/new", data, token_from="/").status_code == 302
    (created,) = _sessions(app)
    assert created.leader_id == org.reviewers[0].id and created.closed_at is None


def test_bad_set_up_is_refused_with_every_reason(app, org, login_as):
    creator = login_as(user=org.reviewers[0])
    past = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data = _form(
        app,
        org,
        interactions="NOPE-1, " + _external_ids(app, org.interactions[:1])[0],
        participant_ids=[str(org.reviewers[0].id)],
        deadline=past,
    )
    response = creator.submit("/calibration/new", data, token_from="/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No interaction has the external id NOPE-1." in body
    assert "Invite at least two reviewers" in body
    assert "Set a deadline in the future." in body
    assert _sessions(app) == []


def test_only_reviewers_and_admins_can_take_part(app, org, login_as):
    creator = login_as(user=org.reviewers[0])
    data = _form(app, org, participant_ids=[str(org.reviewers[1].id), str(org.agent.id)])
    response = creator.submit("/calibration/new", data, token_from="/")
    assert response.status_code == 200
    assert "is not a valid choice" in response.get_data(as_text=True)
    assert _sessions(app) == []


def test_a_draft_scorecard_cannot_be_used(app, org, login_as):
    with app.app_context():
        version = db.session.get(ScorecardVersion, org.version_id)
        draft_id = new_version(version, db.session.get(User, org.admin.id)).id
        db.session.commit()
    creator = login_as(user=org.reviewers[0])
    data = _form(app, org, scorecard_version_id=str(draft_id))
    response = creator.submit("/calibration/new", data, token_from="/")
    assert response.status_code == 200 and _sessions(app) == []


def test_the_list_shows_a_reviewer_their_own_sessions_and_an_admin_all(app, org, login_as):
    mine = new_session(app, org, participants=org.reviewers[:2])
    others = [org.outsider, org.reviewers[2]]
    theirs = new_session(app, org, leader=org.outsider, participants=others)
    anna = login_as(user=org.reviewers[0]).get("/calibration/").get_data(as_text=True)
    assert re.findall(r'href="/calibration/(\d+)"', anna) == [str(mine)]
    admin = login_as(user=org.admin).get("/calibration/").get_data(as_text=True)
    assert sorted(re.findall(r'href="/calibration/(\d+)"', admin)) == [str(mine), str(theirs)]


def test_the_leader_closes_the_session_once(app, org, login_as):
    session_id = new_session(app, org)
    leader = login_as(user=org.reviewers[0])
    assert leader.post(f"/calibration/{session_id}/close").status_code == 400  # no CSRF token
    assert leader.get(f"/calibration/{session_id}/close").status_code == 405
    assert _sessions(app)[0].closed_at is None
    assert leader.submit(f"/calibration/{session_id}/close", token_from="/").status_code == 302
    first = _sessions(app)[0].closed_at
    admin = login_as(user=org.admin)
    assert admin.submit(f"/calibration/{session_id}/close", token_from="/").status_code == 302
    assert _sessions(app)[0].closed_at == first


def test_a_participant_sees_their_own_progress_and_links_to_score(app, org, login_as):
    session_id = new_session(app, org, interactions=org.interactions)
    anna = login_as(user=org.reviewers[0])
    body = anna.get(f"/calibration/{session_id}").get_data(as_text=True)
    for interaction_id in org.interactions:
        link = f"/evaluations/new?interaction={interaction_id}&amp;calibration={session_id}"
        assert link in body
    bence = login_as(user=org.reviewers[1])
    page = bence.get(f"/calibration/{session_id}").get_data(as_text=True)
    assert "Progress" not in page  # only the leader and admins follow everyone
    close(app, session_id)
    ended = anna.get(f"/calibration/{session_id}").get_data(as_text=True)
    assert "/evaluations/new" not in ended and "Not scored" in ended


def test_external_ids_are_read_from_lines_and_commas_once_each():
    text = " CALL-1,CALL-2\n\nCALL-1 ,  chat 7 \r\n"
    assert parse_external_ids(text) == ["CALL-1", "CALL-2", "chat 7"]
