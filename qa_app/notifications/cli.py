"""`flask notifications send-due`: the reminders and digests, for a cron job without a worker."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from .tasks import send_due

group = AppGroup("notifications", help="Notification reminders and digest emails.")


@group.command("send-due")
def send_due_command() -> None:
    """Make the reminders that are due and send the waiting digest emails now."""
    told, digests = send_due()
    click.echo(f"{told} reminders made, {digests} digest emails sent.")
