"""The editor's forms: a section, a criterion, and a move up or down."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from ..scorecards.automation import check_criterion_rule
from ..scorecards.display import translated_problems
from ..scorecards.schema import MAX_RULE_CHARS, ScorecardSchemaError, parse_rule_yaml
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
    rule_text = TextAreaField(
        _l("Automation rule"),
        validators=[Optional(), Length(max=MAX_RULE_CHARS)],
        description=_l("YAML, written as under rule: in a scorecard file. Empty: no rule."),
    )
    # The rule as it will be stored, once rule_text has passed its checks (None: no rule).
    checked_rule: Mapping[str, Any] | None = None

    def validate_rule_text(self, field: Field) -> None:
        """Read the YAML and check the rule as the import does; every problem with its path."""
        if field.errors:  # too long: not worth reading
            return
        try:
            spec = parse_rule_yaml(field.data or "")
        except ScorecardSchemaError as refused:
            problems = refused.errors
        else:
            self.checked_rule, problems = check_criterion_rule(
                spec, allow_na=bool(self.allow_na.data)
            )
        field.errors.extend(f"{where}: {text}" for where, text in translated_problems(problems))


class MoveForm(BaseForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])
