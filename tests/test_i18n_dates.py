"""A Hungarian date ends with its own full stop ("2026. nov. 5."): no sentence adds a second."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from qa_app.ui.filters import format_date

HUNGARIAN = Path(__file__).resolve().parent.parent / "qa_app/translations/hu/LC_MESSAGES"
# The placeholders that hold a formatted date in the catalogue's sentences.
DATE_NAMES = {"date", "start", "end", "previous_start", "previous_end", "due", "when", "day"}


def test_no_hungarian_sentence_puts_a_full_stop_after_a_date():
    with (HUNGARIAN / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    doubled = []
    for message in catalogue:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            names = set(re.findall(r"%\((\w+)\)s\.(?!\w)", text or ""))
            if names & DATE_NAMES:
                doubled.append(message.id)
    assert doubled == []


def test_a_hungarian_reader_sees_one_full_stop_after_a_date(app):
    with app.test_request_context(), force_locale("hu"):
        day = format_date(date(2026, 11, 5))
        text = gettext("You confirmed this plan on %(date)s.", date=day)
    assert day == "2026. nov. 5." and text.endswith("2026. nov. 5.") and ".." not in text
