"""A believable demo organisation for `flask seed-demo`."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from ..accounts import services
from ..accounts.models import Role, User
from ..accounts.passwords import generate_password
from ..extensions import db
from ..ui.labels import label

DOMAIN = "demo.example.com"
PEOPLE: list[tuple[str, Role, str | None]] = [
    ("Ilona Kovács", Role.ADMIN, None),
    ("Dimitris Papadopoulos", Role.REVIEWER, None),
    ("Andreea Popescu", Role.REVIEWER, None),
    ("Gábor Nagy", Role.LEAD, "Billing support"),
    ("Eleni Georgiou", Role.LEAD, "Technical support"),
    ("Zsófia Tóth", Role.AGENT, "Billing support"),
    ("Bence Szabó", Role.AGENT, "Billing support"),
    ("Maria Ionescu", Role.AGENT, "Billing support"),
    ("Nikos Alexiou", Role.AGENT, "Billing support"),
    ("Ana Dumitru", Role.AGENT, "Billing support"),
    ("Katerina Nikolaou", Role.AGENT, "Technical support"),
    ("Márton Horváth", Role.AGENT, "Technical support"),
    ("Radu Stan", Role.AGENT, "Technical support"),
    ("Sofia Vlachou", Role.AGENT, "Technical support"),
    ("Levente Varga", Role.AGENT, "Technical support"),
]

# These two work in Hungarian, so the demo shows both languages; everyone else follows the browser.
HUNGARIAN_SPEAKERS = ("Márton Horváth", "Levente Varga")


class DemoAlreadyLoaded(RuntimeError):
    """The database already has users; the demo is loaded only into an empty one."""


def _email_for(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return f"{plain.lower().replace(' ', '.')}@{DOMAIN}"


def _write_logins(lines: list[str]) -> None:
    path = Path(current_app.config["DEMO_LOGINS_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("QA Scorecard demo sign-ins (generated; change or delete after trying)\n")
        handle.writelines(f"{line}\n" for line in lines)
        speakers = " and ".join(HUNGARIAN_SPEAKERS)
        handle.write(f"{speakers} see the site in Hungarian (Preferences > Language).\n")


def seed_demo(refuse_if_users: bool = True) -> list[str]:
    """Create the demo users and teams; returns one "role email password" line per user."""
    if refuse_if_users and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        raise DemoAlreadyLoaded("the database already has users, so nothing was added.")
    lines: list[str] = []
    users: dict[str, User] = {}
    for name, role, _team in PEOPLE:
        password = generate_password()
        users[name] = services.create_user(_email_for(name), name, role, password)
        language = "hu" if name in HUNGARIAN_SPEAKERS else None
        services.set_language(users[name], language)
        lines.append(f"{label(role):<10} {users[name].email:<45} {password}")
    for team_name in sorted({team for _n, _r, team in PEOPLE if team}):
        lead = next(users[n] for n, r, t in PEOPLE if t == team_name and r == Role.LEAD)
        agents = [users[n] for n, r, t in PEOPLE if t == team_name and r == Role.AGENT]
        services.save_team(None, name=team_name, lead=lead, agents=agents)
    _load_templates()
    from ..results.tracking import suspended
    from .activity import seed_activity
    from .spotlight import seed_spotlight

    with suspended(db.session()):  # the results are rebuilt once, at the end
        left = seed_activity()
        _auto_score()
        _signals()
        seed_spotlight(left)
    _history_read()
    _write_logins(lines)
    return lines


def _history_read() -> None:
    """The demo's past happened all at once: its notifications start read, not as a flood."""
    from ..notifications.models import Notification

    db.session.flush()
    db.session.execute(
        sa.update(Notification).values(
            read_at=sa.func.coalesce(Notification.read_at, Notification.created_at)
        )
    )


def _load_templates() -> None:
    from ..scorecards.schema import list_shipped_templates, load_shipped_template
    from ..scorecards.services import import_doc

    for path in list_shipped_templates():
        import_doc(load_shipped_template(path), None, publish_now=True)


def _auto_score() -> None:
    """Run the Auto QA rules on every demo interaction, as an import would (docs/autoqa.md)."""
    from ..autoqa.services import score_many
    from ..interactions.models import Interaction

    ids = db.session.scalars(sa.select(Interaction.id).order_by(Interaction.id))
    score_many(list(ids))


def _signals() -> None:
    """Compute every demo interaction's signals once the auto scores exist (docs/spotlight.md)."""
    from ..interactions.models import Interaction
    from ..signals.services import compute_many

    ids = db.session.scalars(sa.select(Interaction.id).order_by(Interaction.id))
    compute_many(list(ids))
