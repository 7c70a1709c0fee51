"""Forms for the interaction pages: list filters, file import and one interaction by hand.

The form for one interaction has no rules of its own: the import's row checker judges it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
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
from wtforms.widgets import Select

from ..accounts.models import Team, User
from ..textinput import BaseForm
from ..ui.labels import label
from .models import Channel, SignalKind
from .validation import COLUMNS, Problem

RESOLVED_CHOICES = [
    SelectChoice("", _l("Not known")),
    SelectChoice("yes", _l("Yes")),
    SelectChoice("no", _l("No")),
]
# What each column of an import file holds, for the import page; the values a file may hold
# (call, true, yes...) are the file's words and stay as they are.
COLUMN_HELP = {
    "external_id": _l("Your system's id of the interaction (up to 200 characters); unique."),
    "channel": _l("call, chat or email."),
    "agent_email": _l("The email of the agent who handled it; a user with the agent role."),
    "occurred_at": _l(
        "When it happened, ISO 8601: 2026-03-01T14:05:00+01:00. "
        "Without an offset the time is taken as UTC."
    ),
    "duration_seconds": _l("Length in whole seconds."),
    "language": _l("A language tag: en, hu, el, ro, pt-BR …"),
    "customer_ref": _l("Your reference for the customer (up to 200 characters)."),
    "subject": _l("Subject or topic (up to 500 characters)."),
    "transcript": _l("Plain text, or a list of turns {speaker, text, at} (in CSV: as JSON text)."),
    "recording_url": _l("An http:// or https:// link to the recording."),
    "csat": _l("Customer satisfaction, 1–5."),
    "nps": _l("Net promoter answer, 0–10."),
    "ces": _l("Customer effort, 1–7."),
    "first_contact_resolved": _l("true/false, yes/no or 1/0."),
    "handle_seconds": _l("Handle time in whole seconds."),
}


def channel_choices() -> list[SelectChoice]:
    """The channels by name in the reader's language (built per request)."""
    return [SelectChoice(channel.value, label(channel)) for channel in Channel]


class ManyOptions(Select):
    """A select whose plain options (every agent, every team) are written in one step each:
    through WTForms' general attribute writer they cost about 20 ms of every list page with 500
    agents. The markup is the same: the value and the label escaped as html_params would."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> Markup:
        if kwargs or choice.render_kw or not isinstance(choice.value, str):
            return super().render_option(choice, **kwargs)
        # One string and two escapes: a third of joining Markup pieces (2.1 against 6.4 us).
        selected = " selected" if choice.selected else ""
        value, text = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option{selected} value="{value}">{text}</option>')  # noqa: S704 (escaped)


class FilterForm(BaseForm):
    """The list's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    agent = SelectField(_l("Agent"), validators=[Optional()], widget=ManyOptions())
    team = SelectField(_l("Team"), validators=[Optional()], widget=ManyOptions())
    channel = SelectField(_l("Channel"), validators=[Optional()])
    date_from = DateField(_l("From (UTC)"), validators=[Optional()])
    date_to = DateField(_l("To (UTC)"), validators=[Optional()])
    evaluated = SelectField(
        _l("Evaluated"),
        choices=[
            SelectChoice("", _l("All")),
            SelectChoice("yes", _l("Evaluated")),
            SelectChoice("no", _l("Not yet")),
        ],
        validators=[Optional()],
    )

    signal = SelectField(_l("Signal"), validators=[Optional()])

    def set_choices(self, agents: Iterable[Any], teams: Iterable[Team]) -> None:
        """The options: agents as rows of (id, display_name), teams as Team objects."""
        self.agent.choices = [SelectChoice("", _("All agents"))] + [
            SelectChoice(str(agent.id), agent.display_name) for agent in agents
        ]
        self.team.choices = [SelectChoice("", _("All teams"))] + [
            SelectChoice(str(team.id), team.name) for team in teams
        ]
        self.channel.choices = [SelectChoice("", _("All channels")), *channel_choices()]
        self.signal.choices = [SelectChoice("", _("Any or none"))] + [
            SelectChoice(kind.value, label(kind)) for kind in SignalKind
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
            "signal": SignalKind(signal) if (signal := valid(self.signal)) else None,
        }


class ImportForm(BaseForm):
    file = FileField(
        _l("File"),
        description=_l("CSV, JSON Lines or a helpdesk export, UTF-8."),
        validators=[FileRequired(_l("Choose a CSV or JSON Lines file."))],
    )
    # The helpdesks' names stay as they are in every language.
    file_format = SelectField(
        _l("Format"),
        choices=[
            SelectChoice("", _l("Recognise from the content")),
            SelectChoice("zendesk", "Zendesk (JSON)"),
            SelectChoice("freshdesk", "Freshdesk (JSON)"),
            SelectChoice("intercom", "Intercom (JSON)"),
        ],
        validators=[Optional()],
    )
    submit = SubmitField(_l("Import"))


class InteractionForm(BaseForm):
    """One interaction typed in by hand; field names are the import's column names."""

    external_id = StringField(_l("External id"), description=COLUMN_HELP["external_id"])
    channel = SelectField(_l("Channel"), validate_choice=False)
    agent_email = SelectField(_l("Agent"), validate_choice=False)
    occurred_at = StringField(_l("Time"), description=COLUMN_HELP["occurred_at"])
    duration_seconds = StringField(_l("Duration (seconds)"))
    language = StringField(_l("Language"), description=COLUMN_HELP["language"])
    customer_ref = StringField(_l("Customer reference"))
    subject = StringField(_l("Subject"))
    transcript = TextAreaField(_l("Transcript"), description=COLUMN_HELP["transcript"])
    recording_url = StringField(_l("Recording URL"), description=COLUMN_HELP["recording_url"])
    csat = StringField(_l("CSAT (1–5)"))
    nps = StringField(_l("NPS answer (0–10)"))
    ces = StringField(_l("CES (1–7)"))
    first_contact_resolved = SelectField(
        _l("Resolved at first contact"), choices=RESOLVED_CHOICES, validate_choice=False
    )
    handle_seconds = StringField(_l("Handle time (seconds)"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel.choices = channel_choices()

    def set_agents(self, agents: Iterable[User]) -> None:
        self.agent_email.choices = [SelectChoice("", _("— choose an agent —"))] + [
            SelectChoice(agent.email, f"{agent.display_name} ({agent.email})") for agent in agents
        ]

    def row(self) -> dict[str, Any]:
        """The values as an import row: only the known columns, whatever else was posted."""
        return {column: self[column].data for column in COLUMNS}

    def show(self, problems: Iterable[Problem]) -> None:
        for column, reason in problems:
            self[column or "external_id"].errors.append(reason)
