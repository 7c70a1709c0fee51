"""Draft -> published -> archived; publishing freezes; editing makes a new version."""

from __future__ import annotations

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.services import usable_versions
from tests.scorecards.conftest import SETTINGS, count_versions, criterion_data


def _location_id(response) -> int:
    return int(response.headers["Location"].split("/")[2])


def test_publishing_freezes_and_editing_makes_version_2(app, login_as, shipped, fetch):
    reviewer = login_as(Role.REVIEWER)
    v1 = shipped("phone", publish=True)
    frozen = fetch(v1)
    section = fetch(v1)["sections"][0]
    with app.app_context():
        version = db.session.get(ScorecardVersion, v1)
        section_id, criterion_id = version.sections[0].id, version.ordered_criteria[0].id
    attempts = [
        (f"/scorecards/{v1}/edit", {**SETTINGS, "name": "Changed"}),
        (f"/scorecards/{v1}/sections", {"name": "New"}),
        (f"/scorecards/{v1}/sections/{section_id}", {"name": "Renamed"}),
        (f"/scorecards/{v1}/criteria/new", criterion_data(section_id, "Extra")),
        (f"/scorecards/{v1}/criteria/{criterion_id}", criterion_data(section_id, "Changed")),
        (f"/scorecards/{v1}/criteria/{criterion_id}/move", {"direction": "down"}),
        (f"/scorecards/{v1}/criteria/{criterion_id}/delete", {}),
        (f"/scorecards/{v1}/discard", {}),
    ]
    for url, data in attempts:
        response = reviewer.submit(url, data, token_from="/")
        assert response.status_code == 409, url
        assert "make a new version" in response.get_data(as_text=True)
    assert fetch(v1) == frozen

    v2 = _location_id(reviewer.submit(f"/scorecards/{v1}/new-version", token_from="/"))
    copy = fetch(v2)
    assert (copy["version"], copy["status"], copy["scorecard_id"]) == (
        2,
        "draft",
        frozen["scorecard_id"],
    )
    assert (
        copy["criteria"] == frozen["criteria"]
    )  # same keys: results follow criteria across versions
    reviewer.submit(f"/scorecards/{v2}/edit", {**SETTINGS, "name": "Phone v2"}, token_from="/")
    with app.app_context():
        v2_section = db.session.get(ScorecardVersion, v2).sections[0].id
    reviewer.submit(
        f"/scorecards/{v2}/criteria/new", criterion_data(v2_section, "Extra"), token_from="/"
    )
    assert fetch(v1) == frozen
    assert (
        fetch(v2)["name"] == "Phone v2"
        and len(fetch(v2)["criteria"]) == len(frozen["criteria"]) + 1
    )
    assert section in fetch(v2)["sections"]

    again = _location_id(reviewer.submit(f"/scorecards/{v1}/new-version", token_from="/"))
    assert again == v2  # one open draft per scorecard
    reviewer.submit(f"/scorecards/{v2}/publish", token_from="/")
    assert fetch(v2)["status"] == "published"
    assert fetch(v1)["status"] == "archived"


def test_archived_versions_stay_readable_but_cannot_be_used(app, login_as, shipped):
    reviewer = login_as(Role.REVIEWER)
    version_id = shipped("email", publish=True)
    reviewer.submit(f"/scorecards/{version_id}/archive", token_from="/")
    with app.app_context():
        assert version_id not in [v.id for v in db.session.scalars(usable_versions())]
    agent = login_as(Role.AGENT)
    page = agent.get(f"/scorecards/{version_id}")
    assert page.status_code == 200 and "Archived" in page.get_data(as_text=True)


def test_duplicate_makes_a_new_draft_scorecard(app, login_as, shipped, fetch):
    reviewer = login_as(Role.REVIEWER)
    original = shipped("chat", publish=True)
    copy_id = _location_id(reviewer.submit(f"/scorecards/{original}/duplicate", token_from="/"))
    copy, source = fetch(copy_id), fetch(original)
    assert copy["name"] == f"Copy of {source['name']}"
    assert (copy["status"], copy["version"]) == ("draft", 1)
    assert copy["scorecard_id"] != source["scorecard_id"]
    assert [c[0] for c in copy["criteria"]] == [c[0] for c in source["criteria"]]
    assert {c[1] for c in copy["criteria"]}.isdisjoint({c[1] for c in source["criteria"]})


def test_a_draft_can_be_deleted(app, login_as, shipped):
    reviewer = login_as(Role.REVIEWER)
    draft = shipped("chat")
    assert reviewer.submit(f"/scorecards/{draft}/discard", token_from="/").status_code == 302
    assert count_versions(app) == 0


def test_leads_and_agents_read_published_scorecards_but_never_drafts(login_as, shipped, fetch):
    published = shipped("phone", publish=True)
    draft = shipped("chat")
    for role in (Role.AGENT, Role.LEAD):
        client = login_as(role)
        listing = client.get("/scorecards/").get_data(as_text=True)
        assert fetch(published)["name"] in listing and fetch(draft)["name"] not in listing
        assert client.get(f"/scorecards/{published}").status_code == 200
        assert client.get(f"/scorecards/{draft}").status_code == 404
        assert client.get(f"/scorecards/{draft}/export").status_code == 404
        assert client.submit(f"/scorecards/{published}/archive", token_from="/").status_code == 403
