"""The admin's form for one webhook endpoint."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField, SubmitField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..textinput import BaseForm
from ..ui.labels import label
from .models import SUBSCRIBABLE
from .services import url_problem


def _valid_url(_form: Any, field: Any) -> None:
    problem = url_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class EndpointForm(BaseForm):
    url = URLField(_l("Address (URL)"), validators=[DataRequired(), Length(max=500), _valid_url])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=200)])
    events = SelectMultipleField(
        _l("Events"),
        validators=[DataRequired(message=_l("Choose at least one event."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    is_active = BooleanField(_l("Active (deliveries are sent)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.events.choices = [(str(event), label(event)) for event in SUBSCRIBABLE]
