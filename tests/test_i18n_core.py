"""Hungarian readers see the core pages (home, menu, sign-in, admin, errors) in Hungarian."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask, g

from qa_app.accounts.models import Role, User
from qa_app.errors import language_without_database
from qa_app.ui.filters import format_number, format_pct, format_score, format_signed
from qa_app.ui.labels import score_band
from tests.conftest import AppClient, choose_language
from tests.i18n_text import page_texts

SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
HUNGARIAN_BROWSER = {"Accept-Language": "hu-HU,hu;q=0.9"}
ENGLISH_BROWSER = {"Accept-Language": "en"}


@pytest.fixture
def login_hungarian(
    app: Flask, make_user: Callable[..., User], login_as: Callable[..., AppClient]
) -> Callable[..., AppClient]:
    """A new client signed in as a new user of the role whose language is Hungarian."""

    def login(role: Role, **kwargs: object) -> AppClient:
        user = make_user(role, **kwargs)
        choose_language(app, user.id)
        return login_as(user=user)

    return login


def _texts(client: AppClient, path: str, **headers: str) -> list[str]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return page_texts(response.get_data(as_text=True))


def test_a_hungarian_user_sees_the_home_page_and_menu_in_hungarian(login_hungarian) -> None:
    client = login_hungarian(Role.ADMIN, name="Kiss Anna")
    texts = _texts(client, "/", **ENGLISH_BROWSER)  # the preference wins over the browser
    for hungarian in ("Kezdőlap", "Értékelések", "Felhasználók", "Csapatok", "Beállítások"):
        assert hungarian in texts
    for hungarian in ("Kijelentkezés", "(Adminisztrátor)", "Még nincs csapat."):
        assert hungarian in texts
    assert "Üdvözöljük," in texts and "Kiss Anna" in texts
    for english in ("Home", "Evaluations", "Users", "Teams", "Settings", "Sign out", "(Admin)"):
        assert english not in texts
    assert not any(text.startswith("Welcome") for text in texts)


def test_a_hungarian_agent_sees_their_team_in_a_hungarian_sentence(
    app: Flask, login_as, make_user, make_team
) -> None:
    lead = make_user(Role.LEAD, name="Nagy Péter")
    team = make_team("Számlázás", lead=lead)
    agent = make_user(Role.AGENT, team=team)
    choose_language(app, agent.id)
    html = login_as(user=agent).get("/").get_data(as_text=True)
    sentence = (
        "Csapata: <strong><bdi>Számlázás</bdi></strong>, csoportvezető: <bdi>Nagy Péter</bdi>."
    )
    assert sentence in html
    assert "You are in the team" not in html


def test_a_hungarian_admin_sees_the_users_page_in_hungarian(login_hungarian, make_user) -> None:
    make_user(Role.REVIEWER, name="Szabó Éva")
    client = login_hungarian(Role.ADMIN)
    texts = _texts(client, "/admin/users")
    for hungarian in ("Felhasználók", "Új felhasználó", "Név", "Szerepkör", "Állapot"):
        assert hungarian in texts
    for hungarian in ("Értékelő", "Aktív", "Letiltás", "Műveletek", "Szabó Éva letiltása"):
        assert hungarian in texts
    for english in ("Users", "New user", "Name", "Role", "Status", "Reviewer", "Active"):
        assert english not in texts
    assert "Deactivate" not in texts


def test_the_new_user_form_offers_the_roles_in_the_readers_language(login_hungarian) -> None:
    client = login_hungarian(Role.ADMIN)
    texts = _texts(client, "/admin/users/new", **ENGLISH_BROWSER)
    assert {"Adminisztrátor", "Értékelő", "Csoportvezető", "Munkatárs"} <= set(texts)
    assert "Megjelenített név" in texts and "Mentés" in texts
    assert "Team lead" not in texts and "Agent" not in texts


def test_a_hungarian_browser_sees_the_sign_in_page_and_its_errors_in_hungarian(
    client: AppClient, make_user
) -> None:
    user = make_user(Role.AGENT)
    texts = _texts(client, "/login", **HUNGARIAN_BROWSER)
    assert "Bejelentkezés" in texts and "E-mail" in texts and "Jelszó" in texts
    assert "Sign in" not in texts and "Password" not in texts
    response = client.submit(
        "/login",
        {"email": user.email, "password": "Wrong-Password-123456"},
        headers=HUNGARIAN_BROWSER,
    )
    wrong = page_texts(response.get_data(as_text=True))
    assert "Az e-mail-cím vagy a jelszó helytelen." in wrong
    assert "The email or password is not right." not in wrong


def test_password_policy_messages_speak_hungarian(login_hungarian) -> None:
    client = login_hungarian(Role.REVIEWER)
    response = client.submit(
        "/account/password",
        {"current_password": "x", "new_password": "short", "confirm": "short"},
        token_from="/account/password",
    )
    texts = page_texts(response.get_data(as_text=True))
    assert "Legalább 12 karaktert használjon." in texts
    assert "Use at least 12 characters." not in texts


def test_error_pages_speak_the_readers_language(login_hungarian) -> None:
    client = login_hungarian(Role.AGENT)
    response = client.get("/admin/users")
    assert response.status_code == 403
    texts = page_texts(response.get_data(as_text=True))
    assert "Nincs jogosultság" in texts and "Vissza a kezdőlapra" in texts
    assert "Not allowed" not in texts


class TestBusyPage:
    @pytest.fixture
    def config_overrides(self) -> dict[str, object]:
        return {"SQLITE_BUSY_TIMEOUT_MS": 50}

    @SQLITE_ONLY
    def test_a_signed_in_user_gets_the_busy_page_in_hungarian_while_the_database_is_locked(
        self, app: Flask, login_hungarian
    ) -> None:
        client = login_hungarian(Role.REVIEWER)
        path = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = client.submit("/logout", token_from="/", headers=HUNGARIAN_BROWSER)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert response.status_code == 503
        html = response.get_data(as_text=True)
        assert '<html lang="hu"' in html
        assert "Foglalt, próbálja újra" in page_texts(html)
        assert "Busy, try again" not in html


def test_the_busy_page_uses_a_loaded_users_language_without_asking_the_database(
    app: Flask,
) -> None:
    with app.test_request_context(headers=ENGLISH_BROWSER):
        g._login_user = User(language="hu")  # in memory only: no session, no query possible
        assert language_without_database() == "hu"
        g._login_user = User()
        assert language_without_database() == "en"
    with app.test_request_context(headers=HUNGARIAN_BROWSER):
        assert language_without_database() == "hu"


def test_filters_of_constants_write_in_the_language_of_whoever_reads(app: Flask) -> None:
    """A template compiled while one reader's request runs and rendered in another's."""
    text = "{{ 1234.5|num }} {{ 12.5|pct }} {{ 3.5|score }} {{ -1|signed }} {{ 4.2|band }}"
    with app.test_request_context(headers=ENGLISH_BROWSER):
        template = app.jinja_env.from_string(text)
        english = template.render()
    with app.test_request_context(headers=HUNGARIAN_BROWSER):
        hungarian = template.render()
        expected = " ".join(
            [
                format_number(1234.5),
                format_pct(12.5),
                format_score(3.5),
                format_signed(-1),
                score_band(4.2),
            ]
        )
    assert hungarian == expected and hungarian != english
