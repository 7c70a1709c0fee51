"""The top bar is rendered once per process for what it shows, and never shows one reader
another's: name, role, language, counts, the current page and the session's sign-out token."""

from __future__ import annotations

import re

import pytest

from qa_app.accounts.models import Role
from qa_app.extensions import db
from qa_app.notifications.models import NotificationKind
from qa_app.notifications.services import notify
from qa_app.ui import header
from tests.conftest import choose_language

TOKEN = re.compile(
    r'<form method="post" action="/logout">\s*'
    r'<input type="hidden" name="csrf_token" value="([^"]+)">'
)


def _bar(client, path: str = "/account/preferences") -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('<header class="topbar">', 1)[1].split("</header>", 1)[0]


def _tokenless(bar: str) -> str:
    """The bar without its CSRF token, which is signed with the second it was made in."""
    return TOKEN.sub("", bar)


def _drawn(monkeypatch) -> list[str]:
    """The roles whose bar was rendered, request by request."""
    drawn: list[str] = []
    build = header.build_menu

    def spy(role, counts):
        drawn.append(role.value)
        return build(role, counts)

    monkeypatch.setattr(header, "build_menu", spy)
    return drawn


def test_an_unchanged_bar_is_read_back_with_the_sessions_own_token(
    app, make_user, login_as, monkeypatch
):
    drawn = _drawn(monkeypatch)
    user = make_user(Role.REVIEWER, name="Rita Reviewer")
    first, second = login_as(user=user), login_as(user=user)  # two sessions of one reader
    bar = _bar(first)
    assert _tokenless(_bar(first)) == _tokenless(bar) and "Rita Reviewer" in bar
    other = _bar(second)
    assert drawn == ["reviewer"]  # the second session read the kept bar too
    mine, theirs = TOKEN.search(bar)[1], TOKEN.search(other)[1]
    assert mine != theirs and _tokenless(bar) == _tokenless(other)
    assert first.post("/logout", data={"csrf_token": mine}).status_code == 302
    assert first.get("/account/preferences").status_code == 302  # signed out


def test_each_reader_gets_the_bar_of_what_they_are(app, make_user, login_as, monkeypatch):
    drawn = _drawn(monkeypatch)
    rita = login_as(user=make_user(Role.REVIEWER, name="Rita"))
    rosa = login_as(user=make_user(Role.REVIEWER, name="Rosa"))
    lead = login_as(user=make_user(Role.LEAD, name="Rita"))
    assert "<bdi>Rita</bdi>" in _bar(rita) and "<bdi>Rosa</bdi>" in _bar(rosa)
    lead_bar = _bar(lead)
    assert "(Team lead)" in lead_bar and 'href="/sampling/queue"' not in lead_bar
    assert 'href="/sampling/queue"' in _bar(rita)
    assert len(drawn) == 3
    # another page marks another entry as the current one
    assert 'aria-current="page">Preferences' in _bar(rita)
    assert 'aria-current="page">Preferences' not in _bar(rita, "/sampling/queue")
    choose_language(app, rita.user.id, "hu")
    hungarian = _bar(rita)
    assert "Személyes beállítások" in hungarian and "Preferences" not in hungarian
    assert len(drawn) == 5


def test_a_new_notification_shows_on_the_next_page(app, make_user, login_as, monkeypatch):
    user = make_user(Role.REVIEWER)
    client = login_as(user=user)
    assert 'class="badge"' not in _bar(client)
    with app.app_context():
        notify(db.session, [user.id], NotificationKind.DISPUTE_WAITING, 1)
        db.session.commit()
    bar = _bar(client)
    assert '<span class="badge">1</span>' in bar and "Notifications: 1 unread" in bar


class TestWhileTemplatesReload:
    @pytest.fixture
    def config_overrides(self):
        return {"TEMPLATES_AUTO_RELOAD": True}

    def test_the_bar_is_rendered_every_time(self, app, login_as, monkeypatch):
        drawn = _drawn(monkeypatch)
        client = login_as(Role.AGENT)
        assert _tokenless(_bar(client)) == _tokenless(_bar(client))
        assert drawn == ["agent", "agent"]
