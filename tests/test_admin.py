"""Admin pages for users and teams."""

from __future__ import annotations

import sqlalchemy as sa

from qa_app.accounts.models import Role, Team, User
from qa_app.extensions import db

NEW_PASSWORD = "Maple-Lantern-Orbit-Seven"


def _user(app, email):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def test_admin_creates_a_user_who_can_then_sign_in(app, login_as):
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        "/admin/users/new",
        {
            "email": "Nikos@Example.com",
            "display_name": "Nikos Alexiou",
            "role": "agent",
            "password": NEW_PASSWORD,
            "is_active": "y",
        },
        token_from="/",
    )
    assert response.status_code == 302
    created = _user(app, "nikos@example.com")
    assert created.role == Role.AGENT and created.display_name == "Nikos Alexiou"
    assert app.test_client().sign_in("nikos@example.com", NEW_PASSWORD).status_code == 302


def test_creating_a_user_with_bad_input_shows_messages_and_stores_nothing(app, login_as):
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        "/admin/users/new",
        {"email": "not-an-email", "display_name": "", "role": "overlord", "password": "short"},
        token_from="/",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Invalid email address" in body
    assert "Not a valid choice" in body
    assert "at least 12" in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_duplicate_email_is_refused(app, login_as, make_user):
    existing = make_user(Role.AGENT)
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        "/admin/users/new",
        {
            "email": existing.email.upper(),
            "display_name": "Copy",
            "role": "agent",
            "password": NEW_PASSWORD,
        },
        token_from="/",
    )
    assert "Another user already has this email address." in response.get_data(as_text=True)


def test_new_user_needs_a_first_password(login_as):
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        "/admin/users/new",
        {"email": "x@example.com", "display_name": "X", "role": "agent"},
        token_from="/",
    )
    assert "Set a first password" in response.get_data(as_text=True)


def test_admin_edits_role_and_resets_password(app, login_as, make_user):
    user = make_user(Role.AGENT)
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        f"/admin/users/{user.id}",
        {
            "email": user.email,
            "display_name": "Renamed",
            "role": "reviewer",
            "password": NEW_PASSWORD,
            "is_active": "y",
        },
        token_from="/",
    )
    assert response.status_code == 302
    edited = _user(app, user.email)
    assert (edited.display_name, edited.role) == ("Renamed", Role.REVIEWER)
    assert app.test_client().sign_in(user.email, NEW_PASSWORD).status_code == 302


def test_the_last_admin_cannot_be_demoted_or_deactivated(app, login_as):
    admin = login_as(Role.ADMIN)
    me = admin.user
    response = admin.submit(
        f"/admin/users/{me.id}",
        {"email": me.email, "display_name": me.display_name, "role": "agent", "is_active": "y"},
        token_from="/",
        follow_redirects=True,
    )
    assert "last active admin" in response.get_data(as_text=True)
    assert _user(app, me.email).role == Role.ADMIN


def test_admin_cannot_deactivate_themselves(app, login_as, make_user):
    make_user(Role.ADMIN)
    admin = login_as(Role.ADMIN)
    response = admin.submit(
        f"/admin/users/{admin.user.id}/deactivate", token_from="/", follow_redirects=True
    )
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    assert _user(app, admin.user.email).is_active is True


def test_admin_builds_a_team_and_moves_an_agent_between_teams(app, login_as, make_user):
    lead = make_user(Role.LEAD)
    agents = [make_user(Role.AGENT) for _ in range(3)]
    admin = login_as(Role.ADMIN)
    first = admin.submit(
        "/admin/teams/new",
        {"name": "Billing", "lead_id": str(lead.id), "agent_ids": [str(a.id) for a in agents]},
        token_from="/",
    )
    assert first.status_code == 302
    second = admin.submit(
        "/admin/teams/new",
        {"name": "Technical", "lead_id": "0", "agent_ids": [str(agents[0].id)]},
        token_from="/",
    )
    assert second.status_code == 302
    with app.app_context():
        teams = {t.name: t for t in db.session.scalars(sa.select(Team))}
        assert teams["Billing"].lead_id == lead.id
        assert sorted(a.id for a in teams["Billing"].agents) == sorted(a.id for a in agents[1:])
        assert [a.id for a in teams["Technical"].agents] == [agents[0].id]
        assert teams["Technical"].lead is None


def test_team_needs_a_unique_name_and_agents_only(app, login_as, make_user, make_team):
    make_team("Billing")
    reviewer = make_user(Role.REVIEWER)
    admin = login_as(Role.ADMIN)
    response = admin.submit("/admin/teams/new", {"name": "billing", "lead_id": "0"}, token_from="/")
    assert "Another team already has this name." in response.get_data(as_text=True)
    response = admin.submit(
        "/admin/teams/new",
        {"name": "Sneaky", "lead_id": "0", "agent_ids": [str(reviewer.id)]},
        token_from="/",
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(Team).where(Team.name == "Sneaky")) is None


def test_lead_sees_own_team_page_with_members(login_as, make_user, make_team):
    lead = make_user(Role.LEAD)
    team = make_team("Billing", lead=lead)
    agent = make_user(Role.AGENT, name="Ana Dumitru", team=team)
    client = login_as(user=lead)
    body = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Ana Dumitru" in body and agent.email in body


def test_stored_text_is_escaped_on_pages(login_as, make_user):
    make_user(Role.AGENT, name='<script>alert("x")</script>')
    admin = login_as(Role.ADMIN)
    body = admin.get("/admin/users").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_menu_fits_the_role(login_as):
    admin_page = login_as(Role.ADMIN).get("/").get_data(as_text=True)
    agent_page = login_as(Role.AGENT).get("/").get_data(as_text=True)
    assert 'href="/admin/users"' in admin_page
    assert 'href="/admin/users"' not in agent_page
