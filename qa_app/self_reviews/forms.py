"""The request form; the agent scores on the evaluation's own form (evaluations/forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from ..evaluations.forms import NA, EvaluationFormBase
from ..scorecards.models import ScorecardVersion
from ..textinput import BaseForm
from .models import SelfReview


class RequestForm(BaseForm):
    scorecard_id = SelectField(_l("Scorecard"), coerce=int, validators=[InputRequired()])

    def offer(self, versions: list[ScorecardVersion]) -> None:
        self.scorecard_id.choices = [(v.id, f"{v.name} (v{v.version})") for v in versions]


def fill_form(form: EvaluationFormBase, review: SelfReview) -> None:
    """Put the stored draft into a fresh scoring form."""
    for score in review.scores:
        radio, comment = form.criterion_fields(score.criterion)
        radio.data = NA if score.is_na else (str(score.score) if score.score else None)
        comment.data = score.comment
    form.strengths.data = review.strengths
    form.improvements.data = review.improvements
    form.lock_version.data = review.lock_version
