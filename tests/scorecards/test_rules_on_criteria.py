"""Auto QA rules on criteria: in the YAML, in the database, frozen on publish, copied on edit."""

from __future__ import annotations

import io

import pytest
import yaml

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.scorecards.automation import set_rule
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import (
    SHIPPED_DIR,
    ScorecardSchemaError,
    dump_scorecard_yaml,
    parse_scorecard_yaml,
)
from qa_app.scorecards.services import ScorecardError, ScorecardFrozen
from tests.scorecards.conftest import count_versions

GREETING = {
    "kind": "phrases",
    "mode": "required",
    "phrases": {"en": ["thank you", "thanks"], "hu": ["köszönöm"]},
    "within": "first",
    "turns": 2,
}
CSAT_OR_NA = {
    "kind": "metric",
    "metric": "csat",
    "thresholds": [{"at_least": 4, "point": 5}],
    "otherwise": "n/a",
}


def _document(**rules: dict) -> dict:
    """The shipped chat template, without its own rules, with these: _document(c0=..., c1=...)."""
    data = yaml.safe_load((SHIPPED_DIR / "chat.yaml").read_bytes())
    for section in data["sections"]:
        for criterion in section["criteria"]:
            criterion.pop("rule", None)
    criteria = data["sections"][0]["criteria"]
    for name, rule in rules.items():
        criteria[int(name[1:])]["rule"] = rule
    return data


def _yaml(**rules: dict) -> bytes:
    return yaml.safe_dump(_document(**rules), allow_unicode=True).encode()


def _problems(data: dict) -> list[str]:
    with pytest.raises(ScorecardSchemaError) as refused:
        parse_scorecard_yaml(yaml.safe_dump(data, allow_unicode=True))
    return [str(problem) for problem in refused.value.errors]


def test_a_rule_survives_parse_dump_and_parse():
    doc = parse_scorecard_yaml(_yaml(c1=GREETING))
    assert doc.sections[0].criteria[1].rule == GREETING
    assert doc.sections[0].criteria[0].rule is None
    assert parse_scorecard_yaml(dump_scorecard_yaml(doc)) == doc
    assert "rule" not in yaml.safe_load(dump_scorecard_yaml(doc))["sections"][0]["criteria"][0]


def test_every_problem_of_a_rule_has_its_full_path():
    bad = {**GREETING, "phrases": {"en": ["thanks", "  "]}, "within": "middle"}
    problems = _problems(_document(c1=bad))
    assert any(p.startswith("sections[0].criteria[1].rule.phrases.en[1]: ") for p in problems)
    assert any(p.startswith("sections[0].criteria[1].rule.within: ") for p in problems)
    assert _problems(_document(c0={"kind": "guess"})) == [
        "sections[0].criteria[0].rule.kind: must be one of phrases, response_time, metric, "
        "message_shape, model"
    ]


def test_a_rule_that_can_answer_na_needs_a_criterion_that_allows_na():
    data = _document(c0=CSAT_OR_NA)
    data["sections"][0]["criteria"][0]["allow_na"] = False
    assert [p.split(":")[0] for p in _problems(data)] == ["sections[0].criteria[0].rule"]
    data["sections"][0]["criteria"][0]["allow_na"] = True
    assert parse_scorecard_yaml(yaml.safe_dump(data)).sections[0].criteria[0].rule == CSAT_OR_NA


def _upload(client, content: bytes):
    return client.submit(
        "/scorecards/import",
        {"file": (io.BytesIO(content), "card.yaml")},
        token_from="/",
        content_type="multipart/form-data",
    )


def test_import_stores_the_rule_and_export_gives_it_back(app, login_as):
    reviewer = login_as(Role.REVIEWER)
    response = _upload(reviewer, _yaml(c1=GREETING))
    assert response.status_code == 302
    version_id = int(response.headers["Location"].split("/")[2])
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        assert [c.rule for c in version.ordered_criteria][:2] == [None, GREETING]
    exported = reviewer.get(f"/scorecards/{version_id}/export").data
    assert parse_scorecard_yaml(exported).sections[0].criteria[1].rule == GREETING


def test_a_refused_rule_lists_its_problems_on_the_import_page(app, login_as):
    bad = {**GREETING, "phrases": {"en": ["thanks", 7]}}
    response = _upload(login_as(Role.REVIEWER), _yaml(c1=bad))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The file was not imported" in body
    assert "sections[0].criteria[1].rule.phrases.en[1]" in body
    assert count_versions(app) == 0


def test_the_rule_is_frozen_on_publish_and_copied_to_the_next_version(app, login_as, shipped):
    reviewer = login_as(Role.REVIEWER)
    v1 = shipped("chat")
    with app.app_context():
        criterion = db.session.get(ScorecardVersion, v1).ordered_criteria[1]
        set_rule(criterion, GREETING)
        db.session.commit()
    assert reviewer.submit(f"/scorecards/{v1}/publish", token_from="/").status_code == 302
    with app.app_context():
        criterion = db.session.get(ScorecardVersion, v1).ordered_criteria[1]
        with pytest.raises(ScorecardFrozen) as frozen:
            set_rule(criterion, None)
        assert frozen.value.status == 409
    new = reviewer.submit(f"/scorecards/{v1}/new-version", token_from="/")
    v2 = int(new.headers["Location"].split("/")[2])
    with app.app_context():
        old, copy = (db.session.get(ScorecardVersion, v).ordered_criteria[1] for v in (v1, v2))
        assert (old.rule, copy.rule, copy.key) == (GREETING, GREETING, old.key)
        assert copy.id != old.id


def test_setting_a_bad_rule_on_a_draft_is_refused_with_its_path(app, shipped):
    with app.app_context():
        # The second criterion: the shipped template gives it no rule of its own.
        criterion = db.session.get(ScorecardVersion, shipped("chat")).ordered_criteria[1]
        with pytest.raises(ScorecardError) as refused:
            set_rule(criterion, {"kind": "metric", "metric": "mood"})
        assert "rule.metric" in str(refused.value)
        assert criterion.rule is None


def test_duplicating_a_scorecard_copies_its_rules(app, shipped, make_user):
    from qa_app.accounts.models import User
    from qa_app.scorecards.services import duplicate

    owner = make_user(Role.REVIEWER)
    with app.app_context():
        version = db.session.get(ScorecardVersion, shipped("chat"))
        set_rule(version.ordered_criteria[1], GREETING)
        copy = duplicate(version, db.session.get(User, owner.id))
        db.session.commit()
        assert copy.ordered_criteria[1].rule == GREETING
        # The shipped rules come along too.
        assert [c.rule for c in copy.ordered_criteria] == [c.rule for c in version.ordered_criteria]


def test_the_import_page_words_a_rules_problems_in_the_readers_language(app, login_as):
    from tests.conftest import choose_language

    reviewer = login_as(Role.REVIEWER)
    choose_language(app, reviewer.user.id, "hu")
    bad = {**GREETING, "phrases": {"en": ["thanks", 7]}, "turns": 0}
    body = _upload(reviewer, _yaml(c1=bad)).get_data(as_text=True)
    assert "legalább egy szóból álló kifejezésnek kell lennie" in body
    assert "legalább 1 kell legyen, ha a within értéke first vagy last" in body
    assert "must be" not in body
