"""Forms for the interaction pages: list filters, file import and one interaction by hand.

The form for one interaction has no rules of its own: the import's row checker judges it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    Field,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional

from ..accounts.models import Team, User
from .models import Channel
from .validation import COLUMNS, Problem

CHANNEL_CHOICES = [SelectChoice(channel.value, channel.label) for channel in Channel]
RESOLVED_CHOICES = [
    SelectChoice("", "Not known"),
    SelectChoice("yes", "Yes"),
    SelectChoice("no", "No"),
]
UTC_HELP = "Without an offset the time is taken as UTC."
# What each column of an import file holds, for the import page.
COLUMN_HELP = {
    "external_id": "Your system's id of the interaction (up to 200 characters); unique.",
    "channel": "call, chat or email.",
    "agent_email": "The email of the agent who handled it; a user with the agent role.",
    "occurred_at": f"When it happened, ISO 8601: 2026-03-01T14:05:00+01:00. {UTC_HELP}",
    "duration_seconds": "Length in whole seconds.",
    "language": "A language tag: en, hu, el, ro, pt-BR …",
    "customer_ref": "Your reference for the customer (up to 200 characters).",
    "subject": "Subject or topic (up to 500 characters).",
    "transcript": "Plain text, or a list of turns {speaker, text, at} (in CSV: as JSON text).",
    "recording_url": "An http:// or https:// link to the recording.",
    "csat": "Customer satisfaction, 1–5.",
    "nps": "Net promoter answer, 0–10.",
    "ces": "Customer effort, 1–7.",
    "first_contact_resolved": "true/false, yes/no or 1/0.",
    "handle_seconds": "Handle time in whole seconds.",
}


class FilterForm(FlaskForm):
    """The list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    agent = SelectField("Agent", validators=[Optional()])
    team = SelectField("Team", validators=[Optional()])
    channel = SelectField(
        "Channel",
        choices=[SelectChoice("", "All channels"), *CHANNEL_CHOICES],
        validators=[Optional()],
    )
    date_from = DateField("From (UTC)", validators=[Optional()])
    date_to = DateField("To (UTC)", validators=[Optional()])
    evaluated = SelectField(
        "Evaluated",
        choices=[
            SelectChoice("", "All"),
            SelectChoice("yes", "Evaluated"),
            SelectChoice("no", "Not yet"),
        ],
        validators=[Optional()],
    )

    def set_choices(self, agents: Iterable[User], teams: Iterable[Team]) -> None:
        self.agent.choices = [SelectChoice("", "All agents")] + [
            SelectChoice(str(agent.id), agent.display_name) for agent in agents
        ]
        self.team.choices = [SelectChoice("", "All teams")] + [
            SelectChoice(str(team.id), team.name) for team in teams
        ]

    def filters(self) -> dict[str, Any]:
        """The filled-in filters as filter_interactions arguments; invalid ones are left out."""
        self.validate()

        def valid(field: Field) -> Any:
            return None if field.errors else field.data or None

        agent, team = valid(self.agent), valid(self.team)
        return {
            "agent_id": int(agent) if agent else None,
            "team_id": int(team) if team else None,
            "channel": valid(self.channel),
            "date_from": valid(self.date_from),
            "date_to": valid(self.date_to),
            "evaluated": valid(self.evaluated),
        }


class ImportForm(FlaskForm):
    file = FileField(
        "File",
        description="CSV or JSON Lines, UTF-8.",
        validators=[FileRequired("Choose a CSV or JSON Lines file.")],
    )
    submit = SubmitField("Import")


class InteractionForm(FlaskForm):
    """One interaction typed in by hand; field names are the import's column names."""

    external_id = StringField("External id", description=COLUMN_HELP["external_id"])
    channel = SelectField("Channel", choices=CHANNEL_CHOICES, validate_choice=False)
    agent_email = SelectField("Agent", validate_choice=False)
    occurred_at = StringField("Time", description=COLUMN_HELP["occurred_at"])
    duration_seconds = StringField("Duration (seconds)")
    language = StringField("Language", description=COLUMN_HELP["language"])
    customer_ref = StringField("Customer reference")
    subject = StringField("Subject")
    transcript = TextAreaField("Transcript", description=COLUMN_HELP["transcript"])
    recording_url = StringField("Recording URL", description=COLUMN_HELP["recording_url"])
    csat = StringField("CSAT (1–5)")
    nps = StringField("NPS answer (0–10)")
    ces = StringField("CES (1–7)")
    first_contact_resolved = SelectField(
        "Resolved at first contact",
        choices=[
            SelectChoice("", "Not known"),
            SelectChoice("yes", "Yes"),
            SelectChoice("no", "No"),
        ],
        validate_choice=False,
    )
    handle_seconds = StringField("Handle time (seconds)")
    submit = SubmitField("Save")

    def set_agents(self, agents: Iterable[User]) -> None:
        self.agent_email.choices = [SelectChoice("", "— choose an agent —")] + [
            SelectChoice(agent.email, f"{agent.display_name} ({agent.email})") for agent in agents
        ]

    def row(self) -> dict[str, Any]:
        """The values as an import row: only the known columns, whatever else was posted."""
        return {column: self[column].data for column in COLUMNS}

    def show(self, problems: Iterable[Problem]) -> None:
        for column, reason in problems:
            self[column or "external_id"].errors.append(reason)
