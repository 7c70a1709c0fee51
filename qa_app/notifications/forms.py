"""The delivery choice per kind, and the admin's setting for the score in emails."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from ..textinput import BaseForm
from ..ui.labels import label
from .models import Delivery, NotificationKind


class PreferencesForm(BaseForm):
    """A select per kind is added by ``preferences_form``: the kinds depend on the role."""

    submit = SubmitField(_l("Save"))


def preferences_form(kinds: Sequence[NotificationKind], **kwargs: object) -> PreferencesForm:
    class Form(PreferencesForm):
        pass

    choices = [SelectChoice(d.value, label(d)) for d in Delivery]
    for kind in kinds:
        setattr(Form, kind.value, SelectField(label(kind), choices=choices))
    return Form(**kwargs)


class SettingsForm(BaseForm):
    email_shows_score = BooleanField(
        _l("Show the score in the email of a new evaluation"),
        description=_l("Off by default: the email then holds only a link to the evaluation."),
    )
    acknowledge_within_days = IntegerField(
        _l("Days an agent has to acknowledge an evaluation"),
        description=_l(
            "Agents are reminded a day before; leads see who is late on their home page."
        ),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=365, message=_l("Use 1 to 365 days.")),
        ],
    )
    submit = SubmitField(_l("Save"))
