"""The single sign-on page's forms; the client secret is never shown back."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.models import Role
from ..admin.services import url_problem
from ..textinput import BaseForm
from ..ui.labels import label


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, label(role)) for role in Role]


class SsoSettingsForm(BaseForm):
    is_enabled = BooleanField(_l("Offer single sign-on on the sign-in page"))
    name = StringField(
        _l("Provider name"),
        description=_l("Shown on the button: “Sign in with …”."),
        validators=[Length(max=60)],
    )
    issuer = StringField(
        _l("Issuer"),
        description=_l("The provider's issuer URL, e.g. https://sso.example.com/realms/qa"),
        validators=[Length(max=500)],
    )
    client_id = StringField(_l("Client ID"), validators=[Length(max=255)])
    client_secret = PasswordField(
        _l("Client secret"),
        description=_l("Stored encrypted and never shown. Leave empty to keep the stored one."),
        validators=[Optional(), Length(max=1000)],
    )
    default_role = SelectField(_l("Role of a new user"), validators=[DataRequired()])
    role_claim = StringField(
        _l("Claim that gives the role"),
        description=_l("E.g. groups; the table below says which value gives which role."),
        validators=[Length(max=100)],
    )
    allow_password_sign_in = BooleanField(
        _l("Allow password sign-in"),
        description=_l("Off: only break-glass admins may still sign in with a password."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.default_role.choices = _role_choices()

    def validate_issuer(self, field: StringField) -> None:
        problem = url_problem((field.data or "").strip())
        if field.data and problem:
            raise ValidationError(problem)

    def validate_is_enabled(self, field: BooleanField) -> None:
        if field.data and not all(
            (f.data or "").strip() for f in (self.name, self.issuer, self.client_id)
        ):
            raise ValidationError(_l("Give the name, issuer and client ID to switch it on."))


class MappingForm(BaseForm):
    claim_value = StringField(_l("Claim value"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    submit = SubmitField(_l("Add"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()
