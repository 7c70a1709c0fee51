"""Admin forms for users and teams."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.forms import check_password_policy
from ..accounts.models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class UserForm(FlaskForm):
    email = EmailField(
        "Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    display_name = StringField("Display name", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])
    password = PasswordField(
        "Password",
        description="12 to 128 characters. Leave empty when editing to keep the current one.",
        validators=[Optional(), check_password_policy],
    )
    is_active = BooleanField("Active (can sign in)", default=True)
    submit = SubmitField("Save")


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(max=120)])
    lead_id = SelectField("Team lead", coerce=int, validators=[Optional()])
    agent_ids = SelectMultipleField(
        "Agents",
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField("Save")


class ConfirmForm(FlaskForm):
    """An empty form that carries only the CSRF token, for one-button actions."""

    submit = SubmitField("Confirm")


class SettingsForm(FlaskForm):
    dispute_window_days = IntegerField(
        "Days an agent has to dispute an evaluation",
        validators=[InputRequired(), NumberRange(min=1, max=365, message="Use 1 to 365 days.")],
    )
    calibration_tolerance = DecimalField(
        "Calibration tolerance (points)",
        description="A reviewer whose mean absolute deviation from the benchmark is above this "
        "is flagged on the reviewer consistency page.",
        places=None,
        validators=[InputRequired(), NumberRange(min=0, max=4, message="Use 0 to 4 points.")],
    )
    submit = SubmitField("Save")
