"""The form of one language's escalation phrase list (a code and one phrase per line), and the
offer to compute signals again."""

from __future__ import annotations

from typing import Any, Final

from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ..accounts.models import Role
from ..jobs.forms import StartOffer, start_offer
from ..jobs.models import JobKind
from ..rules.phrases import compile_phrases
from ..rules.text import supported_languages
from ..textinput import BaseForm

MAX_PHRASES: Final = 200
MAX_PHRASE_LENGTH: Final = 100
MAX_TEXT: Final = MAX_PHRASES * (MAX_PHRASE_LENGTH + 2)
RUN_STARTERS: Final = (Role.ADMIN, Role.REVIEWER)


class PhraseListForm(BaseForm):
    language = StringField(
        _l("Language code"),
        description=_l("Two or three letters, such as en or hu."),
        validators=[InputRequired(), Length(max=8)],
        filters=[lambda value: value.strip().lower() if isinstance(value, str) else value],
    )
    phrases = TextAreaField(
        _l("Phrases, one per line"),
        validators=[Length(max=MAX_TEXT)],
        render_kw={"rows": 8, "dir": "auto"},
    )
    submit = SubmitField(_l("Save"))

    def validate_language(self, field: Any) -> None:
        if field.data not in supported_languages():
            raise ValidationError(
                _l("Word forms are not known for this language: use a code such as en or hu.")
            )

    def validate_phrases(self, field: Any) -> None:
        lines = self.lines()
        if len(lines) > MAX_PHRASES:
            raise ValidationError(_l("At most %(max)s phrases per language.", max=MAX_PHRASES))
        for number, line in lines:
            if len(line) > MAX_PHRASE_LENGTH:
                raise ValidationError(
                    _l(
                        "Line %(line)s is longer than %(max)s characters.",
                        line=number,
                        max=MAX_PHRASE_LENGTH,
                    )
                )
            if compile_phrases("en", [line], word_forms=False)[1].items:
                raise ValidationError(_l("Line %(line)s holds no word.", line=number))

    def lines(self) -> list[tuple[int, str]]:
        """The non-blank lines with their numbers (counted from 1), trimmed."""
        text = self.phrases.data or ""
        return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]

    def phrase_list(self) -> list[str]:
        """The phrases, each once, in the order typed."""
        return list(dict.fromkeys(line for _, line in self.lines()))


def signals_run_offer() -> StartOffer | None:
    """ "Compute signals again" for a reviewer or admin (a template global: the hit-rate page of
    the sampling slice shows it too); None to others."""
    return start_offer(JobKind.SIGNALS_RUN, RUN_STARTERS)
