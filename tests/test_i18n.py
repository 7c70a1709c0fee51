"""Languages: every text goes through the catalogues, Hungarian is complete, choices count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.mofile import read_mo
from babel.numbers import format_decimal as babel_format_decimal
from flask import Flask

from qa_app.accounts.models import Role, User
from qa_app.extensions import db
from qa_app.ui.filters import (
    format_date,
    format_datetime,
    format_decimal,
    format_pct,
    format_score,
    format_signed,
)
from tests.conftest import AppClient
from tests.i18n_text import untranslated_literals
from tools import catalogues

TEMPLATES = Path(__file__).resolve().parent.parent / "qa_app" / "templates"


@pytest.fixture(scope="module")
def extracted() -> catalogues.Catalog:
    return catalogues.extract()


def _template_names() -> list[str]:
    return sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", _template_names())
def test_template_has_no_text_outside_the_catalogue(app: Flask, name: str) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert list(untranslated_literals(app.jinja_env, source)) == []


def test_the_literal_scanner_finds_plain_text_and_read_attributes(app: Flask) -> None:
    source = (
        '<h1>{{ _("Fine") }}</h1><p title="Plain tip">Plain words {{ x }}</p>'
        '{% trans %}Also fine{% endtrans %}<input type="submit" value="Go now">'
        "<script>let ignored = 'yes';</script><td>{{ n }} %</td>"
    )
    assert list(untranslated_literals(app.jinja_env, source)) == [
        "Plain tip",
        "Plain words …",
        "Go now",
    ]


@pytest.mark.parametrize("language", catalogues.languages())
def test_catalogue_holds_every_text_translated(
    language: str, extracted: catalogues.Catalog
) -> None:
    assert catalogues.problems(language, extracted) == []


def test_the_catalogue_check_notices_a_missing_untranslated_and_fuzzy_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extracted: catalogues.Catalog
) -> None:
    monkeypatch.setattr(catalogues, "TRANSLATIONS", tmp_path)
    catalogues.update(["hu"])  # a fresh Hungarian catalogue: every text empty
    catalog = catalogues.read("hu")
    first, second = [m for m in catalog if m.id][:2]
    second.string, second.flags = "valami", {"fuzzy"}
    catalog.delete(first.id, first.context)
    catalogues._write(catalog, catalogues.po_path("hu"))
    found = catalogues.problems("hu", extracted)
    assert f"hu: missing {first.id!r}" in found
    assert f"hu: fuzzy {second.id!r}" in found
    assert any(p.startswith("hu: untranslated") for p in found)


def _plain(value: object) -> object:
    """A plural's forms as a tuple: .mo files give lists, .po files tuples."""
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("language", catalogues.languages())
def test_compiled_catalogue_matches_its_source(language: str) -> None:
    compiled = catalogues.po_path(language).with_suffix(".mo")
    assert compiled.exists(), "run `make compile-translations` (make test does it)"
    with compiled.open("rb") as handle:
        mo = {_plain(m.id): _plain(m.string) for m in read_mo(handle) if m.id and m.string}
    po = {_plain(m.id): _plain(m.string) for m in catalogues.read(language) if m.id and m.string}
    assert mo == po, "stale compiled catalogue: run `make compile-translations`"


def test_english_catalogue_is_the_source_text() -> None:
    english = catalogues.read("en")
    assert all(m.string == m.id for m in english if m.id)


# --- which language a request speaks ---------------------------------------------------------


def _language_of(client: AppClient, path: str = "/login", **headers: str) -> str:
    html = client.get(path, headers=headers).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_gets_the_browsers_language_or_english(client: AppClient) -> None:
    assert _language_of(client) == "en"
    assert _language_of(client, **{"Accept-Language": "hu-HU,hu;q=0.9,en;q=0.5"}) == "hu"
    assert _language_of(client, **{"Accept-Language": "de-DE,fr;q=0.8"}) == "en"


