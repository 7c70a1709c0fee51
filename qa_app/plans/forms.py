"""The action plan form: one optional goal per criterion."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput

from ..results.services import CriterionRow
from ..textinput import BaseForm
from .services import GoalInput, today


class PlanFormBase(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    due_on = DateField(_l("Due on"), validators=[InputRequired()])


class NoteForm(BaseForm):
    text = TextAreaField(
        _l("Follow-up note"),
        validators=[DataRequired(message=_l("Write the note first.")), Length(max=5000)],
    )


class NumberInputDecimalField(DecimalField):
    """A decimal in an <input type="number">: its value is written with a dot in every language,
    as a browser reads no other notation (it shows the number in the reader's own). A comma sent
    by hand is read as the decimal separator too."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([str(v).replace(",", ".") for v in valuelist])


def _goal_fields(row: CriterionRow, tip: str, chosen: bool) -> dict[str, object]:
    """One criterion's fields: whether to work on it, the target average and the actions."""
    return {
        f"use_{row.key}": BooleanField(
            _("Work on %(criterion)s", criterion=row.name), default=chosen
        ),
        f"target_{row.key}": NumberInputDecimalField(
            _("Target average for %(criterion)s", criterion=row.name),
            default=Decimal("4.0"),
            places=None,
            widget=NumberInput(step="0.1", min=1, max=5),
            validators=[
                Optional(),
                NumberRange(min=1, max=5, message=_("Use an average from 1 to 5.")),
            ],
        ),
        f"actions_{row.key}": TextAreaField(
            _("Actions for %(criterion)s", criterion=row.name),
            default=tip,
            validators=[Optional(), Length(max=5000)],
        ),
    }


def plan_form(
    rows: list[CriterionRow],
    tips: dict[str, str],
    chosen: Collection[str] = (),
    **kwargs: object,
) -> PlanFormBase:
    """A form with, per criterion, whether to work on it, a target average and the actions.

    Built during the request, so its labels are in the reader's language. No goal is ticked
    unless `chosen` names its criterion key (a link may name the development areas it came for).
    """
    fields: dict[str, object] = {}
    for row in rows:
        fields.update(_goal_fields(row, tips.get(row.key, ""), row.key in chosen))
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
