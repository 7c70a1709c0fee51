"""Flask commands: create-user, seed-demo."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .accounts import services
from .accounts.models import Role
from .accounts.passwords import password_problems
from .extensions import db


def _prompt_password(email: str, name: str) -> str:
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problems = password_problems(password, email, name)
        if not problems:
            return str(password)
        click.echo(problems[0], err=True)


@click.command("create-user")
@with_appcontext
@click.option("--email", prompt=True, help="Sign-in email address.")
@click.option("--name", "display_name", prompt="Display name", help="Name shown in the app.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.ADMIN.value,
    show_default=True,
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, display_name: str, role: str, password_stdin: bool) -> None:
    """Create a user (by default the first admin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problems = password_problems(password, email, display_name)
        if problems:
            raise click.ClickException(problems[0])
    else:
        password = _prompt_password(email, display_name)
    try:
        user = services.create_user(email, display_name, Role(role), password)
    except services.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("seed-demo")
@with_appcontext
@click.option("--once", is_flag=True, help="Do nothing when the database already has users.")
def seed_demo_command(once: bool) -> None:
    """Build a demo organisation with generated passwords (printed once)."""
    from .demo import DemoAlreadyLoaded, seed_demo

    try:
        logins = seed_demo(refuse_if_users=True)
    except DemoAlreadyLoaded as exc:
        if once:
            click.echo(f"Demo data: {exc}")
            return
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    path = current_app.config["DEMO_LOGINS_FILE"]
    click.echo(f"Demo organisation created. Sign-in details (also written to {path}):")
    for line in logins:
        click.echo(f"  {line}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    for command in _slice_commands():
        app.cli.add_command(command)


def _slice_commands() -> list[click.Command]:
    """The slices' commands and command groups, in the order they are registered."""
    from .autoqa.cli import group as autoqa_group
    from .backups.cli import backup_command, restore_command
    from .interactions.cli import group as interactions_group
    from .jobs.cli import group as jobs_group
    from .notifications.cli import group as notifications_group
    from .privacy.cli import group as privacy_group
    from .reports.cli import group as reports_group
    from .results.cli import group as results_group
    from .sampling.cli import group as sampling_group
    from .scorecards.cli import group as scorecards_group
    from .signals.cli import group as signals_group

    return [
        backup_command,
        restore_command,
        scorecards_group,
        results_group,
        interactions_group,
        privacy_group,
        sampling_group,
        reports_group,
        jobs_group,
        autoqa_group,
        signals_group,
        notifications_group,
    ]
