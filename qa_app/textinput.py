"""One cleaner for text typed into forms: control characters never reach the database.

NUL cannot be stored by PostgreSQL and the other control characters break XML (charts, Excel)
and look like nothing on screen. Free text (a text area) loses them silently; a one-line field
refuses them with a message. Every form inherits this through `BaseForm`. See
docs/hostile-input.md.
"""

from __future__ import annotations

import re
from typing import Any

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
