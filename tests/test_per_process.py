"""What the suite shares between its apps (tests/per_process.py) changes nothing they do."""

from __future__ import annotations

import jinja2
import pytest
from werkzeug.routing import Map, Rule

from qa_app import create_app
from qa_app.extensions import db
from tests.conftest import make_config
from tests.per_process import SharedBuilderRule, SharedBytecode

SAMPLES = {"int": 7, "path": "a b/c", "default": "a b%c"}


def _sample(rule: Rule, name: str) -> object:
    converter = type(rule._converters[name]).__name__.lower()
    return next((value for kind, value in SAMPLES.items() if kind in converter), SAMPLES["default"])


def test_every_route_builds_the_url_a_plain_rule_builds(app):
    assert app.url_rule_class is SharedBuilderRule
    rules = list(app.url_map.iter_rules())
    for rule in rules:
        plain = Map(
            [Rule(rule.rule, endpoint=rule.endpoint, defaults=rule.defaults, methods=rule.methods)],
            converters=app.url_map.converters,
        )
        values = {name: _sample(rule, name) for name in rule.arguments}
        values["extra"] = "x y"  # an argument the rule does not know goes to the query string
        for append_unknown in (True, False):
            expected = next(plain.iter_rules()).build(values, append_unknown)
            assert rule.build(values, append_unknown) == expected, rule.rule
    assert len(rules) > 100


def test_rules_of_the_same_parts_share_a_builder_and_keep_their_converters():
    url_map = Map(
        [
            SharedBuilderRule("/item/<int:key>", endpoint="by_number"),
            SharedBuilderRule("/item/<key>", endpoint="by_name"),
        ]
    )
    by_number, by_name = url_map.iter_rules()
    assert by_number._build.__func__ is by_name._build.__func__  # type: ignore[attr-defined]
    urls = url_map.bind("qa.test")
    assert urls.build("by_number", {"key": 12}) == "/item/12"
    assert urls.build("by_name", {"key": "a b"}) == "/item/a%20b"
    with pytest.raises(ValueError):
        urls.build("by_number", {"key": "not a number"})


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_apps_share_an_engine_only_with_the_same_settings(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    same = create_app(make_config(url))
    other = create_app(make_config(url, SQLITE_BUSY_TIMEOUT_MS=1234))
    engines = []
    for each in (app, same, other):
        with each.app_context():
            engines.append(db.engine)
            timeout = db.session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert timeout == each.config["SQLITE_BUSY_TIMEOUT_MS"]
            db.session.rollback()
    assert engines[0] is engines[1]
    assert engines[2] is not engines[0]
    with other.app_context():
        db.engine.dispose()


def test_a_database_of_its_own_gets_its_own_engine(empty_database_url):
    url = empty_database_url("sqlite")
    first, second = create_app(make_config(url)), create_app(make_config(url))
    with first.app_context():
        one = db.engine
    with second.app_context():
        assert db.engine is not one
        db.engine.dispose()
    with first.app_context():
        one.dispose()


def test_every_template_from_the_shared_cache_is_the_code_its_app_would_compile():
    create_app(make_config("sqlite://")).jinja_env.get_template("base.html")  # fills some
    env = create_app(make_config("sqlite://")).jinja_env
    assert isinstance(env.bytecode_cache, SharedBytecode)
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    assert len(names) > 100
    for name in names:
        source, filename, _ = env.loader.get_source(env, name)
        bucket = env.bytecode_cache.get_bucket(env, name, filename, source)
        assert bucket.code is not None, name
        assert bucket.code == env.compile(source, name, filename), name


def test_a_changed_template_or_environment_is_compiled_anew():
    shared = SharedBytecode()
    templates = {"page.html": "{{ greeting }}!\n  {% if true %}x{% endif %}"}
    plain = jinja2.Environment(
        loader=jinja2.DictLoader(templates), bytecode_cache=shared, autoescape=True
    )
    assert plain.get_template("page.html").render(greeting="Hi") == "Hi!\n  x"
    assert len(shared.codes) == 1
    trimmed = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        bytecode_cache=shared,
        autoescape=True,
        lstrip_blocks=True,
    )
    assert trimmed.get_template("page.html").render(greeting="Hi") == "Hi!\nx"
    assert len(shared.codes) == 2  # another shape of environment: its own code
    templates["page.html"] = "{{ greeting }}?"
    again = jinja2.Environment(
        loader=jinja2.DictLoader(templates), bytecode_cache=shared, autoescape=True
    )
    assert again.get_template("page.html").render(greeting="Hi") == "Hi?"  # the new source
