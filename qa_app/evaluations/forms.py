"""The scoring form, built for one scorecard version."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from ..autoqa.queries import ShownSuggestion
from ..scorecards.models import Criterion, ScorecardVersion
from ..textinput import BaseForm
from .models import Evaluation
from .services import CriterionInput, EvaluationInput

NA = "na"
TEXT_LIMIT = 5000


class EvaluationFormBase(BaseForm):
    strengths = TextAreaField(_l("Strengths"), validators=[Optional(), Length(max=TEXT_LIMIT)])
    improvements = TextAreaField(
        _l("Areas to improve"), validators=[Optional(), Length(max=TEXT_LIMIT)]
    )
    reason = TextAreaField(
        _l("Why are you changing a submitted evaluation?"),
        validators=[Optional(), Length(max=TEXT_LIMIT)],
    )
    lock_version = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    action = StringField()  # set by the button pressed: "draft" or "submit"
    version: ScorecardVersion  # the version the form was built for

    def criterion_fields(self, criterion: Criterion) -> tuple[RadioField, TextAreaField]:
        return self[f"score_{criterion.id}"], self[f"comment_{criterion.id}"]


def score_choices(version: ScorecardVersion, criterion: Criterion) -> list[SelectChoice]:
    """1-5 with the scorecard's own labels (data), and N/A where the criterion allows it."""
    choices = [
        SelectChoice(str(point), f"{point} {label}") for point, label in version.labels.items()
    ]
    if criterion.allow_na:
        choices.append(SelectChoice(NA, _("N/A")))
    return choices


def evaluation_form(version: ScorecardVersion, **kwargs: object) -> EvaluationFormBase:
    """A form class with a score and a comment field per criterion of this version."""
    fields: dict[str, object] = {}
    for criterion in version.ordered_criteria:
        fields[f"score_{criterion.id}"] = RadioField(
            criterion.name,
            choices=score_choices(version, criterion),
            validators=[Optional()],
            validate_choice=False,  # the service names the criterion in its message
        )
        fields[f"comment_{criterion.id}"] = TextAreaField(
            _("Comment on %(criterion)s", criterion=criterion.name),
            validators=[Optional(), Length(max=TEXT_LIMIT)],
        )
        # Root causes: checkboxes drawn by the page; the service checks each id it is sent.
        fields[f"causes_{criterion.id}"] = SelectMultipleField(validate_choice=False)
    form_class = type("EvaluationForm", (EvaluationFormBase,), fields)
    form: EvaluationFormBase = form_class(**kwargs)
    form.version = version
    return form


def fill_form(form: EvaluationFormBase, evaluation: Evaluation) -> None:
    """Put the stored values into a fresh form."""
    for score in evaluation.scores:
        radio, comment = form.criterion_fields(score.criterion)
        radio.data = NA if score.is_na else (str(score.score) if score.score else None)
        comment.data = score.comment
        form[f"causes_{score.criterion.id}"].data = [str(c.id) for c in score.root_causes]
    form.strengths.data = evaluation.strengths
    form.improvements.data = evaluation.improvements
    form.lock_version.data = evaluation.lock_version


def suggested_choice(criterion: Criterion, made: ShownSuggestion | None) -> str | None:
    """The radio value a suggestion stands for: a point, N/A, or None (nothing to suggest)."""
    if made is None or not made.decided:
        return None
    if made.point is None:
        return NA if criterion.allow_na else None
    return str(made.point)


def prefill(form: EvaluationFormBase, suggestions: dict[int, ShownSuggestion]) -> None:
    """Start a new evaluation's automated criteria at their suggestion (docs/autoqa.md)."""
    for criterion_id, made in suggestions.items():
        criterion = next((c for c in form.version.ordered_criteria if c.id == criterion_id), None)
        if criterion is not None:
            form.criterion_fields(criterion)[0].data = suggested_choice(criterion, made)


def parse_choice(raw: str | None) -> tuple[int | None, bool]:
    if raw == NA:
        return None, True
    return (int(raw), False) if raw and raw.isdigit() else (None, False)


def parse_causes(raw: list[str] | None) -> frozenset[int]:
    """The cause ids sent; anything that is no id becomes 0, which no cause has (refused)."""
    return frozenset(
        int(v) if v.isascii() and v.isdigit() and len(v) < 10 else 0 for v in raw or []
    )


def read_form(form: EvaluationFormBase, version: ScorecardVersion) -> EvaluationInput:
    """The form's values as service input."""
    criteria = {}
    for criterion in version.ordered_criteria:
        radio, comment = form.criterion_fields(criterion)
        value, is_na = parse_choice(radio.data)
        causes = parse_causes(form[f"causes_{criterion.id}"].data)
        criteria[criterion.id] = CriterionInput(value, is_na, (comment.data or "").strip(), causes)
    return EvaluationInput(
        criteria, (form.strengths.data or "").strip(), (form.improvements.data or "").strip()
    )
