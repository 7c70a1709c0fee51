"""Raising a dispute, and resolving one with optional new scores."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..evaluations.forms import TEXT_LIMIT, score_choices
from ..scorecards.models import ScorecardVersion
from ..textinput import BaseForm


class DisputeForm(BaseForm):
    criterion_ids = SelectMultipleField(
        _l("Which criteria do you dispute? (none chosen: the whole evaluation)"),
        coerce=int,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    reason = TextAreaField(
        _l("Why do you disagree?"),
        validators=[DataRequired(message=_l("Say why you disagree.")), Length(max=TEXT_LIMIT)],
    )


class ResolveForm(BaseForm):
    note = TextAreaField(
        _l("Decision, explained to the agent"),
        validators=[
            DataRequired(message=_l("Explain the decision to the agent.")),
            Length(max=TEXT_LIMIT),
        ],
    )


def resolve_form(version: ScorecardVersion, **kwargs: object) -> ResolveForm:
    """A resolution form with an optional new score per criterion."""
    fields = {
        f"score_{c.id}": RadioField(
            c.name,
            choices=score_choices(version, c),
            validators=[Optional()],
            validate_choice=False,
        )
        for c in version.ordered_criteria
    }
    return type("ResolveScoresForm", (ResolveForm,), fields)(**kwargs)  # type: ignore[no-any-return]
