"""Templates translate through `gettext` and `ngettext` bound to the render's catalogue
(qa_app/i18n.py): the same text as Jinja's own new-style functions over Flask-Babel's, with the
catalogue looked up once per render, and the language of a `force_locale` around the render."""

from __future__ import annotations

import flask_babel
import pytest
from flask import render_template_string
from flask_babel import force_locale

SOURCE = (
    '{{ _("%(name)s results", name=name) }}|{{ _("Evaluations") }}|'
    '{{ ngettext("%(figure)s word", "%(figure)s words", count, figure=name) }}|'
    "{% trans %}Evaluations{% endtrans %}|{{ _('No such text in the catalogue') }}"
)
VALUES = {"name": "<b>Ágnes & co</b>", "count": 2}


@pytest.mark.parametrize("language", ["en", "hu"])
def test_the_bound_functions_give_what_jinjas_own_give(app, language) -> None:
    with app.test_request_context("/"), force_locale(language):
        ours = render_template_string(SOURCE, **VALUES)  # the context processor's functions
        theirs = app.jinja_env.from_string(SOURCE).render(**VALUES)  # the environment's
    assert ours == theirs
    assert "&lt;b&gt;Ágnes &amp; co&lt;/b&gt;" in ours and "<b>" not in ours
    assert ("eredmények" in ours) is (language == "hu")


def test_the_catalogue_is_looked_up_once_per_render(app, monkeypatch) -> None:
    looked_up: list[int] = []
    lookup = flask_babel.get_translations

    def counted():
        looked_up.append(1)
        return lookup()

    monkeypatch.setattr("qa_app.i18n.get_translations", counted)
    with app.test_request_context("/"):
        page = render_template_string("{% for n in range(50) %}{{ _('Evaluations') }}{% endfor %}")
    assert page == "Evaluations" * 50 and len(looked_up) == 1


def test_a_render_inside_force_locale_speaks_that_language(app) -> None:
    with app.test_request_context("/"):
        english = render_template_string('{{ _("Evaluations") }}')
        with force_locale("hu"):
            hungarian = render_template_string('{{ _("Evaluations") }}')
    assert english == "Evaluations" and hungarian not in ("", "Evaluations")
