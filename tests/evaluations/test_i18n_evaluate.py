"""A reviewer who reads Hungarian: interactions, scoring, the evaluation and the import report.

Needs the compiled Hungarian catalogue (make compile-translations). Data stays as it was written:
criterion names, external ids and the import file's column names are never translated.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from qa_app.accounts.models import User
from tests.conftest import choose_language
from tests.evaluations.conftest import expected_score, form_values
from tests.interactions.conftest import csv_bytes, row, upload

ALL_FOURS = [4, 4, 4, 4, 4, 4, 4, 4]  # 75.00 whatever the weights: every criterion at 75 %


@pytest.fixture
def hungarian(app, login_as):
    """Sign in a user whose own language is Hungarian (whatever the browser asks for)."""

    def sign_in(user: User):
        choose_language(app, user.id)
        client = login_as(user=user)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


def _text(response) -> str:
    """The page as a reader sees its text: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", response.get_data(as_text=True))).split())


def test_a_hungarian_reviewer_reads_the_interaction_list_and_an_interaction(hungarian, org):
    reviewer = hungarian(org.reviewer)
    listing = reviewer.get("/interactions")
    text = _text(listing)
    assert listing.status_code == 200 and '<html lang="hu"' in listing.get_data(as_text=True)
    for hungarian_text in ("Interakciók", "Interakció hozzáadása", "Időpont (UTC)", "Hívás"):
        assert hungarian_text in text
    assert "2 interakció" in text and "Time (UTC)" not in text
    assert 'aria-label="Interakciók szűrése"' in listing.get_data(as_text=True)

    detail = _text(reviewer.get(f"/interactions/{org.interaction_id}"))
    for hungarian_text in ("Részletek", "Ügyfélmutatók", "Átirat", "Kézzel hozzáadva", "Értékelés"):
        assert hungarian_text in detail
    assert "Γεια σας, my bill is wrong." in detail  # the transcript is data: as written
    assert "Customer metrics" not in detail and "Added by hand" not in detail


def test_a_hungarian_reviewer_scores_sees_a_refusal_and_the_submitted_evaluation(
    app, hungarian, org
):
    reviewer = hungarian(org.reviewer)
    scoring = f"/evaluations/new?interaction={org.interaction_id}"
    form = reviewer.get(scoring)
    page = form.get_data(as_text=True)
    text = _text(form)
    for hungarian_text in ("Értékelés: CALL-1001", "Mit jelent az 5, a 3 és az 1", "Pontszám:"):
        assert hungarian_text in text
    assert ">Piszkozat mentése<" in page and ">Beküldés<" in page
    # What the live score script writes comes from the page, in Hungarian.
    assert 'data-critical-fail="Gyenge (kritikus hiba)"' in page
    assert 'data-progress="8 kritériumból {answered} értékelve"' in page
    bands = json.loads(html.unescape(re.search(r"data-bands='([^']*)'", page)[1]))
    assert bands == [
        [90, "Kiváló"],
        [75, "Jó"],
        [60, "Megfelelő"],
        [40, "Fejlesztendő"],
        [0, "Gyenge"],
    ]

    missing_one = form_values(org, [4, 4, 4, 4, 4, 4, None, 4])
    refused = reviewer.submit(scoring, {**missing_one, "action": "submit"}, token_from="/")
    assert refused.status_code == 200
    assert "„Agrees clear next steps”: még nincs pontszám." in _text(refused)
    assert "has no score yet" not in _text(refused)

    data = {**form_values(org, ALL_FOURS), "action": "submit", "strengths": "Kedves hangnem"}
    submitted = reviewer.submit(scoring, data, token_from="/")
    assert submitted.status_code == 302
    assert expected_score(org, ALL_FOURS) == 75.0
    evaluation = reviewer.get(submitted.headers["Location"])
    text = _text(evaluation)
    assert "Értékelés beküldve." in text  # the flash message
    assert "CALL-1001 értékelése" in text
    assert '<span class="score-value">75,00</span>' in evaluation.get_data(as_text=True)
    assert '<span class="score-band">Jó</span>' in evaluation.get_data(as_text=True)
    for hungarian_text in ("Pontszámok", "Erősségek", "Fejlesztendő területek", "Előzmények"):
        assert hungarian_text in text
    assert "megfelelési határ: 80" in text
    # The history keeps "75.00" in the database and shows it the reader's way.
    assert re.search(
        r"<td>Beküldve</td>\s*<td dir=\"auto\"></td><td dir=\"auto\">75,00</td>",
        (evaluation.get_data(as_text=True)),
    )
    assert "75.00" not in text

    listing = _text(reviewer.get("/evaluations/"))
    assert "75,00" in listing and "Jó" in listing and "Beküldve" in listing


def test_a_hungarian_reviewer_reads_the_import_problems_per_row(hungarian, org):
    reviewer = hungarian(org.reviewer)
    email = org.agent.email
    rows = [row(email, 1, csat="9"), row(email, 2, channel=""), row(email, 3, channel="fax")]
    report = upload(reviewer, csv_bytes(rows), name="hivasok.csv")
    text = _text(report)
    assert report.status_code == 200
    assert "Semmi sem lett importálva ebből a fájlból: hivasok.csv." in text
    assert '<th scope="col">Sor</th><th scope="col">Oszlop</th>' in report.get_data(as_text=True)
    problems = re.findall(
        r"<tr><td>(\d+)</td><td><code dir=\"auto\">(\w+)</code></td><td>([^<]*)</td></tr>",
        html.unescape(report.get_data(as_text=True)),
    )
    assert problems == [
        ("2", "csat", "1 és 5 közötti egész számnak kell lennie"),
        ("3", "channel", "kötelező"),
        ("4", "channel", "értéke csak call, chat vagy email lehet"),
    ]


def test_an_english_reader_still_gets_english_numbers(login_as, org):
    """The same pages for a reviewer without a language of their own: English notation."""
    reviewer = login_as(user=org.reviewer)
    scoring = f"/evaluations/new?interaction={org.interaction_id}"
    data = {**form_values(org, ALL_FOURS), "action": "submit"}
    submitted = reviewer.submit(scoring, data, token_from="/")
    page = reviewer.get(submitted.headers["Location"]).get_data(as_text=True)
    assert '<span class="score-value">75.00</span>' in page and "pass mark 80" in page
    assert re.search(
        r"<td>Submitted</td>\s*<td dir=\"auto\"></td><td dir=\"auto\">75.00</td>", page
    )
