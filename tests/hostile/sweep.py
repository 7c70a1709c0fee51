"""The sweep: every route, method and path argument, query argument and form field, hostile."""

from __future__ import annotations

import inspect
import io
import logging
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from qa_app.interactions.validation import COLUMNS

from . import values
from .pages import Form, malformed, read_forms

PASSWORD = "Correct-Horse-Battery-42"
# Query arguments the views read (request.args, filters, Flask-SQLAlchemy's paginate).
QUERY_ARGS = (
    "agent", "team", "channel", "date_from", "date_to", "evaluated", "period", "from", "to",
    "scorecard", "sheets", "next", "interaction", "calibration", "status", "mine", "section",
    "page", "per_page", "version", "band", "spotlight", "focus", "after", "before",
)  # fmt: skip
# Routes that end the sign-in or spoil the world for later routes go last.
LAST = ("/delete", "/discard", "/deactivate", "/archive", "/close", "/account/password", "/logout")
# The admin settings may turn on required two-factor sign-in, which sends the admin to set it up.
LAST += ("/admin/settings",)
APP_ROOT = str(Path(__file__).resolve().parents[2] / "qa_app")


@dataclass(frozen=True)
class Finding:
    method: str
    rule: str
    role: str
    cause: str
    example: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.method, self.rule, self.cause)


