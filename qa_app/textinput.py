"""One cleaner for text typed into forms: control characters never reach the database.

NUL cannot be stored by PostgreSQL and the other control characters break XML (charts, Excel)
and look like nothing on screen. Free text (a text area) loses them silently; a one-line field
refuses them with a message. Every form inherits this through `BaseForm`. See
docs/hostile-input.md.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField

from .moments import check_day

# C0 controls but tab, line feed and carriage return; DEL; and the non-characters XML forbids.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
REFUSED = _l("Remove the invisible control characters (such as NUL) from this field.")


def strip_controls(value: Any) -> Any:
    """Free text without control characters (tab and line breaks stay)."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


def refuse_controls(value: Any) -> Any:
    """One-line text as given, or a field error when it holds a control character."""
    if isinstance(value, str) and (CONTROL.search(value) or "\n" in value or "\r" in value):
        raise ValueError(str(REFUSED))
    return value


class BaseForm(FlaskForm):
    """The base of every form: adds the control-character filter to each text field."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            kind = unbound_field.field_class
            if issubclass(kind, StringField):
                clean = strip_controls if issubclass(kind, TextAreaField) else refuse_controls
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), clean)
            elif issubclass(kind, DateField):
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), check_day)
            return unbound_field.bind(form=form, **options)


def web_address_problem(url: str, credentials_hint: str, *, query_allowed: bool) -> str | None:
    """Why this is not a usable server address, or None: http(s), a host, no user or password.

    Every form that takes an address of another server (the model server, an identity provider,
    a helpdesk, a webhook receiver) checks it here; `credentials_hint` says where a password goes
    instead, and each caller adds its own rules (https only, say) after these.
    """
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return _("This is not a valid web address.")
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        return _("Use an address that starts with http:// or https:// and names a server.")
    if parts.username is not None or parts.password is not None:
        return credentials_hint
    if query_allowed:
        return _("Leave the fragment (#...) out of the address.") if parts.fragment else None
    if parts.query or parts.fragment:
        return _("Leave the query (?...) and fragment (#...) out of the address.")
    return None
