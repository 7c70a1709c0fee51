"""The automation rule on the criterion form: YAML in, checked as the import checks it."""

from __future__ import annotations

import pytest

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.models import ScorecardVersion
from tests.conftest import choose_language
from tests.scorecards.conftest import criterion_data

GREETING_YAML = """kind: phrases
mode: required
phrases:
  en: [thank you, thanks]
  hu: [köszönöm]
"""


@pytest.fixture
def draft(app, shipped):
    """The shipped chat template as a draft: (version id, section id, its second criterion)."""
    version_id = shipped("chat")
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        criterion = version.ordered_criteria[1]
        return version_id, criterion.section_id, criterion.id


def _criterion(app, criterion_id: int) -> tuple[str, dict | None]:
    with app.app_context():
        from qa_app.scorecards.models import Criterion

        found = db.session.get(Criterion, criterion_id)
        return found.name, found.rule


def _save(client, draft, rule: str, **extra: str):
    version_id, section_id, criterion_id = draft
    data = criterion_data(section_id, "Greets warmly", rule_text=rule, **extra)
    url = f"/scorecards/{version_id}/criteria/{criterion_id}"
    return client.submit(url, data, token_from=url)


def test_a_valid_rule_is_stored_and_shown_again_as_yaml(app, login_as, draft):
    reviewer = login_as(Role.REVIEWER)
    assert _save(reviewer, draft, GREETING_YAML).status_code == 302
    name, rule = _criterion(app, draft[2])
    assert (name, rule["phrases"]) == (
        "Greets warmly",
        {"en": ["thank you", "thanks"], "hu": ["köszönöm"]},
    )
    page = reviewer.get(f"/scorecards/{draft[0]}/criteria/{draft[2]}").get_data(as_text=True)
    assert "kind: phrases" in page and "köszönöm" in page
    assert f"/autoqa/playground?version={draft[0]}" in page
    assert _save(reviewer, draft, "  ").status_code == 302  # empty: the rule goes
    assert _criterion(app, draft[2])[1] is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("kind: phrases\nphrases: [unclosed", "rule: is not valid YAML"),
        ("kind: phrases\nmode: required\nphrases: {en: [thanks, 7]}", "rule.phrases.en[1]: "),
        ("kind: guess", "rule.kind: must be one of"),
        ("- a list", "rule: must be a mapping"),
        ("kind: phrases\nphrases: &p {en: [hi]}\nx: *p", "aliases are not allowed"),
        (
            "kind: metric\nmetric: csat\nthresholds: [{at_least: 4, point: 5}]\notherwise: n/a",
            "rule: this rule can answer N/A",
        ),
    ],
)
def test_a_bad_rule_is_refused_with_its_path_and_nothing_is_stored(
    app, login_as, draft, rule, expected
):
    before = _criterion(app, draft[2])
    response = _save(login_as(Role.REVIEWER), draft, rule)
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)
    assert _criterion(app, draft[2]) == before  # not even the new name


def test_a_rule_longer_than_the_limit_is_refused(app, login_as, draft):
    response = _save(login_as(Role.REVIEWER), draft, "kind: phrases\n" + "#" * 10_000)
    assert "10000" in response.get_data(as_text=True)
    assert _criterion(app, draft[2])[0] != "Greets warmly"


def test_rule_problems_are_shown_in_the_readers_language(app, login_as, make_user, draft):
    reviewer = make_user(Role.REVIEWER)
    choose_language(app, reviewer.id, "hu")
    response = _save(login_as(user=reviewer), draft, "kind: phrases\nmode: sometimes\nfoo: 1")
    page = response.get_data(as_text=True)
    assert "rule.foo: ismeretlen mező: foo" in page
    assert "rule.mode: " in page and "must be one of" not in page


def test_a_published_version_refuses_a_rule_with_409(app, login_as, shipped):
    version_id = shipped("chat", publish=True)
    with app.app_context():
        criterion = db.session.get(ScorecardVersion, version_id).ordered_criteria[1]
        section_id, criterion_id = criterion.section_id, criterion.id
    response = _save(login_as(Role.REVIEWER), (version_id, section_id, criterion_id), "kind: x")
    assert response.status_code == 409