class _Catcher(logging.Handler):
    """Keeps the last exception the app logged, to name the cause of a 500."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.error: BaseException | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.error = record.exc_info[1]


def _cause(error: BaseException | None) -> str:
    if error is None:
        return "500 without a logged exception"
    frames = [
        f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(APP_ROOT)
    ]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else "library"
    return f"{type(error).__name__} in {where}"


def _order(group: tuple[str, str]) -> tuple[int, int, str]:
    method, rule = group
    last = next((i for i, end in enumerate(LAST) if rule.endswith(end)), -1)
    return (method != "GET", last, rule)


@dataclass
class Sweep:
    app: Flask
    params: dict[str, object]
    role: str
    email: str | None
    examples: int
    findings: list[Finding] = field(default_factory=list)
    forms: dict[tuple[str, str], list[Form]] = field(default_factory=dict)

    def run(self) -> list[Finding]:
        catcher = _Catcher()
        self.app.logger.addHandler(catcher)
        try:
            self.catcher = catcher
            groups = sorted(_routes(self.app), key=_order)
            self._learn_forms([g for g in groups if g[0] == "GET"])
            for method, rule in groups:
                self._sweep_group(method, rule)
        finally:
            self.app.logger.removeHandler(catcher)
        return self.findings

    def _client(self) -> Any:
        """A client signed in as the role, with a CSRF token of its session (`csrf`). The last
        one is kept while its session still holds the user and the token's secret: signing in
        again for every route cost a quarter of the sweep's requests."""
        kept = getattr(self, "kept", None)
        if kept is not None and _session(kept) == kept.signed_in:
            return kept
        client = self.app.test_client()
        if self.email is not None:
            response = client.sign_in(self.email, PASSWORD)
            assert response.status_code == 302, f"{self.role} cannot sign in"
            # The JSON API takes a bearer token, not the cookie; the pages ignore the header.
            client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {self._api_token()}"
        client.csrf = client.token("/" if self.email else "/login")
        client.signed_in = _session(client)
        self.kept = client
        return client

    def _api_token(self) -> str:
        """A read+write API token of the user, made once per sweep."""
        if not hasattr(self, "token_value"):
            import sqlalchemy as sa

            from qa_app.accounts.models import User
            from qa_app.api.services import create_token
            from qa_app.extensions import db

            with self.app.app_context():
                user = db.session.scalars(sa.select(User).where(User.email == self.email)).one()
                _token, self.token_value = create_token(
                    user, "sweep", can_write=True, expires_at=None
                )
                db.session.commit()
        return str(self.token_value)

    def _learn_forms(self, gets: list[tuple[str, str]]) -> None:
        client = self._client()
        for _method, rule in gets:
            url = fill(rule, self.params)
            response = client.get(url)
            self._check(client, "GET", rule, url, response, "the plain page")
            if response.mimetype == "text/html":
                for form in read_forms(url, response.get_data(as_text=True)):
                    self.forms.setdefault((form.method, form.action), []).append(form)

    def _fields(self, method: str, rule: str, url: str) -> tuple[dict[str, list[str]], set[str]]:
        base: dict[str, list[str]] = {}
        files: set[str] = set()
        for form in self.forms.get((method, url), []):
            for name, current in form.values.items():
                base.setdefault(name, current)
            files |= form.files
        for name in wtforms_fields(self.app, rule, method):
            base.setdefault(name, [])
        if method == "GET":
            for name in QUERY_ARGS:
                base.setdefault(name, [])
            base = {name: [] for name in base}  # a GET starts from no arguments at all
        for name in base:
            if "password" in name:
                base[name] = [PASSWORD]
        base.pop("csrf_token", None)
        return base, files

    def _sweep_group(self, method: str, rule: str) -> None:
        client = self._client()
        url = fill(rule, self.params)
        base, files = self._fields(method, rule, url)
        token = client.csrf if method != "GET" else ""
        path_args = [name for name in self.params if f"{name}>" in rule]
        cases = case_strategy(path_args, sorted(set(base) | files), files)

        @settings(
            max_examples=self.examples,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(cases)
        def probe(case: tuple[str, str, Any]) -> None:
            self._send(client, method, rule, url, base, token, case)

        for name in sorted(files):  # files too rare to be drawn: sent to every upload, always
            for content in values.EXPLICIT_FILES:
                probe = example(("file", name, content))(probe)
        probe()

    def _send(self, client: Any, method: str, rule: str, url: str, base: dict[str, list[str]],
              token: str, case: tuple[str, str, Any]) -> None:  # fmt: skip
        kind, name, value = case
        data: dict[str, Any] = {key: list(current) for key, current in base.items()}
        if kind == "path":
            url = fill(rule, {**self.params, name: value})
        elif kind == "file":
            data[name] = [(io.BytesIO(value), "upload.csv")]
        elif kind == "all":
            data = {key: [value] for key in data}
        else:
            data[name] = value if kind == "repeat" else [value]
        data = {key: current for key, current in data.items() if current}
        self.catcher.error = None
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            data["csrf_token"] = token
            response = client.open(url, method=method, data=data)
        self._check(client, method, rule, url, response, f"{kind} {name}={value!r:.80}")

    def _check(self, client: Any, method: str, rule: str, url: str, response: Any,
               example: str) -> None:  # fmt: skip
        body = response.get_data()
        response.close()
        cause = ""
        if response.status_code >= 500:
            cause = f"{response.status_code} {_cause(self.catcher.error)}"
        elif not 300 <= response.status_code < 400:  # a redirect's body is not a page
            cause = malformed(response.content_type or "", body) or ""
            cause = f"malformed {cause}" if cause else ""
        if cause:
            self.findings.append(Finding(method, rule, self.role, cause, f"{url} {example}"))


def _session(client: Any) -> tuple[object, object]:
    """Who the client's session signs in, and the secret its CSRF tokens are made from."""
    with client.session_transaction() as session:
        return session.get("_user_id"), session.get("csrf_token")


def fill(rule: str, params: dict[str, object]) -> str:
    """The URL of a rule with the world's values; a rule with an unknown argument fails."""
    for name, value in params.items():
        for converter in ("int:", "path:", ""):
            rule = rule.replace(f"<{converter}{name}>", str(value))
    assert "<" not in rule, f"the sweep's world has no value for an argument of {rule}"
    return rule


def _routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def case_strategy(
    path_args: list[str], names: list[str], files: set[str]
) -> st.SearchStrategy[tuple[str, str, Any]]:
    """One hostile change to a request: a path argument, a field, a repeated field, or all."""
    options: list[st.SearchStrategy[tuple[str, str, Any]]] = []
    for arg in path_args:
        hostile = values.path_texts if arg == "filename" else values.path_integers
        options.append(st.tuples(st.just("path"), st.just(arg), hostile))
    texts = [name for name in names if name not in files]
    if texts:
        options.append(st.tuples(st.just("field"), st.sampled_from(texts), values.hostile_text))
        options.append(
            st.tuples(st.just("repeat"), st.sampled_from(texts), st.lists(values.hostile_text,
                      min_size=2, max_size=3))
        )  # fmt: skip
        options.append(st.tuples(st.just("all"), st.just("*"), values.hostile_text))
    for name in sorted(files):
        options.append(st.tuples(st.just("file"), st.just(name), values.upload_bytes(COLUMNS)))
    if not options:
        options.append(st.tuples(st.just("none"), st.just(""), st.just("")))
    return st.one_of(options)


def wtforms_fields(app: Flask, rule: str, method: str) -> set[str]:
    """Field names of the WTForms forms the route's view (or a helper it calls) refers to."""
    endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule)
    view = inspect.unwrap(app.view_functions[endpoint])
    names: set[str] = set()
    with app.test_request_context(method=method):
        for form_class in _form_classes(view, depth=2):
            try:
                form = form_class(meta={"csrf": False})
            except Exception:  # noqa: BLE001, S112 (a form that needs arguments is read from its page)
                continue
            names |= {field.name for field in form}
    return names


def _form_classes(function: Any, depth: int) -> set[type[FlaskForm]]:
    found: set[type[FlaskForm]] = set()
    code = getattr(function, "__code__", None)
    if code is None:
        return found
    for name in code.co_names:
        target = function.__globals__.get(name)
        if inspect.isclass(target) and issubclass(target, FlaskForm):
            found.add(target)
        elif depth and inspect.isfunction(target) and target.__module__.startswith("qa_app"):
            found |= _form_classes(target, depth - 1)
    return found
