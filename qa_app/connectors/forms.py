"""The Zendesk connection form; the API token is never shown back."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..textinput import BaseForm
from .models import MAX_INTERVAL_MINUTES, HelpdeskConnection
from .services import NewSettings, address_problem, base_url


class ZendeskForm(BaseForm):
    base_url = StringField(
        _l("Zendesk address"),
        description=_l("Your subdomain (acme) or the full address, https://acme.zendesk.com"),
        validators=[InputRequired(), Length(max=500)],
    )
    email = StringField(_l("Email of the API user"), validators=[InputRequired(), Length(max=254)])
    api_token = PasswordField(
        _l("API token"),
        description=_l("Stored encrypted and never shown. Leave empty to keep the stored token."),
        validators=[Optional(), Length(max=1000)],
    )
    start_date = DateField(
        _l("First pull: tickets changed since (UTC)"),
        description=_l("Empty: the last 30 days. A new day starts the pulls again from it."),
        validators=[Optional()],
    )
    interval_minutes = IntegerField(
        _l("Pull every (minutes)"),
        description=_l("0: no schedule; pull with the button only."),
        default=0,
        validators=[
            InputRequired(),
            NumberRange(min=0, max=MAX_INTERVAL_MINUTES, message=_l("Use 0 to 10080 minutes.")),
        ],
    )
    submit = SubmitField(_l("Save"))

    def validate_base_url(self, field: Any) -> None:
        problem = address_problem(base_url(field.data or ""))
        if problem:
            raise ValidationError(problem)

    def fill(self, row: HelpdeskConnection) -> None:
        """Show the stored settings (the token never)."""
        self.base_url.data, self.email.data = row.base_url, row.email
        self.interval_minutes.data = row.interval_minutes
        self.start_date.data = row.start_time.date() if row.start_time else None

    def settings(self) -> NewSettings:
        day = self.start_date.data
        return NewSettings(
            base_url=self.base_url.data or "",
            email=self.email.data or "",
            interval_minutes=self.interval_minutes.data or 0,
            start_time=datetime.combine(day, time(), tzinfo=UTC) if day else None,
            new_token=self.api_token.data or "",
        )
