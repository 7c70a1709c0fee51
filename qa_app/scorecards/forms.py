"""Forms for building scorecards."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
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

CHANNEL_CHOICES = [
    SelectChoice("call", "Calls"),
    SelectChoice("chat", "Chats"),
    SelectChoice("email", "Emails"),
]


class SettingsForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
    language = StringField(
        "Language code", default="en", validators=[DataRequired(), Length(max=35)]
    )
    channels = SelectMultipleField(
        "Channels",
        choices=CHANNEL_CHOICES,
        validators=[DataRequired(message="Choose at least one channel.")],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    pass_mark = DecimalField(
        "Pass mark (%)",
        default=Decimal(80),
        places=None,
        validators=[
            InputRequired(),
            NumberRange(min=0, max=100, message="Use a number from 0 to 100."),
        ],
    )
    label_5 = StringField(
        "Label for 5", default="Excellent", validators=[DataRequired(), Length(max=40)]
    )
    label_4 = StringField(
        "Label for 4", default="Good", validators=[DataRequired(), Length(max=40)]
    )
    label_3 = StringField(
        "Label for 3", default="Satisfactory", validators=[DataRequired(), Length(max=40)]
    )
    label_2 = StringField(
        "Label for 2", default="Needs improvement", validators=[DataRequired(), Length(max=40)]
    )
    label_1 = StringField(
        "Label for 1", default="Poor", validators=[DataRequired(), Length(max=40)]
    )


class SectionForm(FlaskForm):
    name = StringField("Section name", validators=[DataRequired(), Length(max=120)])


class CriterionForm(FlaskForm):
    section_id = SelectField("Section", coerce=int)
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        "What is measured",
        validators=[DataRequired(), Length(max=2000)],
        description="Specific and observable: what the reviewer looks or listens for.",
    )
    anchor_5 = TextAreaField("What a 5 looks like", validators=[DataRequired(), Length(max=1000)])
    anchor_3 = TextAreaField("What a 3 looks like", validators=[DataRequired(), Length(max=1000)])
    anchor_1 = TextAreaField("What a 1 looks like", validators=[DataRequired(), Length(max=1000)])
    weight = DecimalField(
        "Weight",
        default=Decimal(1),
        places=None,
        validators=[
            InputRequired(),
            NumberRange(
                min=Decimal("0.01"),
                max=100,
                message="The weight must be greater than 0 and at most 100.",
            ),
        ],
    )
    allow_na = BooleanField("Allow N/A (the criterion may not apply)")
    is_critical = BooleanField(
        "Critical",
        description="A score of 1 or 2 on a critical criterion makes the whole evaluation score 0.",
    )
    coaching_tips = TextAreaField("Coaching tips", validators=[Optional(), Length(max=2000)])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ImportForm(FlaskForm):
    file = FileField(
        "Scorecard file (YAML)", validators=[FileRequired("Choose a YAML file to upload.")]
    )
