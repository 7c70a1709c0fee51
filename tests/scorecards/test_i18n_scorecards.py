"""Scorecard pages in Hungarian: lists, editor, import problems and new-scorecard defaults."""

from __future__ import annotations

import html
import io
import re

import pytest

from qa_app.accounts.models import Role
from qa_app.scorecards.schema import SHIPPED_DIR, ScorecardSchemaError, parse_scorecard_yaml
from tests.conftest import choose_language


@pytest.fixture
def hungarian(app, make_user, login_as):
    """A signed-in client whose user chose Hungarian: hungarian(Role.ADMIN)."""

    def login(role: Role):
        user = make_user(role)
        choose_language(app, user.id)
        return login_as(user=user)

    return login


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _upload(client, content: bytes):
    return client.submit(
        "/scorecards/import",
        {"file": (io.BytesIO(content), "card.yaml")},
        token_from="/",
        content_type="multipart/form-data",
    )


def test_hungarian_admin_sees_the_scorecard_list_in_hungarian(hungarian, shipped):
    shipped("five-key-elements.hu", publish=True)
    shipped("chat")
    page = _page(hungarian(Role.ADMIN), "/scorecards/")
    for text in ("Értékelőlapok", "YAML importálása", "Új értékelőlap", "Csatornák", "Állapot"):
        assert text in page
    assert "Öt kulcselem" in page and "Hívások, Chatek, E-mailek" in page
    assert "Közzétett" in page and "Piszkozat" in page
    assert "magyar" in page and "angol" in page  # each scorecard's language, named in Hungarian
    assert "Scorecards" not in page.split("<main", 1)[-1]


def test_hungarian_admin_edits_a_draft_in_hungarian(hungarian, shipped):
    version_id = shipped("five-key-elements")
    client = hungarian(Role.ADMIN)
    editor = _page(client, f"/scorecards/{version_id}/edit")
    for text in (
        "Szakaszok és kritériumok",
        "piszkozat, 1. verzió",
        "súly: 1",
        "N/A megengedett",
        "Felirat (5 pont)",
        "Megfelelési határ (%)",
        "Beállítások mentése",
        ' mozgatása felfelé"',  # the up button names what it moves
    ):
        assert text in editor, text
    assert 'value="Excellent"' in editor  # the stored scale labels are data, never translated
    preview = _page(client, f"/scorecards/{version_id}")
    assert "Megfelelési határ: 80%" in preview and "Nyelv: angol" in preview
    assert "Súly: 1 (a pontszám 10%-a)" in preview
    assert "Piszkozat törlése" in preview and "Coaching-tanácsok" in preview
    criterion = _page(client, f"/scorecards/{version_id}/criteria/new")
    assert "Új kritérium" in criterion and "Mit jelent az 5 pont" in criterion


def test_a_new_scorecard_offers_the_scale_and_language_of_its_creator(hungarian, login_as):
    page = _page(hungarian(Role.REVIEWER), "/scorecards/new")
    assert "Új értékelőlap" in page
    for label in ("Kiváló", "Jó", "Megfelelő", "Fejlesztendő", "Gyenge"):
        assert f'value="{label}"' in page
    assert re.search(r'<input [^>]*name="language" [^>]*value="hu"', page)
    english = _page(login_as(Role.REVIEWER), "/scorecards/new")
    assert 'value="Needs improvement"' in english
    assert re.search(r'<input [^>]*name="language" [^>]*value="en"', english)


def test_hungarian_admin_gets_yaml_problems_in_hungarian_with_their_paths(hungarian):
    client = hungarian(Role.ADMIN)
    page = _page(client, "/scorecards/import")
    assert "Értékelőlap importálása" in page and "Értékelőlap-fájl (YAML)" in page
    chat = (SHIPPED_DIR / "chat.yaml").read_bytes()
    bad = chat.replace(b"weight: 1\n", b"weight: 0\n", 1).replace(b"name: ", b"name: yes\n#", 1)
    body = html.unescape(_upload(client, bad).get_data(as_text=True))
    assert "A fájlt nem importáltuk" in body
    assert '<th scope="col">Hol</th>' in body and "Probléma" in body
    assert "sections[0].criteria[0].weight" in body
    assert "olyan számnak kell lennie, amely nagyobb, mint 0" in body
    assert "szövegnek kell lennie, de a megadott érték: logikai érték (true)" in body
    broken = html.unescape(_upload(client, b"name: [unclosed\n").get_data(as_text=True))
    assert "(a teljes dokumentum)" in broken and "nem érvényes YAML" in broken


def test_hungarian_import_and_lifecycle_messages(hungarian, app):
    client = hungarian(Role.REVIEWER)
    content = (SHIPPED_DIR / "five-key-elements.hu.yaml").read_bytes()
    response = _upload(client, content)
    assert response.status_code == 302
    location = response.headers["Location"]
    page = html.unescape(client.get(location).get_data(as_text=True))
    assert "„Öt kulcselem” értékelőlap piszkozatként importálva" in page
    version_id = location.split("/")[2]
    published = client.submit(
        f"/scorecards/{version_id}/publish", token_from="/", follow_redirects=True
    )
    assert "1. verzió közzétéve" in published.get_data(as_text=True)


def test_schema_problems_render_in_the_language_they_are_asked_for():
    with pytest.raises(ScorecardSchemaError) as info:
        parse_scorecard_yaml("- a\n")
    (problem,) = info.value.errors
    template = "the top level must be a mapping of keys to values, not %(kind)s"
    catalogue = {template: "nem leképezés: %(kind)s", "a list": "lista"}
    assert problem.text.render(lambda text: catalogue.get(text, text)) == "nem leképezés: lista"
    assert problem.message == "the top level must be a mapping of keys to values, not a list"
