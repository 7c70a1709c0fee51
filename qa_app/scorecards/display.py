"""How scorecard pages show language codes and numbers in the reader's language."""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..i18n import current_locale
from .schema import DOCUMENT, SchemaProblem


def language_name(code: str) -> str:
    """A scorecard's language code, named in the reader's language (the code when unknown)."""
    try:
        name = Locale.parse(code, sep="-").get_display_name(current_locale())
    except (ValueError, UnknownLocaleError):
        return code
    return name or code


def number(value: Decimal | float) -> str:
    """A weight or pass mark without needless decimals: 1, 1.5, 82.25 (in the reader's notation)."""
    return format_decimal(value, "#,##0.##")


def weight_share(weight: Decimal, total: Decimal) -> str:
    """A criterion's weight as a whole percentage of the scorecard's total weight."""
    return format_percent(weight / total, "#,##0%")


def pass_mark(value: Decimal) -> str:
    """A pass mark (0 to 100) as a percentage: 80%, 72.5%."""
    return format_percent(value / 100, "#,##0.##%")


def translated_problems(problems: list[SchemaProblem]) -> list[tuple[str, str]]:
    """Each YAML problem as (where, message): the path is the document's, the message translated."""
    return [
        (_("(document)") if problem.path == DOCUMENT else problem.path, problem.text.render(_))
        for problem in problems
    ]


HELPERS = {
    "language_name": language_name,
    "number": number,
    "pass_mark": pass_mark,
    "weight_share": weight_share,
}
