"""Admin forms: users, teams, settings and the model server."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.forms import check_password_policy
from ..accounts.models import Role
from ..accounts.passwords import MAX_LENGTH, MIN_LENGTH
from ..textinput import BaseForm
from ..ui.labels import label
from .services import url_problem


class UserForm(BaseForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    password = PasswordField(
        _l("Password"),
        description=_l(
            "%(min)d to %(max)d characters. Leave empty when editing to keep the current one.",
            min=MIN_LENGTH,
            max=MAX_LENGTH,
        ),
        # Whitespace is a password to check, not an empty field (sign-in would refuse it).
        validators=[Optional(strip_whitespace=False), check_password_policy],
    )
    is_active = BooleanField(_l("Active (can sign in)"), default=True)
    is_senior_reviewer = BooleanField(
        _l("Senior reviewer (reviews other reviewers' evaluations)"),
        description=_l("Counts for reviewers only; admins always may."),
    )
    is_sso_only = BooleanField(_l("Single sign-on only (a password is refused)"))
    is_break_glass = BooleanField(
        _l("Break-glass admin (keeps password sign-in when it is off for the site)"),
        description=_l("Counts for admins only."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Built per form, not at import: the role names follow the reader's language.
        self.role.choices = [SelectChoice(role.value, label(role)) for role in Role]


class TeamForm(BaseForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120)])
    lead_id = SelectField(_l("Team lead"), coerce=int, validators=[Optional()])
    agent_ids = SelectMultipleField(
        _l("Agents"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save"))


class ConfirmForm(BaseForm):
    """An empty form that carries only the CSRF token, for one-button actions."""

    submit = SubmitField(_l("Confirm"))


class SettingsForm(BaseForm):
    dispute_window_days = IntegerField(
        _l("Days an agent has to dispute an evaluation"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=365, message=_l("Use 1 to 365 days.")),
        ],
    )
    appeals_per_evaluation = IntegerField(
        _l("Disputes an agent may raise on one evaluation"),
        description=_l("Decided disputes count too: once they are used up, the decision stands."),
        # Optional: a form sent without it (an older page) keeps the stored value.
        validators=[Optional(), NumberRange(min=1, max=10, message=_l("Use 1 to 10 disputes."))],
    )
    calibration_tolerance = DecimalField(
        _l("Calibration tolerance (points)"),
        description=_l(
            "A reviewer whose mean absolute deviation from the benchmark is above this "
            "is flagged on the reviewer consistency page."
        ),
        places=None,
        validators=[InputRequired(), NumberRange(min=0, max=4, message=_l("Use 0 to 4 points."))],
    )
    retention_months = IntegerField(
        _l("Keep transcripts and recording links for (months)"),
        description=_l(
            "Older interactions lose their transcript and recording link once a day; scores, "
            "comments and results stay. Leave empty to keep them for ever."
        ),
        validators=[
            Optional(),
            NumberRange(min=1, max=1200, message=_l("Use 1 to 1200 months, or leave empty.")),
        ],
    )
    require_two_factor = BooleanField(
        _l("Require two-factor sign-in for admins and reviewers"),
        description=_l("Those who sign in with a password must set it up before anything else."),
    )
    submit = SubmitField(_l("Save"))


class ModelServerForm(BaseForm):
    """The team's model server for Auto QA model rules; the API key is never shown back."""

    enabled = BooleanField(
        _l("Use the model server for Auto QA model rules"),
        description=_l("Off: nothing is sent, and model rules answer “no suggestion”."),
    )
    base_url = StringField(
        _l("Base URL"),
        description=_l("The OpenAI-compatible address, e.g. http://models.internal:8000/v1"),
        validators=[Length(max=500)],
    )
    model = StringField(_l("Model name"), validators=[Length(max=200)])
    api_key = PasswordField(
        _l("API key"),
        description=_l("Stored encrypted and never shown. Leave empty to keep the stored key."),
        validators=[Optional(), Length(max=1000)],
    )
    clear_key = BooleanField(_l("Remove the stored API key"))
    timeout_seconds = IntegerField(
        _l("Timeout (seconds)"),
        default=20,
        validators=[
            InputRequired(),
            NumberRange(min=1, max=120, message=_l("Use 1 to 120 seconds.")),
        ],
    )
    submit = SubmitField(_l("Save"))

    def validate_base_url(self, field: StringField) -> None:
        problem = url_problem((field.data or "").strip())
        if field.data and problem:
            raise ValidationError(problem)
        if self.enabled.data and not field.data:
            raise ValidationError(_l("Give the server's address to switch it on."))

    def validate_model(self, field: StringField) -> None:
        if self.enabled.data and not (field.data or "").strip():
            raise ValidationError(_l("Give the model's name to switch it on."))
