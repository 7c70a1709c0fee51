"""The editor's forms: a section, a criterion, and a move up or down."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from ..textinput import BaseForm


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
