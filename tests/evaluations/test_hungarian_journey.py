"""A reviewer working in Hungarian scores a call from start to end and meets no English UI text.

Every page of the journey is read as a person reads it (text nodes, titles, labels, button texts)
and held against the English catalogue: no text the catalogue translates may appear in English.
Data is Hungarian too (the Hungarian five-key-elements scorecard, a Hungarian call), so anything
English on the page can only come from the interface.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from qa_app.accounts.models import Role
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from tests.conftest import choose_language
from tests.i18n_text import page_texts
from tools import catalogues

HUNGARIAN_TEMPLATE = SHIPPED_DIR / "five-key-elements.hu.yaml"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each English text that Hungarian translates differently, as a whole-word pattern."""
    hungarian = {m.id: m.string for m in catalogues.read("hu") if m.id}
    patterns = []
    for message in catalogues.read("en"):
        for english in message.id if isinstance(message.id, tuple) else (message.id,):
            if not english or hungarian.get(message.id) in (english, (english, english)):
                continue
            parts = [re.escape(part) for part in _PLACEHOLDER.split(english)]
            if sum(len(re.sub(r"\W", "", p)) for p in parts) < 3:
                continue  # nothing but a placeholder and punctuation
            body = r"\s*.+?\s*".join(parts)
            patterns.append((english, re.compile(rf"(?<!\w){body}(?!\w)")))
    return patterns


# Texts Hungarian keeps as they are (the product's name): their words are not English left over.
KEPT = ("QA Scorecard",)


def english_left(html: str, patterns: list[tuple[str, re.Pattern[str]]]) -> list[tuple[str, str]]:
    """(page text, English text) pairs: interface text shown untranslated."""
    found = []
    for text in page_texts(html):
        for kept in KEPT:
            text = text.replace(kept, "…")
        found.extend((text, english) for english, pattern in patterns if pattern.search(text))
    return found


@pytest.fixture
def hungarian_world(app, make_user, make_team):
    lead = make_user(Role.LEAD, name="Kovács Éva")
    team = make_team("Számlázás", lead=lead)
    agent = make_user(Role.AGENT, team=team, name="Szabó Péter")
    reviewer = make_user(Role.REVIEWER, name="Nagy Anna")
    choose_language(app, reviewer.id)
    with app.app_context():
        version = import_doc(load_shipped_template(HUNGARIAN_TEMPLATE), None, publish_now=True)
        interaction = Interaction(
            external_id="HIVAS-1",
            channel=Channel.CALL,
            agent_id=agent.id,
            occurred_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
            duration_seconds=245,
            language="hu",
            transcript_turns=[
                {"speaker": "Ügyfél", "text": "Jó napot, hibás a számlám.", "at": "00:01"},
                {"speaker": "Munkatárs", "text": "Köszönöm, máris megnézem.", "at": "00:05"},
            ],
            csat=4,
        )
        db.session.add(interaction)
        db.session.commit()
        criteria = [c.id for c in version.ordered_criteria]
        return {"reviewer": reviewer, "interaction": interaction.id, "criteria": criteria}


def test_a_hungarian_reviewer_scores_a_call_without_english_ui_text(app, login_as, hungarian_world):
    patterns = _english_patterns()
    assert len(patterns) > 100  # the catalogue is really there
    reviewer = login_as(user=hungarian_world["reviewer"])
    interaction = hungarian_world["interaction"]
    scoring = f"/evaluations/new?interaction={interaction}"
    pages = {path: reviewer.get(path) for path in ("/", "/interactions", scoring)}
    pages[f"/interactions/{interaction}"] = reviewer.get(f"/interactions/{interaction}")
    # A first try with a score missing: the form comes back with its messages, in Hungarian.
    data = {f"score_{cid}": "4" for cid in hungarian_world["criteria"][1:]}
    pages["refused"] = reviewer.submit(scoring, {**data, "action": "submit"}, token_from="/")
    data[f"score_{hungarian_world['criteria'][0]}"] = "5"
    data.update(action="submit", strengths="Kedves hangnem", improvements="Összefoglalás")
    submitted = reviewer.submit(scoring, data, token_from="/")
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    pages["evaluation"] = reviewer.get(submitted.headers["Location"])
    pages["list"] = reviewer.get("/evaluations/")
    for name, page in pages.items():
        assert page.status_code in (200, 422), name
        html = page.get_data(as_text=True)
        assert '<html lang="hu"' in html, name
        assert english_left(html, patterns) == [], name
    with app.app_context():
        evaluation = db.session.scalar(sa.select(Evaluation))
        assert evaluation is not None and evaluation.score is not None


def test_the_check_catches_an_english_text_on_a_hungarian_page():
    patterns = _english_patterns()
    english = next(p for p in patterns if p[0] == "Skip to content")
    html = "<html><body><p>Ugrás a tartalomra</p><a>Skip to content</a></body></html>"
    assert english_left(html, [english]) == [("Skip to content", "Skip to content")]
