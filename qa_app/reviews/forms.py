"""The review form, built for the scored criteria of one evaluation."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..accounts.models import User
from ..scorecards.models import Criterion
from ..textinput import BaseForm
from ..ui.labels import label
from .models import Verdict
from .services import ItemInput

TEXT_LIMIT = 5000


class ReviewFormBase(BaseForm):
    comment = TextAreaField(_l("Overall comment"), validators=[Optional(), Length(max=TEXT_LIMIT)])

    def item_fields(self, criterion: Criterion) -> tuple[RadioField, TextAreaField]:
        return self[f"verdict_{criterion.id}"], self[f"comment_{criterion.id}"]


def review_form(criteria: list[Criterion], **kwargs: object) -> ReviewFormBase:
    """A form class with a verdict and a comment field per reviewed criterion."""
    choices = [SelectChoice(v.value, str(label(v))) for v in Verdict]
    fields: dict[str, object] = {}
    for criterion in criteria:
        fields[f"verdict_{criterion.id}"] = RadioField(
            criterion.name, choices=choices, validators=[Optional()], validate_choice=False
        )
        fields[f"comment_{criterion.id}"] = TextAreaField(
            _("Comment on %(criterion)s", criterion=criterion.name),
            validators=[Optional(), Length(max=TEXT_LIMIT)],
        )
    form: ReviewFormBase = type("ReviewForm", (ReviewFormBase,), fields)(**kwargs)
    return form


def read_items(form: ReviewFormBase, criteria: list[Criterion]) -> dict[int, ItemInput]:
    """The verdicts as service input; an unknown or missing verdict is None."""
    items = {}
    for criterion in criteria:
        radio, comment = form.item_fields(criterion)
        verdict = radio.data if radio.data in set(Verdict) else None
        items[criterion.id] = ItemInput(
            Verdict(verdict) if verdict else None, (comment.data or "").strip()
        )
    return items


class QueueFilterForm(BaseForm):
    """The list's reviewer filter, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    reviewer = SelectField(_l("Reviewer"), validators=[Optional()])

    def set_choices(self, scorers: list[User]) -> None:
        self.reviewer.choices = [SelectChoice("", _("All reviewers"))] + [
            SelectChoice(str(user.id), user.display_name) for user in scorers
        ]
