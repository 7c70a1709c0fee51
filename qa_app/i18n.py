"""Languages: which one a request speaks, and the catalogues behind it (Flask-Babel).

The language is the user's own choice when they made one, else the best match of the browser's
Accept-Language, else English. Outside a request (the CLI) it is English unless a command forces
another with `flask_babel.force_locale`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel import Locale
from flask import Flask, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .extensions import babel

# Code -> the language's own name, as the language chooser shows it.
LANGUAGES: dict[str, str] = {"en": "English", "hu": "Magyar"}
DEFAULT_LANGUAGE = "en"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def select_language() -> str:
    """The user's preference, then the browser's best match, then English."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return language_for(getattr(current_user, "language", None) if current_user else None)


def language_for(preferred: str | None) -> str:
    """A user's preference when it is a language we speak, else the browser's, else English."""
    if preferred in LANGUAGES:
        return str(preferred)
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_locale() -> Locale:
    """The locale of this request (English outside one)."""
    return get_locale() or Locale.parse(DEFAULT_LANGUAGE)


def reader_territory() -> str | None:
    """The region of the reader's browser language when it is the page's language ("US" for
    en-US); None outside a request or when the browser names none."""
    if not has_request_context():
        return None
    language = current_locale().language
    for tag, _quality in request.accept_languages:
        parts = tag.replace("_", "-").split("-")
        if parts[0].lower() == language and len(parts) > 1 and len(parts[-1]) == 2:
            return parts[-1].upper()
    return None


def text_direction(text_locale: Locale | None = None) -> str:
    """ "ltr" or "rtl" for the page's dir attribute."""
    return (text_locale or current_locale()).text_direction


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts {% trans %} blocks
    babel.init_app(
        app,
        locale_selector=select_language,
        default_translation_directories=str(TRANSLATIONS),
    )

    @app.context_processor
    def _language() -> dict[str, object]:
        locale = current_locale()
        return {
            "page_language": locale.language,
            "page_direction": text_direction(locale),
            "languages": LANGUAGES,
            **_template_gettext(get_translations()),
        }


def _template_gettext(translations: Any) -> dict[str, object]:
    """`gettext` and `ngettext` for one render, with the catalogue looked up once: Flask-Babel's
    own look it up again for every string (about 10 us each, some ninety strings on a result
    page). They behave as Jinja's new-style ones (`_` calls `gettext`): the text is autoescaped
    and always %-formatted with the keyword arguments, `num` given to ngettext. A render inside
    `force_locale` gets that language's catalogue, as the context is made for each render."""

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  (our catalogue's text, as Jinja's gettext does)
        return text % variables  # type: ignore[no-any-return]

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  (our catalogue's text, as Jinja's ngettext does)
        return text % variables  # type: ignore[no-any-return]

    return {"gettext": gettext, "ngettext": ngettext}
