"""The delivery choice per kind, and the admin's setting for the score in emails."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField

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
    submit = SubmitField(_l("Save"))