def test_the_users_preference_wins_over_the_browser(
    app: Flask, login_as: Callable[..., AppClient]
) -> None:
    client = login_as(Role.REVIEWER)
    response = client.submit(
        "/account/preferences", {"language": "hu"}, token_from="/account/preferences"
    )
    assert response.status_code == 302
    page = client.get("/account/preferences", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert '<html lang="hu"' in html
    assert "Your preferences have been saved." not in html
    with app.app_context():
        assert db.session.get(User, client.user.id).language == "hu"  # type: ignore[attr-defined]
    client.submit("/account/preferences", {"language": ""}, token_from="/account/preferences")
    assert _language_of(client, "/account/preferences", **{"Accept-Language": "en"}) == "en"


def test_an_unknown_language_is_refused_and_nothing_changes(
    app: Flask, login_as: Callable[..., AppClient]
) -> None:
    client = login_as(Role.AGENT)
    response = client.submit(
        "/account/preferences", {"language": "xx"}, token_from="/account/preferences"
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, client.user.id).language is None  # type: ignore[attr-defined]


# --- numbers and dates in the reader's notation ----------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("83.33", "85.3%", "+1.50", "Nov 23, 2026", "Nov 23, 2026, 2:05\u202fPM UTC")),
        ("hu", ("83,33", "85,3%", "+1,50", "2026. nov. 23.", "2026. nov. 23. 14:05 UTC")),
    ],
)
def test_numbers_and_dates_follow_the_language(
    app: Flask, language: str, expected: tuple[str, ...]
) -> None:
    moment = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = (
            format_score(83.333),
            format_pct(85.27),
            format_signed(1.5),
            format_date(moment),
            format_datetime(moment),
        )
    assert shown == expected


@pytest.mark.parametrize("language", ["en", "hu"])
def test_kept_number_texts_are_babels_own(language: str) -> None:
    """Each number's text is made once and kept: asked again, in another type of the same value
    or after other values, it is still what Babel writes for that very value."""
    locale = Locale.parse(language)
    values: list[Decimal | float] = [
        3, 3.0, Decimal("3"), Decimal("3.0"), Decimal("3.005"), 3.005, 2.125, 2.135, -0.0,
        Decimal("-0"), 0, -1.5, 0.1 + 0.2, 1234567.891, Decimal("1E+3"), 1e-7, 99.995,
    ]  # fmt: skip
    for pattern in ("#,##0.00", "#,##0", "#,##0.0%", "+#,##0.00;-#,##0.00", "#,##0.##"):
        for _ in range(2):  # the second round reads what the first kept
            for value in values:
                expected = babel_format_decimal(value, pattern, locale=locale)
                assert format_decimal(value, pattern, locale) == expected, (pattern, value)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("Longest wait", "4 min 12 s", "1 h 5 min", "0 s", "1,234.5 words", "Yes")),
        (
            "hu",
            (
                "Leghosszabb várakozás",
                "4 perc 12 mp",
                "1 óra 5 perc",
                "0 mp",
                "1\xa0234,5 szó",
                "Igen",
            ),
        ),
    ],
)
def test_auto_qa_measures_read_as_words_in_the_language(
    app: Flask, language: str, expected: tuple[str, ...]
) -> None:
    from qa_app.ui.measures import measure_figure, measure_label

    with app.test_request_context(headers={"Accept-Language": language}):
        shown = (
            measure_label("longest_wait"),
            measure_figure(252, "s"),
            measure_figure(3930, "s"),
            measure_figure(0, "s"),
            measure_figure(1234.5, "words"),
            measure_figure(1, "yes/no"),
        )
    assert shown == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "f.csv: 1,234 new interactions added, 1,001 already imported before."),
        (
            "hu",
            "f.csv: 1\xa0234 új interakció került be, 1\xa0001 már korábban be volt importálva.",
        ),
    ],
)
def test_the_import_summary_counts_in_the_readers_notation(
    app: Flask, language: str, expected: str
) -> None:
    from qa_app.interactions.services import ImportReport

    report = ImportReport("f.csv", rows_added=1234, rows_skipped=1001)
    with app.test_request_context(headers={"Accept-Language": language}):
        assert report.summary == expected


def test_every_rule_problem_is_marked_for_the_catalogue() -> None:
    """A problem of the rule engine is shown translated only if N_ put it in the catalogue."""
    import ast

    unmarked = []
    for path in sorted((Path(__file__).parent.parent / "qa_app" / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add":
                message = node.args[1] if len(node.args) > 1 else None
                if isinstance(message, ast.Constant) and isinstance(message.value, str):
                    unmarked.append(f"{path.name}:{node.lineno}")
    assert unmarked == []
