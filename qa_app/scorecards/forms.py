"""Forms for building scorecards."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import current_locale
from ..textinput import BaseForm
from .services import default_labels

CHANNEL_NAMES = {"call": _l("Calls"), "chat": _l("Chats"), "email": _l("Emails")}
CHANNEL_CHOICES = [SelectChoice(value, label) for value, label in CHANNEL_NAMES.items()]


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


class SectionForm(BaseForm):
    name = StringField(_l("Section name"), validators=[DataRequired(), Length(max=120)])


class CriterionForm(BaseForm):
    section_id = SelectField(_l("Section"), coerce=int)
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        _l("What is measured"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Specific and observable: what the reviewer looks or listens for."),
    )
    anchor_5 = TextAreaField(
        _l("What a 5 looks like"), validators=[DataRequired(), Length(max=1000)]
    )
    anchor_3 = TextAreaField(
        _l("What a 3 looks like"), validators=[DataRequired(), Length(max=1000)]
    )
    anchor_1 = TextAreaField(
        _l("What a 1 looks like"), validators=[DataRequired(), Length(max=1000)]
    )
    weight = DecimalField(
        _l("Weight"),
        default=Decimal(1),
        places=None,
        validators=[
            InputRequired(),
            NumberRange(
                min=Decimal("0.01"),
                max=100,
                message=_l("The weight must be greater than 0 and at most 100."),
            ),
        ],
    )
    allow_na = BooleanField(_l("Allow N/A (the criterion may not apply)"))
    is_critical = BooleanField(
        _l("Critical"),
        description=_l(
            "A score of 1 or 2 on a critical criterion makes the whole evaluation score 0."
        ),
    )
    coaching_tips = TextAreaField(_l("Coaching tips"), validators=[Optional(), Length(max=2000)])


class MoveForm(BaseForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ImportForm(BaseForm):
    file = FileField(
        _l("Scorecard file (YAML)"),
        validators=[FileRequired(_l("Choose a YAML file to upload."))],
    )
