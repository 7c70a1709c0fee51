"""Forms for building scorecards."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DecimalField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import current_locale
from ..textinput import BaseForm
from ..ui.labels import CHANNEL_PLURALS
from .services import Settings, default_labels

CHANNEL_CHOICES = [SelectChoice(str(value), name) for value, name in CHANNEL_PLURALS.items()]


def _default_label(point: int) -> Callable[[], str]:
    """The label a new scorecard offers for ``point``, in the reader's language."""
    return lambda: default_labels()[point]


def _label_field(point: int) -> StringField:
    return StringField(
        _l("Label for %(point)s", point=point),
        default=_default_label(point),
        validators=[DataRequired(), Length(max=40)],
    )


class SettingsForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    language = StringField(
        _l("Language code"),
        default=lambda: current_locale().language,
        validators=[DataRequired(), Length(max=35)],
    )
    channels = SelectMultipleField(
        _l("Channels"),
        choices=CHANNEL_CHOICES,
        validators=[DataRequired(message=_l("Choose at least one channel."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    pass_mark = DecimalField(
        _l("Pass mark (%)"),
        default=Decimal(80),
        places=None,
        validators=[
            InputRequired(),
            NumberRange(min=0, max=100, message=_l("Use a number from 0 to 100.")),
        ],
    )
    label_5 = _label_field(5)
    label_4 = _label_field(4)
    label_3 = _label_field(3)
    label_2 = _label_field(2)
    label_1 = _label_field(1)


class ImportForm(BaseForm):
    file = FileField(
        _l("Scorecard file (YAML)"),
        validators=[FileRequired(_l("Choose a YAML file to upload."))],
    )


def settings_from(form: SettingsForm) -> Settings:
    """The settings a filled-in settings form gives."""
    labels = {point: getattr(form, f"label_{point}").data for point in range(1, 6)}
    return Settings(
        form.name.data,
        form.description.data or "",
        form.language.data,
        form.channels.data,
        form.pass_mark.data,
        labels,
    )
