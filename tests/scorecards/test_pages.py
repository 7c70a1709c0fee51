"""Building scorecards through the pages, as a reviewer would."""

from __future__ import annotations

import html

from qa_app.accounts.models import Role
from tests.scorecards.conftest import SETTINGS, count_versions, criterion_data


def _create(client) -> int:
    response = client.submit("/scorecards/new", SETTINGS, token_from="/")
    assert response.status_code == 302
    return int(response.headers["Location"].split("/")[2])


def test_reviewer_builds_and_publishes_a_scorecard(app, login_as, fetch):
    reviewer = login_as(Role.REVIEWER)
    version_id = _create(reviewer)
    section_id = fetch_section_id(app, version_id)
    edit = f"/scorecards/{version_id}"
    for name in ("Greets by name", "Resolves the issue", "Closes politely"):
        response = reviewer.submit(
            f"{edit}/criteria/new", criterion_data(section_id, name), token_from="/"
        )
        assert response.status_code == 302, response.get_data(as_text=True)
    assert (
        reviewer.submit(f"{edit}/sections", {"name": "Closing"}, token_from="/").status_code == 302
    )
    snapshot = fetch(version_id)
    closing_id = fetch_section_id(app, version_id, index=1)
    third = criterion_id_of(app, version_id, "Closes politely")
    reviewer.submit(
        f"{edit}/criteria/{third}",
        criterion_data(closing_id, "Closes politely", weight="2", is_critical="y"),
        token_from="/",
    )
    second = criterion_id_of(app, version_id, "Resolves the issue")
    reviewer.submit(f"{edit}/criteria/{second}/move", {"direction": "up"}, token_from="/")
    snapshot = fetch(version_id)
    assert [c[0] for c in snapshot["criteria"]] == [
        "Resolves the issue",
        "Greets by name",
        "Closes politely",
    ]
    assert snapshot["criteria"][2][2:] == (2.0, True, False, "Closing")
    assert reviewer.submit(f"{edit}/publish", token_from="/").status_code == 302
    assert fetch(version_id)["status"] == "published"
    page = reviewer.get(edit).get_data(as_text=True)
    assert "Published" in page and "Great" in page and "Critical" in page


def fetch_section_id(app, version_id, index=0):
    from qa_app.extensions import db
    from qa_app.scorecards.models import ScorecardVersion

    with app.app_context():
        return db.session.get(ScorecardVersion, version_id).sections[index].id


def criterion_id_of(app, version_id, name):
    from qa_app.extensions import db
    from qa_app.scorecards.models import ScorecardVersion

    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        return next(c.id for c in version.ordered_criteria if c.name == name)


def test_bad_settings_show_messages_and_store_nothing(app, login_as):
    reviewer = login_as(Role.REVIEWER)
    bad = {**SETTINGS, "name": "", "pass_mark": "150", "channels": [], "label_3": "x" * 41}
    response = reviewer.submit("/scorecards/new", bad, token_from="/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This field is required." in body
    assert "Use a number from 0 to 100." in body
    assert "Choose at least one channel." in body
    assert count_versions(app) == 0


def test_zero_weight_and_duplicate_names_are_refused(app, login_as, fetch):
    reviewer = login_as(Role.REVIEWER)
    version_id = _create(reviewer)
    section_id = fetch_section_id(app, version_id)
    url = f"/scorecards/{version_id}/criteria/new"
    reviewer.submit(url, criterion_data(section_id, "Empathy"), token_from="/")
    zero = reviewer.submit(url, criterion_data(section_id, "Tone", weight="0"), token_from="/")
    assert "The weight must be greater than 0" in zero.get_data(as_text=True)
    negative = reviewer.submit(url, criterion_data(section_id, "Tone", weight="-1"), token_from="/")
    assert "The weight must be greater than 0" in negative.get_data(as_text=True)
    duplicate = reviewer.submit(url, criterion_data(section_id, " empathy "), token_from="/")
    assert 'There is already a criterion called "empathy"' in html.unescape(
        duplicate.get_data(as_text=True)
    )
    assert [c[0] for c in fetch(version_id)["criteria"]] == ["Empathy"]


def test_a_scorecard_without_criteria_cannot_be_published(app, login_as, fetch):
    reviewer = login_as(Role.REVIEWER)
    version_id = _create(reviewer)
    response = reviewer.submit(
        f"/scorecards/{version_id}/publish", token_from="/", follow_redirects=True
    )
    assert "A scorecard needs at least one criterion." in response.get_data(as_text=True)
    assert fetch(version_id)["status"] == "draft"


def test_deleting_sections_and_criteria(app, login_as, fetch, shipped):
    reviewer = login_as(Role.REVIEWER)
    version_id = shipped("communication-essentials")
    before = fetch(version_id)
    first_criterion = criterion_id_of(app, version_id, before["criteria"][0][0])
    reviewer.submit(f"/scorecards/{version_id}/criteria/{first_criterion}/delete", token_from="/")
    section_id = fetch_section_id(app, version_id, index=2)
    reviewer.submit(f"/scorecards/{version_id}/sections/{section_id}/delete", token_from="/")
    after = fetch(version_id)
    assert len(after["sections"]) == len(before["sections"]) - 1
    removed = {c[0] for c in before["criteria"] if c[5] == before["sections"][2]}
    assert {c[0] for c in after["criteria"]} == {c[0] for c in before["criteria"][1:]} - removed


def test_sections_can_be_renamed_and_reordered(app, login_as, fetch, shipped):
    reviewer = login_as(Role.REVIEWER)
    version_id = shipped("communication-essentials")
    names = fetch(version_id)["sections"]
    second = fetch_section_id(app, version_id, index=1)
    reviewer.submit(
        f"/scorecards/{version_id}/sections/{second}/move", {"direction": "up"}, token_from="/"
    )
    reviewer.submit(
        f"/scorecards/{version_id}/sections/{second}", {"name": "Σαφήνεια"}, token_from="/"
    )
    assert fetch(version_id)["sections"] == ["Σαφήνεια", names[0], *names[2:]]
    editor = reviewer.get(f"/scorecards/{version_id}/edit").get_data(as_text=True)
    # The arrows and Delete say what they act on, for whoever cannot see the row.
    assert 'aria-label="Move Σαφήνεια up"' in editor
    assert 'aria-label="Move Σαφήνεια down"' in editor
    assert 'aria-label="Delete section Σαφήνεια"' in editor


def test_stored_text_is_escaped(app, login_as, fetch):
    reviewer = login_as(Role.REVIEWER)
    version_id = _create(reviewer)
    section_id = fetch_section_id(app, version_id)
    reviewer.submit(
        f"/scorecards/{version_id}/criteria/new",
        criterion_data(section_id, "<script>alert(1)</script>"),
        token_from="/",
    )
    body = reviewer.get(f"/scorecards/{version_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
