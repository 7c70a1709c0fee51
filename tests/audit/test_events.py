"""Each security or data event that exists today leaves one audit event (docs/audit.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from qa_app.accounts.models import Role, User
from qa_app.audit.models import AuditEvent
from qa_app.extensions import db
from tests.conftest import PASSWORD, AppClient

NEW_PASSWORD = "Another-Long-Passphrase-77"


def events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
        db.session.expunge_all()
    return found


def test_sign_in_failures_and_sign_out(
    app: Flask, client: AppClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.AGENT, email="agent@example.com")
    before = len(events(app))
    client.sign_in("nobody@example.com", "Secret-Typed-By-A-Stranger")
    client.sign_in("agent@example.com", "Wrong-Password-123456")
    client.sign_in("agent@example.com")
    client.submit("/logout", token_from="/")
    got = [(e.action, e.actor, e.actor_id, e.detail.get("reason")) for e in events(app)[before:]]
    assert got == [
        ("sign_in_failed", "nobody@example.com", None, "unknown_email"),
        ("sign_in_failed", "agent@example.com", user.id, "refused"),
        ("sign_in", "agent@example.com", user.id, None),
        ("sign_out", "agent@example.com", user.id, None),
    ]
    stored = " ".join(str(e.detail) + e.target for e in events(app))
    assert "Secret-Typed" not in stored and "Wrong-Password" not in stored
    assert all(e.address == "127.0.0.1" for e in events(app)[before:])


def test_password_change_is_recorded(app: Flask, login_as: Callable[..., AppClient]) -> None:
    client = login_as(Role.AGENT)
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert (
        client.submit("/account/password", data, token_from="/account/password").status_code == 302
    )
    last = events(app)[-1]
    assert (last.action, last.target) == ("password_changed", f"user {client.user.id}")  # type: ignore[attr-defined]


def _user_form(user: User, **changes: Any) -> dict[str, Any]:
    data = {"email": user.email, "display_name": user.display_name, "role": user.role.value}
    data |= {"is_active": "y"} | changes
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"role": "lead"}, [("user_changed", {"role": ["reviewer", "lead"]})]),
        ({"is_senior_reviewer": "y"}, [("user_changed", {"senior_reviewer": [False, True]})]),
        ({"display_name": "New Name"}, [("user_changed", {"display_name": "changed"})]),
        ({"is_active": None}, [("user_deactivated", {})]),
        ({}, []),
    ],
)
def test_user_changes_are_recorded(
    app: Flask,
    login_as: Callable[..., AppClient],
    make_user: Callable[..., User],
    changes: dict[str, Any],
    expected: list[tuple[str, dict[str, Any]]],
) -> None:
    admin = login_as(Role.ADMIN)
    user = make_user(Role.REVIEWER)
    before = len(events(app))
    path = f"/admin/users/{user.id}"
    assert admin.submit(path, _user_form(user, **changes), token_from=path).status_code == 302
    got = [(e.action, e.detail) for e in events(app)[before:]]
    assert got == expected
    assert all(e.actor == admin.user.email for e in events(app)[before:])  # type: ignore[attr-defined]


def test_reactivation_and_creation_are_recorded(
    app: Flask, login_as: Callable[..., AppClient], make_user: Callable[..., User]
) -> None:
    admin = login_as(Role.ADMIN)
    user = make_user(Role.AGENT, is_active=False)
    path = f"/admin/users/{user.id}"
    admin.submit(path, _user_form(user), token_from=path)
    new = {
        "email": "new@example.com",
        "display_name": "New",
        "role": "agent",
        "password": NEW_PASSWORD,
    }
    admin.submit("/admin/users/new", new, token_from="/admin/users/new")
    got = [(e.action, e.detail) for e in events(app)[-2:]]
    assert got == [("user_reactivated", {}), ("user_created", {"role": "agent"})]


def test_team_changes_are_recorded_by_ids(
    app: Flask, login_as: Callable[..., AppClient], make_user: Callable[..., User]
) -> None:
    admin = login_as(Role.ADMIN)
    lead, agent = make_user(Role.LEAD), make_user(Role.AGENT)
    form = {"name": "Blue", "lead_id": str(lead.id), "agent_ids": [str(agent.id)]}
    admin.submit("/admin/teams/new", form, token_from="/admin/teams/new")
    created = events(app)[-1]
    team_id = int(created.target.split()[1])
    path = f"/admin/teams/{team_id}"
    admin.submit(path, {"name": "Green", "lead_id": "0"}, token_from=path)
    changed = events(app)[-1]
    assert created.detail == {
        "created": True,
        "name": ["", "Blue"],
        "lead": [None, lead.id],
        "agents_joined": [agent.id],
    }
    assert changed.detail == {
        "name": ["Blue", "Green"],
        "lead": [lead.id, None],
        "agents_left": [agent.id],
    }


def test_settings_changes_are_recorded_and_never_the_key(
    app: Flask, login_as: Callable[..., AppClient]
) -> None:
    admin = login_as(Role.ADMIN)
    admin.submit(
        "/admin/settings",
        {"dispute_window_days": "21", "calibration_tolerance": "0.5"},
        token_from="/admin/settings",
    )
    server = {
        "enabled": "y",
        "base_url": "http://models.test/v1",
        "model": "m",
        "timeout_seconds": "20",
        "api_key": "sk-very-secret-key",
    }
    admin.submit("/admin/model-server", server, token_from="/admin/model-server")
    setting, model_server = events(app)[-2:]
    assert setting.detail == {"setting": "dispute_window_days", "from": "14", "to": "21"}
    assert model_server.target == "model server"
    assert model_server.detail["api_key"] == "replaced"
    assert model_server.detail["base_url"] == ["", "http://models.test/v1"]
    assert "sk-very-secret" not in str(model_server.detail)


@pytest.mark.parametrize("backend", ["sqlite"])  # pg_dump: tests/test_backups.py; same event
def test_backup_by_the_command_is_an_export(app: Flask, runner: Any, tmp_path: Any) -> None:
    result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    last = events(app)[-1]
    assert (last.action, last.target, last.detail["what"]) == ("export", "database", "backup")


def test_an_excel_report_download_is_an_export(
    app: Flask, login_as: Callable[..., AppClient], make_user: Callable[..., User]
) -> None:
    admin, agent = login_as(Role.ADMIN), make_user(Role.AGENT)
    response = admin.get(f"/reports/agents/{agent.id}.xlsx")
    response.close()  # as a WSGI server does: closes the temporary file behind the download
    assert response.status_code == 200
    last = events(app)[-1]
    assert (last.action, last.target, last.detail["what"]) == (
        "export",
        f"agent {agent.id}",
        "excel_report",
    )
    assert last.actor == admin.user.email  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", ["sqlite"])  # the command's event is the same on both
def test_a_report_written_by_the_command_is_an_export(
    app: Flask, runner: Any, tmp_path: Any, make_user: Callable[..., User]
) -> None:
    agent = make_user(Role.AGENT)
    args = ["reports", "export", "--agent", str(agent.id), "--from", "2026-01-01"]
    result = runner.invoke(args=[*args, "--to", "2026-01-31", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    last = events(app)[-1]
    assert (last.action, last.target, last.detail["via"]) == (
        "export",
        f"agent {agent.id}",
        "command line",
    )
