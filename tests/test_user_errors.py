"""Refusals the user reads: one base class, one way for a view to show them.

The AST check keeps views from growing their own "except ...Error: rollback, flash" blocks again;
they use `qa_app.errors.user_errors` (see docs/architecture.md, "Errors the user reads").
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, get_flashed_messages

from qa_app.accounts import services
from qa_app.accounts.models import Role, User
from qa_app.errors import UserError, user_errors
from qa_app.extensions import db
from tests.conftest import PASSWORD

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"


def _shows_message(node: ast.AST) -> bool:
    """A call to flash(...) or to <something>errors.append(...)."""
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id == "flash"
    if isinstance(func, ast.Attribute):
        owner = func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        return func.attr == "flash" or (func.attr == "append" and owner_name.endswith("errors"))
    return False


def hand_made_refusals(source: str) -> list[int]:
    """Lines of `except` blocks that show the exception to the user themselves."""
    found = []
    for handler in ast.walk(ast.parse(source)):
        if isinstance(handler, ast.ExceptHandler):
            inner = (node for statement in handler.body for node in ast.walk(statement))
            if any(_shows_message(node) for node in inner):
                found.append(handler.lineno)
    return found


def test_the_check_finds_a_hand_made_refusal() -> None:
    source = """
try:
    services.save_plan()
except services.PlanError as exc:
    db.session.rollback()
    flash(str(exc), "error")
try:
    services.save_team()
except (AccountError, KeyError) as exc:
    form.name.errors.append(str(exc))
try:
    services.save_team()
except AccountError as exc:
    form.form_errors.append(str(exc))
try:
    services.save()
except StaleDataError:
    db.session.rollback()
"""
    assert hand_made_refusals(source) == [4, 9, 13]


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("views.py")), ids=lambda path: str(path.relative_to(PACKAGE))
)
def test_views_show_refusals_only_through_user_errors(path: Path) -> None:
    lines = hand_made_refusals(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.name} lines {lines}: use `with user_errors(...)` instead"


class Refused(UserError):
    pass


class Conflict(UserError):
    status = 409


def _users() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def test_a_refusal_is_flashed_and_nothing_of_the_request_is_kept(app: Flask) -> None:
    with app.test_request_context():
        with user_errors() as refused:
            services.create_user("half@example.com", "Half Way", Role.AGENT, PASSWORD)
            raise Refused("Not like that.")
        assert refused
        assert get_flashed_messages(with_categories=True) == [("error", "Not like that.")]
        assert _users() == 0


def test_a_refusal_goes_on_the_form_when_given_its_errors(app: Flask) -> None:
    errors: list[str] = []
    with app.test_request_context():
        with user_errors(errors) as refused:
            raise Refused("Pick another name.")
        assert refused and errors == ["Pick another name."]
        assert get_flashed_messages() == []


def test_nothing_refused_leaves_the_block_as_it_was(app: Flask) -> None:
    with app.test_request_context(), user_errors() as refused:
        pass
    assert not refused and refused.error is None


def test_passing_refusals_and_other_errors_go_on(app: Flask) -> None:
    with app.test_request_context():
        with pytest.raises(Conflict), user_errors(passing=(Conflict,)):
            raise Conflict("Changed meanwhile.")
        with pytest.raises(KeyError), user_errors():
            raise KeyError("bug")
        assert get_flashed_messages() == []


def test_a_refusal_no_view_shows_becomes_an_error_page_with_its_status(app: Flask) -> None:
    def refuse() -> str:
        raise Conflict("This changed while you were looking.")

    app.add_url_rule("/refuse-for-test", view_func=refuse)
    response = app.test_client().get("/refuse-for-test")
    assert response.status_code == 409
    assert "This changed while you were looking." in response.get_data(as_text=True)
