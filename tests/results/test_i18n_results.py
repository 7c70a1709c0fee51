"""Result pages, their charts and action plans for people who work in Hungarian.

Needs the compiled Hungarian catalogue (`make translations`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

import pytest
from flask_babel import force_locale, gettext

from qa_app.accounts.models import User
from qa_app.calibration.charts import scores_chart
from qa_app.extensions import db
from qa_app.plans import services as plans
from qa_app.results import charts
from qa_app.scorecards.models import ScorecardVersion
from tests.conftest import choose_language
from tests.i18n_text import page_texts
from tests.results.test_pages import RANGE, expected, raw_evaluations, raw_interactions
from tools import catalogues

# One name per script that matplotlib's own font cannot draw or that runs right to left.
SCRIPTS = ["Ποιότητα", "నాణ్యత", "गुणवत्ता", "الجودة"]
MINE = ("qa_app/templates/results/", "qa_app/templates/plans/")


def hungarian(app, user_id) -> User:
    """The user, now with Hungarian as their language."""
    choose_language(app, user_id)
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def in_hungarian(number: str) -> str:
    """A number as the English page writes it ("78.53", "66.7%"), in Hungarian notation."""
    return number.replace(".", ",")


@cache
def _template_texts() -> frozenset[str]:
    """The plain texts (no placeholders) of the result and plan templates."""
    return frozenset(
        m.id
        for m in catalogues.extract()
        if isinstance(m.id, str)
        and "%(" not in m.id
        and any(location.startswith(MINE) for location, _line in m.locations)
    )


def english_left(app, html: str) -> list[str]:
    """Texts of the result and plan templates shown in English although Hungarian has them."""
    with app.test_request_context(), force_locale("hu"):
        english = {text for text in _template_texts() if gettext(text) != text}
    return [text for text in page_texts(html) if text in english]


def _cells(body: str, name: str) -> list[str]:
    row = re.search(rf">{re.escape(name)}</a></th>(.*?)</tr>", body, re.S)
    assert row, f"no row for {name}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def _svg_texts(svg: bytes) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())


def test_a_hungarian_lead_reads_the_team_results_in_hungarian(app, seeded, login_as):
    lead = login_as(user=hungarian(app, seeded.lead_ids[0]))
    body = lead.get(f"/results/teams/{seeded.team_ids[0]}?{RANGE}").get_data(as_text=True)
    assert '<html lang="hu"' in body
    for text in ("csapateredmények", "Minőségi pontszám", "Megfelelési arány", "Munkatársak"):
        assert text in body, text
    assert "Leggyengébb kritériumok" in body and "A csapat heti minőségi pontszáma" in body
    assert "2026. szept. 7." in body  # the period, in the Hungarian date notation
    assert english_left(app, body) == []
    with app.app_context():
        agents = {a: db.session.get(User, a).display_name for a in seeded.agent_ids[:3]}
    for agent_id, name in agents.items():
        raw = raw_evaluations(app, {agent_id}), raw_interactions(app, {agent_id})
        cells, want = _cells(body, name), expected(*raw)
        assert cells[1] == in_hungarian(want["quality"])  # 78,53
        assert cells[4] == in_hungarian(want["pass_rate"])  # 85,0%
        assert cells[6] == in_hungarian(want["csat"])
        assert re.fullmatch(r"\d+,\d%", cells[4]), cells[4]


def test_a_hungarian_lead_reads_an_agent_page_in_hungarian(app, seeded, login_as):
    lead = login_as(user=hungarian(app, seeded.lead_ids[0]))
    agent_id = seeded.agent_ids[1]
    body = lead.get(f"/results/agents/{agent_id}?{RANGE}").get_data(as_text=True)
    for text in ("Kritériumok", "Csapatátlag", "Cselekvési terv létrehozása", "Megfelelési arány"):
        assert text in body, text
    assert english_left(app, body) == []
    want = expected(raw_evaluations(app, {agent_id}))
    assert f'<span class="score-value">{in_hungarian(want["quality"])}</span>' in body
    first_cells = r'<tr data-key="[^"]+"[^>]*>\s*<td dir="auto">[^<]*</td>\s*<td[^>]*>([^<]*)<'
    averages = re.findall(first_cells, body)
    assert averages and all(re.fullmatch(r"\d,\d\d|—", a) for a in averages), averages


def test_result_filter_problems_are_explained_in_hungarian(app, seeded, login_as):
    reviewer = login_as(user=hungarian(app, seeded.reviewer_id))
    body = reviewer.get("/results/?period=custom&from=2026-13-01&channel=fax").get_data(
        as_text=True
    )
    assert "A dátumokat 2026-03-31 formában adja meg." in body
    assert "Ismeretlen csatorna; minden csatorna látható." in body


def test_charts_for_a_hungarian_reader_have_hungarian_labels_and_months(app, seeded, login_as):
    lead = login_as(user=hungarian(app, seeded.lead_ids[0]))
    team, agent = seeded.team_ids[0], seeded.agent_ids[0]
    trend = _svg_texts(lead.get(f"/results/teams/{team}/trend.svg?{RANGE}").data)
    assert "Minőségi pontszám" in trend and "Heti minőségi pontszám" in trend
    assert any(t.startswith(("szept.", "okt.")) for t in trend), trend
    assert not any(re.match(r"(Sep|Oct) \d", t) for t in trend), trend
    bands = _svg_texts(lead.get(f"/results/teams/{team}/distribution.svg?{RANGE}").data)
    assert "Kiváló" in bands and "Értékelések" in bands
    criteria = _svg_texts(lead.get(f"/results/agents/{agent}/criteria.svg?{RANGE}").data)
    assert "Csapat" in criteria  # each bar's value in the Hungarian notation:
    assert any(re.fullmatch(r"[1-5],\d\d", t) for t in criteria), criteria
    agent_trend = _svg_texts(lead.get(f"/results/agents/{agent}/trend.svg?{RANGE}").data)
    assert "North csapat" in agent_trend


@pytest.mark.parametrize("language", ["en", "hu"])
def test_chart_text_in_any_script_is_svg_text(app, language):
    week = date(2026, 9, 7)
    with app.test_request_context(headers={"Accept-Language": language}):
        svgs = [
            charts.criteria_chart([(name, 3.5, 4.0) for name in SCRIPTS], (SCRIPTS[0], SCRIPTS[3])),
            charts.trend_chart(
                [(SCRIPTS[1], [(week, 70.0)]), (SCRIPTS[2], [(week, 80.0)])], SCRIPTS[3], SCRIPTS[0]
            ),
            charts.distribution_chart(dict.fromkeys(SCRIPTS, 2), SCRIPTS[2], SCRIPTS[1]),
            scores_chart([(name, {1: 4, 2: 5}) for name in SCRIPTS], [(1, SCRIPTS[2]), (2, "$5")]),
        ]
    for svg in svgs:
        assert set(SCRIPTS) <= set(_svg_texts(svg)), _svg_texts(svg)
        assert b"DejaVuSans-" not in svg  # no glyphs drawn as paths: the browser draws the text
        assert re.search(r"font-family: [^;\"]*, sans-serif", svg.decode())
    assert "$5" in _svg_texts(svgs[3])  # a dollar sign is text, not the start of a formula


def test_a_hungarian_agent_reads_their_action_plan_in_hungarian(app, seeded, login_as):
    agent_id, lead_id = seeded.agent_ids[0], seeded.lead_ids[0]
    with app.app_context():
        version = db.session.get(ScorecardVersion, seeded.version_ids["chat"])
        criterion = version.ordered_criteria[0]
        plan = plans.save_plan(
            None,
            db.session.get(User, agent_id),
            db.session.get(User, lead_id),
            title="Gyorsabb első válasz",
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 2) + timedelta(weeks=6),
            goals=[plans.GoalInput(criterion.key, criterion.name, 4, "Sablonok használata")],
        )
        db.session.commit()
        plan_id = plan.id
    agent = login_as(user=hungarian(app, agent_id))
    body = agent.get(f"/plans/{plan_id}").get_data(as_text=True)
    for text in ("Célátlag", "Átlag a kezdés óta", "Teendők", "Nyomon követési megjegyzések"):
        assert text in body, text
    assert "Elolvastam a tervet" in body and "Még nincs megjegyzés." in body
    assert "2026. nov. 2." in body and ">4,00<" in body
    status = re.search(r'<span class="badge status-[a-z-]+">([^<]+)<', body)
    assert status and status.group(1) in ("Nyitott", "Jó úton halad", "Teljesült", "Nem teljesült")
    assert '<h1 dir="auto">Gyorsabb első válasz</h1>' in body
    assert english_left(app, body) == []
    done = agent.submit(f"/plans/{plan_id}/acknowledge", token_from="/", follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Köszönjük: a tervet olvasottként jelöltük meg." in page
    assert "A terv elolvasását ekkor erősítette meg:" in page
    listing = agent.get("/plans/").get_data(as_text=True)
    assert "Cselekvési tervek" in listing and "Határidő" in listing
    assert english_left(app, listing) == []
