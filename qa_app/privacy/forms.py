"""The privacy pages' forms: the audit log's filters, retention, erasure of a customer."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ..audit.models import AuditAction
from ..textinput import BaseForm
from ..ui.labels import label
from .queries import AuditFilters


class AuditFilterForm(BaseForm):
    """The audit log's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = StringField(_l("Actor's email contains"), validators=[Optional(), Length(max=254)])
    date_from = DateField(_l("From (UTC)"), validators=[Optional()])
    date_to = DateField(_l("To (UTC)"), validators=[Optional()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", _("All actions"))] + [
            SelectChoice(action.value, label(action)) for action in AuditAction
        ]

    def filters(self) -> AuditFilters:
        """The valid filters; a field with an error counts as not filled in."""
        self.validate()

        def valid(field: Field) -> Any:
            return None if field.errors else field.data or None

        return AuditFilters(
            action=valid(self.action),
            actor=valid(self.actor),
            since=valid(self.date_from),
            until=valid(self.date_to),
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query arguments, for the export link and the next page."""
        kept = self.filters()
        args = {"action": kept.action, "actor": kept.actor}
        args |= {"date_from": kept.since and kept.since.isoformat()}
        args |= {"date_to": kept.until and kept.until.isoformat()}
        return {key: value for key, value in args.items() if value}


class CustomerForm(BaseForm):
    """The customer reference whose interactions an admin looks up before erasing them."""

    customer_ref = StringField(
        _l("Customer reference"), validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("Find interactions"))


class ErasureForm(BaseForm):
    """The confirmation: the reference and the count the admin saw, sent back with the button."""

    customer_ref = HiddenField(validators=[DataRequired(), Length(max=200)])
    expected = IntegerField(
        widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=1, max=10**9)]
    )
    submit = SubmitField(_l("Erase this customer's data"))
