"""The action plan form: one optional goal per criterion."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..results.services import CriterionRow
from .services import GoalInput, today


class PlanFormBase(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    starts_on = DateField("Starts on", validators=[InputRequired()])
    due_on = DateField("Due on", validators=[InputRequired()])


class NoteForm(FlaskForm):
    text = TextAreaField(
        "Follow-up note",
        validators=[DataRequired(message="Write the note first."), Length(max=5000)],
    )


def plan_form(rows: list[CriterionRow], tips: dict[str, str], **kwargs: object) -> PlanFormBase:
    """A form with, per criterion, whether to work on it, a target average and the actions."""
    fields: dict[str, object] = {}
    for row in rows:
        fields[f"use_{row.key}"] = BooleanField(f"Work on {row.name}", default=row.is_development)
        fields[f"target_{row.key}"] = DecimalField(
            f"Target average for {row.name}",
            default=Decimal("4.0"),
            places=None,
            validators=[
                Optional(),
                NumberRange(min=1, max=5, message="Use an average from 1 to 5."),
            ],
        )
        fields[f"actions_{row.key}"] = TextAreaField(
            f"Actions for {row.name}",
            default=tips.get(row.key, ""),
            validators=[Optional(), Length(max=5000)],
        )
    form_class = type("PlanForm", (PlanFormBase,), fields)
    form = form_class(**kwargs)
    if form.starts_on.data is None:
        form.starts_on.data = today()
    if form.due_on.data is None:
        form.due_on.data = today() + timedelta(weeks=6)
    return form  # type: ignore[no-any-return]


def read_goals(form: PlanFormBase, rows: list[CriterionRow]) -> list[GoalInput]:
    return [
        GoalInput(
            row.key,
            row.name,
            form[f"target_{row.key}"].data or Decimal("4.0"),
            (form[f"actions_{row.key}"].data or "").strip(),
        )
        for row in rows
        if form[f"use_{row.key}"].data
    ]
