"""Calibration in Hungarian: a session page, its set-up errors, results and consistency figures."""

from __future__ import annotations

import re

from qa_app.accounts.models import User
from tests.conftest import choose_language

from .conftest import close, new_session, row, score_directly

# One interaction, three criteria (the third allows N/A), as in test_results.
SCORES = {"Anna": [4, 5, "na"], "Bence": [4, 3, 4], "Chloe": [2, 2, 4]}


def _in_hungarian(app, user: User) -> User:
    """The user, with Hungarian chosen as their language."""
    choose_language(app, user.id)
    return user


def _scored_and_closed(app, org) -> int:
    session_id = new_session(app, org)
    for reviewer in org.reviewers:
        values = SCORES[reviewer.display_name]
        score_directly(app, org, session_id, reviewer, org.interactions[0], values)
    close(app, session_id)
    return session_id


def test_a_hungarian_reviewer_sees_a_session_page_in_hungarian(app, org, login_as):
    session_id = new_session(app, org)  # led by Anna
    anna = login_as(user=_in_hungarian(app, org.reviewers[0]))

    page = anna.get(f"/calibration/{session_id}").get_data(as_text=True)

    assert '<small class="muted">Nyitott</small>' in page
    assert "<dt>Viszonyítási alap</dt><dd>Minden értékelőnél a többiek mediánja</dd>" in page
    assert "<h2>Az Ön pontozása</h2>" in page
    assert ">Pontozás megkezdése</a>" in page
    assert "3 értékelésből 0 beküldve." in page
    assert "Az eredmények akkor válnak láthatóvá" in page
    assert "Benchmark" not in page and "evaluations submitted" not in page


def test_a_hungarian_reviewer_gets_set_up_problems_in_hungarian(app, org, login_as):
    anna = login_as(user=_in_hungarian(app, org.reviewers[0]))
    data = {
        "name": "Márciusi kalibráció",
        "scorecard_version_id": str(org.version_id),
        "interactions": "NOPE-1",
        "participant_ids": [str(org.reviewers[0].id)],
        "expert_id": "0",
        "deadline": "2020-01-01T10:00",
    }
    page = anna.submit("/calibration/new", data, token_from="/").get_data(as_text=True)

    assert "Nem található interakció a következő külső azonosító(k)kal: NOPE-1." in page
    assert "Hívjon meg legalább két értékelőt" in page
    assert "Jövőbeli határidőt adjon meg." in page


def test_a_hungarian_admin_reads_the_results_in_hungarian_notation(app, org, login_as):
    session_id = _scored_and_closed(app, org)
    admin = login_as(user=_in_hungarian(app, org.admin))

    body = admin.get(f"/calibration/{session_id}/results").get_data(as_text=True)

    assert "Egyetértés az alkalomban" in body
    assert re.search(r'class="alpha-value">([^<]+)<', body).group(1) == "-0,217"
    assert re.search(r'class="alpha-reading">([^<]+)<', body).group(1) == "nem megbízható"
    assert "0,800 vagy több: megbízható." in body
    assert "meghaladja a tűréshatárt (0,50)" in body
    # the same figures as test_results, in Hungarian notation
    assert row(body, f"reviewer-{org.reviewers[0].id}")[1:] == [
        "1,75",
        "0,0%",
        "50,0%",
        "2",
        "Tűréshatár felett",
    ]
    assert row(body, f"reviewer-{org.reviewers[1].id}")[1:4] == ["0,50", "33,3%", "100,0%"]
    assert "Krippendorff's alpha" not in body and "Mean absolute deviation" not in body


def test_numbers_written_in_a_template_follow_each_readers_language(app, org, login_as):
    """Jinja works out a filter of constants (`0.8|num(3)`) once, when it compiles the template,
    unless the filter asks for the render's context: the first reader's notation then stayed in
    the page for everyone after them."""
    session_id = _scored_and_closed(app, org)
    english = login_as(user=org.admin).get(f"/calibration/{session_id}/results")
    assert "0.800 or more: reliable." in english.get_data(as_text=True)
    hungarian = login_as(user=_in_hungarian(app, org.reviewers[0]))

    body = hungarian.get(f"/calibration/{session_id}/results").get_data(as_text=True)

    assert "0,800 vagy több: megbízható." in body and "0.800" not in body


def test_a_hungarian_admin_reads_reviewer_consistency_in_hungarian(app, org, login_as):
    _scored_and_closed(app, org)
    admin = login_as(user=_in_hungarian(app, org.admin))

    body = admin.get("/calibration/consistency").get_data(as_text=True)

    assert "<h1>Értékelői következetesség</h1>" in body
    assert "az utolsó 10 lezárult alkalma alapján" in body
    assert "tűréshatárt (0,50 pont;" in body
    assert row(body, f"consistency-{org.reviewers[2].id}")[1:] == [
        "1",
        "1,33",
        "33,3%",
        "33,3%",
        "Tűréshatár felett",
    ]
