"""The form that sets up a calibration session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import User
from ..scorecards.models import ScorecardVersion
from ..textinput import BaseForm
from ..ui.labels import label
from .services import SessionInput, parse_external_ids

NO_EXPERT = 0


class SessionForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    scorecard_version_id = SelectField(_l("Scorecard"), coerce=int, validators=[InputRequired()])
    interactions = TextAreaField(
        _l("Interactions"),
        description=_l(
            "External ids of the interactions to score, one per line or separated by commas."
        ),
        validators=[
            DataRequired(message=_l("Name at least one interaction.")),
            Length(max=20_000),
        ],
    )
    participant_ids = SelectMultipleField(
        _l("Participants"),
        description=_l("The reviewers who score every interaction, blind."),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    expert_id = SelectField(
        _l("Expert"),
        description=_l(
            "The expert scores too, and their scores are the benchmark. Without one, "
            "each reviewer is compared with the median of the others."
        ),
        coerce=int,
        validators=[Optional()],
    )
    deadline = DateTimeLocalField(
        _l("Deadline (UTC)"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()]
    )
    submit = SubmitField(_l("Create the session"))


def fill_choices(
    form: SessionForm, versions: Iterable[ScorecardVersion], scorers: Iterable[User]
) -> None:
    """Published scorecards, and the active reviewers and admins who may take part."""
    form.scorecard_version_id.choices = [
        SelectChoice(str(v.id), f"{v.name} (v{v.version})") for v in versions
    ]
    people = [SelectChoice(str(u.id), f"{u.display_name} ({label(u.role)})") for u in scorers]
    form.participant_ids.choices = people
    form.expert_id.choices = [SelectChoice(str(NO_EXPERT), _("— no expert —")), *people]
    if form.deadline.data is None and not form.is_submitted():
        in_a_week = datetime.now(UTC) + timedelta(days=7)
        form.deadline.data = in_a_week.replace(tzinfo=None, second=0, microsecond=0)


def read_form(form: SessionForm) -> SessionInput:
    """The form's values as service input; the deadline is read as UTC."""
    return SessionInput(
        name=form.name.data or "",
        scorecard_version_id=form.scorecard_version_id.data,
        external_ids=parse_external_ids(form.interactions.data or ""),
        participant_ids=form.participant_ids.data or [],
        expert_id=form.expert_id.data or None,
        deadline=form.deadline.data.replace(tzinfo=UTC),
    )
