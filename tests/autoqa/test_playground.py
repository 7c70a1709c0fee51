"""The rule playground: a version's rules run on a pasted or a stored transcript, nothing stored."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.accounts.models import Role
from qa_app.autoqa.forms import parse_transcript
from qa_app.autoqa.models import AutoResult
from qa_app.extensions import db
from qa_app.scorecards.models import Criterion, ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.autoqa.conftest import TURNS
from tests.conftest import choose_language

THANKS = {
    "kind": "phrases",
    "mode": "required",
    "phrases": {"en": ["thank you"], "hu": ["köszönöm"]},
    "found": 5,
    "not_found": 1,
}
FIRST_REPLY = {
    "kind": "response_time",
    "measure": "first_reply",
    "channels": {"chat": {"thresholds": [{"at_most": 60, "point": 5}], "otherwise": 2}},
}
CSAT = {"kind": "metric", "metric": "csat", "thresholds": [{"at_least": 4, "point": 5}]}
CSAT["otherwise"] = 2
ENGLISH = """[00:05] Customer: Hello, my parcel has not arrived.
[00:40] Agent: Thank you for waiting, let me check.
It left the warehouse yesterday.
[01:10] Customer: Thanks!"""


@pytest.fixture
def draft(app) -> dict[str, int]:
    """A draft of the shipped chat card with three rules and one broken one; ids by name."""
    with app.app_context():
        version = import_doc(load_shipped_template(SHIPPED_DIR / "chat.yaml"), None)
        criteria = version.ordered_criteria
        for criterion in criteria:
            criterion.rule = None
        criteria[0].rule, criteria[1].rule, criteria[2].rule = THANKS, FIRST_REPLY, CSAT
        criteria[3].rule = {"kind": "phrases", "phrases": {"en": []}}  # stored before a check
        db.session.commit()
        ids = {f"c{n}": c.id for n, c in enumerate(criteria[:5])}
        return {"version": version.id, **ids}


def _run(client, version_id: int, **fields: str):
    data = {"version": str(version_id), "source": "paste", "channel": "chat", "language": "en"}
    return client.submit("/autoqa/playground", data | fields, token_from="/autoqa/playground")


def _criterion_block(page: str, criterion_id: int) -> str:
    found = re.search(
        rf'id="criterion-{criterion_id}">(.*?)</div>\s*(?=<div class="trial|</section)', page, re.S
    )
    assert found, f"criterion {criterion_id} not on the page"
    return found.group(1)


def test_parse_a_pasted_transcript():
    turns, problems = parse_transcript(ENGLISH + "\n\n  agent :  Bye [see you]")
    assert problems == []
    assert turns == [
        {"speaker": "Customer", "text": "Hello, my parcel has not arrived.", "at": "00:05"},
        {
            "speaker": "Agent",
            "text": "Thank you for waiting, let me check.\nIt left the warehouse yesterday.",
            "at": "00:40",
        },
        {"speaker": "Customer", "text": "Thanks!", "at": "01:10"},
        {"speaker": "Agent", "text": "Bye [see you]"},
    ]
    assert parse_transcript("[1:02:03] Agent: hi")[0][0]["at"] == "1:02:03"


def test_pasted_lines_that_cannot_be_read_are_named():
    text = "Hello\n[00:75] Agent: hi\n[00:10] just text\nCustomer:\n[x] more"
    _, problems = parse_transcript(text)
    assert problems == [
        "line 1: the first turn must start with Agent: or Customer:",
        "line 2: “00:75” is not a time (mm:ss or hh:mm:ss)",
        "line 3: a time must be followed by Agent: or Customer:",
    ]  # line 5 continues the turn of line 4
    assert parse_transcript("Agent:\n\nCustomer: hi")[1] == ["line 1: the turn has no text"]
    assert parse_transcript("[9:99] Agent: hi\nmore") == (
        [],
        ["line 1: “9:99” is not a time (mm:ss or hh:mm:ss)"],
    )


PIECES = st.sampled_from(
    ["[", "]", ":", "0", "12", "75", " ", "\n", "\r", "Agent", "customer", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_text_gives_turns_or_problems_never_an_error(text):
    turns, problems = parse_transcript(text)
    assert (
        all(turn["text"] and turn["speaker"] in ("Agent", "Customer") for turn in turns) or problems
    )


def test_a_pasted_english_transcript_gets_every_rule_run(app, login_as, draft):
    response = _run(login_as(Role.REVIEWER), draft["version"], transcript=ENGLISH, csat="5")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    thanks = _criterion_block(page, draft["c0"])
    assert "Suggested" in thanks and "“<bdi>Thank you</bdi>”" in thanks
    assert 'data-turn="1" data-start="0" data-end="9"' in thanks
    reply = _criterion_block(page, draft["c1"])
    assert "First reply: 35 s" in reply and "5 <bdi>Excellent</bdi>" in reply
    assert "5 <bdi>Excellent</bdi>" in _criterion_block(page, draft["c2"])
    broken = _criterion_block(page, draft["c3"])
    assert "This rule was not run" in broken and "rule.phrases.en" in broken
    assert "No rule." in _criterion_block(page, draft["c4"])
    assert 'id="turn-1"' in page and 'class="turn-words"' in page
    assert "js/evidence.js" in page
    assert 'class="auto-score">100.00' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AutoResult.id))) == 0


def test_a_hungarian_transcript_matches_other_word_forms(app, login_as, draft):
    transcript = "Customer: Szia!\nAgent: Köszönjük 🙏 a türelmét, máris nézem."
    page = _run(
        login_as(Role.REVIEWER), draft["version"], transcript=transcript, language="hu"
    ).get_data(as_text=True)
    thanks = _criterion_block(page, draft["c0"])
    assert "“<bdi>Köszönjük</bdi>”" in thanks
    assert 'data-turn="1" data-start="0" data-end="9"' in thanks
    reply = _criterion_block(page, draft["c1"])
    assert "The rule could not decide: turns without times." in html.unescape(reply)
    assert "the figure was not recorded" in _criterion_block(page, draft["c2"])


def test_a_stored_interaction_by_external_id_or_id(
    app, login_as, make_user, make_interaction, draft
):
    agent = make_user(Role.AGENT)
    stored = make_interaction(agent, external_id="PLAY-1", language="en", transcript_turns=TURNS)
    reviewer = login_as(Role.REVIEWER)
    for reference in ("PLAY-1", str(stored.id)):
        page = _run(reviewer, draft["version"], source="stored", interaction=reference)
        body = page.get_data(as_text=True)
        assert "PLAY-1" in body and agent.display_name in body
        assert "“<bdi>Thank you</bdi>”" in _criterion_block(body, draft["c0"])
        assert "First reply: 40 s" in _criterion_block(body, draft["c1"])
    unknown = _run(reviewer, draft["version"], source="stored", interaction="NOPE-9")
    assert "No interaction has this id or external id." in unknown.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"transcript": "   "}, "Paste a transcript."),
        ({"transcript": "no speaker here"}, "line 1: the first turn must start with"),
        ({"transcript": "Agent: " + "x" * 20_000}, "20000"),
        (
            {"transcript": "Agent: hi", "version": "999999"},
            "Pick a scorecard version from the list.",
        ),
        ({"transcript": "Agent: hi", "csat": "9"}, "between 1 and 5"),
        ({"source": "stored", "interaction": ""}, "Give the id or the external id"),
    ],
)
def test_bad_input_gets_a_message_on_the_form(login_as, draft, fields, message):
    reviewer = login_as(Role.REVIEWER)
    response = _run(reviewer, draft["version"], **fields)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in html.unescape(body)
    assert 'id="trial"' not in body


def test_a_link_can_name_the_version_and_a_missing_one_is_said(login_as, draft, app):
    reviewer = login_as(Role.REVIEWER)
    page = reviewer.get(f"/autoqa/playground?version={draft['version']}").get_data(as_text=True)
    assert f'<option selected value="{draft["version"]}">' in page
    assert "(Draft)" in page
    missing = reviewer.get("/autoqa/playground?version=424242").get_data(as_text=True)
    assert "This scorecard version was not found." in missing
    with app.app_context():
        assert db.session.get(ScorecardVersion, draft["version"]) is not None
        assert db.session.get(Criterion, draft["c0"]).rule == THANKS


def test_the_playground_speaks_hungarian(app, login_as, make_user, draft):
    reviewer = make_user(Role.REVIEWER)
    choose_language(app, reviewer.id, "hu")
    client = login_as(user=reviewer)
    page = _run(client, draft["version"], transcript=ENGLISH).get_data(as_text=True)
    assert "Szabálypróba" in page and "Amit a szabályok javasolnak" in page
    assert "Ez a szabály nem futott le, mert hibás:" in page
    assert "rule.phrases.en: kifejezések nem üres listájának kell lennie" in page
    bad = _run(client, draft["version"], transcript="hello").get_data(as_text=True)
    assert "1. sor: az első megszólalásnak Agent: vagy Customer: szóval kell kezdődnie" in bad
