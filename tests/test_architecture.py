"""The layout holds: imports follow the directions in docs/architecture.md, routes stay home.

A small AST checker, no dependency: it reads every module of qa_app, resolves its imports (those
under ``if TYPE_CHECKING:`` only name types and do not count) and checks each against the rules.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qa_app.models import SLICES_WITH_MODELS

PACKAGE = Path(__file__).resolve().parent.parent / "qa_app"

# Pure parts: no web framework, no database, and only these parts of qa_app (their own included).
PURE = {
    "scoring": {"scoring"},
    "xlsx": {"xlsx", "scoring"},
    "rules": {"rules", "scoring"},
    "scorecards.schema": {"scorecards.schema", "rules", "scoring"},  # criteria carry rules
    "signal_rules": {"signal_rules", "rules"},  # escalation phrases: the Auto QA matcher
    "interactions.helpdesk": {"interactions.helpdesk"},  # helpdesk exports as import rows
}
FRAMEWORKS = re.compile(r"(flask\w*|sqlalchemy|werkzeug|wtforms|jinja2|alembic)$")
# Shared plumbing every slice may use; it may use itself, the pure parts, and accounts (roles).
INFRASTRUCTURE = {"extensions", "database", "bulk", "i18n", "errors", "security", "ui"}
INFRASTRUCTURE |= {"routing", "moments", "textinput"}  # bounded ids, dates, form text
INFRASTRUCTURE |= {"logs"}  # one log line per request
INFRASTRUCTURE |= {"sealed"}  # secrets the app reads back, encrypted under SECRET_KEY
# The one label table turns every slice's stored codes into words: it reads their enums from the
# slices' models modules (a slice's lowest layer) and nothing else of them.
LABEL_TABLE = "qa_app.ui.labels"
# Puts the app together: may import anything, and nothing imports it ("" is qa_app/__init__.py).
ASSEMBLY = {"", "cli", "models", "demo"}
TOOLS = {"catalogues"}  # developer tools: the running app never imports them
# Feature slices, lowest first: a slice may import the slices before it, never those after it.
SLICES = (
    "audit",  # append-only audit events: every slice may record one
    "accounts",
    "ops",
    "jobs",
    "admin",
    "sso",  # single sign-on: keeps its client secret with the model server key's helper
    "scorecards",
    "scorecard_editor",
    "rootcauses",  # the reasons for low scores: evaluations offer them, results count them
    "interactions",
    "autoqa",  # reads interactions and scorecards; the import reaches it through a hook
    "evaluations",
    "self_reviews",  # an agent scores their own interaction; hides evaluations through a hook
    "disputes",
    "reviews",  # a senior reviewer's review of an evaluation; reviewer quality
    "signals",  # reads auto results, evaluations and disputes; the import reaches it by a hook
    "trust",  # sets the Auto QA suggestions against the reviewers' scores
    "results",
    "calibration",
    "plans",
    "sampling",
    "reports",
    "privacy",  # the audit page, retention, erasure, a person's data: reads most slices below
    "notifications",  # session listeners on the writes of the slices below: no import upward
    "webhooks",  # session listeners and a job-end hook, like notifications
    "connectors",  # helpdesk pulls: feeds the interactions import, runs as jobs
    "main",
    "api",  # the JSON API and its tokens: reads through the slices' own queries and services
    "backups",
    "styleguide",
)
# Upward imports that exist today and are to be untangled; a new one fails the test.
KNOWN_BACK_EDGES = {
    ("evaluations", "calibration"),  # calibration scores hide and freeze evaluations
    ("interactions", "results"),  # an import's bulk insert counts its rows into the aggregates
}
ROUTE_METHODS = {"route", "get", "post", "put", "patch", "delete", "add_url_rule"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Iterator[tuple[str, str, bool]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path.read_text(encoding="utf-8"), path.name == "__init__.py"


def part_of(module: str) -> str:
    """The part a qa_app module belongs to: a slice, a pure part, infrastructure..."""
    inner = module.split(".")[1:]
    if len(inner) >= 2 and ".".join(inner[:2]) in PURE:
        return ".".join(inner[:2])
    return inner[0] if inner else ""


def slice_of(part: str) -> str:
    return part.split(".")[0]


def _type_only(tree: ast.AST) -> set[int]:
    """Ids of the nodes under ``if TYPE_CHECKING:``."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(inner) for inner in ast.walk(child))
    return skipped


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if not node.level:
        return [node.module or ""]
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    if node.module:
        return [".".join([*base, node.module])]
    return [_submodule_or_package(base, alias.name) for alias in node.names]


def _submodule_or_package(base: list[str], name: str) -> str:
    """``from . import x``: the module x if there is one, else the package (x is a name in it)."""
    path = PACKAGE.parent.joinpath(*base, name)
    is_module = path.with_suffix(".py").exists() or path.is_dir()
    return ".".join([*base, name] if is_module else base)


def imports_of(module: str, source: str, is_package: bool = False) -> list[str]:
    """Every module this source imports, as absolute names (type-only imports left out)."""
    tree = ast.parse(source)
    skipped = _type_only(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.extend(_resolve(module, is_package, node))
    return found


def allowed(source: str, target: str) -> bool:
    """May the part ``source`` import the part ``target``?"""
    if source == target:
        return True
    if source in PURE:
        return target in PURE[source]
    if target in TOOLS or target in ASSEMBLY:
        return source in ASSEMBLY
    if source in ASSEMBLY or target in PURE:
        return True
    if source in INFRASTRUCTURE:
        return target in INFRASTRUCTURE or target == "accounts"
    if slice_of(source) in SLICES:
        if target in INFRASTRUCTURE or slice_of(target) == slice_of(source):
            return True
        if target not in SLICES:
            return False
        below = SLICES.index(target) < SLICES.index(slice_of(source))
        return below or (source, target) in KNOWN_BACK_EDGES
    return False


def import_problems(module: str, source: str, is_package: bool = False) -> list[str]:
    """The imports of one module that go against the directions."""
    here = part_of(module)
    problems = []
    for name in imports_of(module, source, is_package):
        if name == "qa_app" or name.startswith("qa_app."):
            there = part_of(name)
            if module == LABEL_TABLE and name.endswith(".models") and part_of(name) in SLICES:
                continue
            if not allowed(here, there):
                direction = f"{here or 'qa_app'} -> {there or 'qa_app'}"
                problems.append(f"{module} imports {name} ({direction})")
        elif here in PURE and FRAMEWORKS.match(name.split(".")[0]):
            problems.append(f"{module} is pure but imports {name}")
    return problems


def _blueprint_homes(module: str, tree: ast.Module, is_package: bool) -> dict[str, str]:
    """Names bound to a blueprint here (to this module) or imported from qa_app (to its module)."""
    homes: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if ast.unparse(node.value.func).endswith("Blueprint"):
                homes.update({ast.unparse(t): module for t in node.targets})
        elif isinstance(node, ast.ImportFrom):
            origin = _resolve(module, is_package, node)[0]
            if origin.startswith("qa_app"):
                homes.update({alias.asname or alias.name: origin for alias in node.names})
    return homes


def _route_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """Route decorators (``@x.get(...)``) and ``x.add_url_rule(...)`` calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from (d for d in node.decorator_list if isinstance(d, ast.Call))
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".add_url_rule"):
            yield node


def route_problems(module: str, source: str, is_package: bool = False) -> list[str]:
    """Routes added to anything but a blueprint of this module's own slice."""
    tree = ast.parse(source)
    homes = _blueprint_homes(module, tree, is_package)
    problems = []
    for call in _route_calls(tree):
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in ROUTE_METHODS:
            continue
        owner = ast.unparse(func.value)
        home = homes.get(owner)
        if home is None or slice_of(part_of(home)) != slice_of(part_of(module)):
            problems.append(f"{module}:{call.lineno} adds a route to {owner} of {home}")
    return problems


def test_every_module_belongs_to_a_known_part() -> None:
    known = set(PURE) | INFRASTRUCTURE | ASSEMBLY | TOOLS | set(SLICES)
    unknown = {m for m, _, _ in modules() if part_of(m) not in known}
    assert unknown == set()


def test_imports_follow_the_directions() -> None:
    problems = [p for m, source, pkg in modules() for p in import_problems(m, source, pkg)]
    assert problems == []


def test_every_known_back_edge_still_exists() -> None:
    """Once an upward import is gone, its exception goes too."""
    edges = {
        (slice_of(part_of(m)), slice_of(part_of(name)))
        for m, source, pkg in modules()
        for name in imports_of(m, source, pkg)
        if name.startswith("qa_app.")
    }
    assert edges >= KNOWN_BACK_EDGES


def test_routes_are_added_only_to_a_blueprint_of_their_own_slice() -> None:
    problems = [p for m, source, pkg in modules() for p in route_problems(m, source, pkg)]
    assert problems == []


def test_every_endpoint_is_served_by_the_slice_of_its_blueprint(app: Flask) -> None:
    strays = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        blueprint = app.blueprints[rule.endpoint.split(".")[0]]
        view = app.view_functions[rule.endpoint]
        if part_of(view.__module__) != part_of(blueprint.import_name):
            strays.append(f"{rule.rule}: {view.__module__} on {blueprint.import_name}")
    assert strays == []


def test_nothing_is_imported_for_its_side_effects() -> None:
    assert [m for m, source, _ in modules() if "noqa: F401" in source] == []


def test_every_slice_with_models_is_imported_by_import_models() -> None:
    owners = {path.parent.name for path in PACKAGE.glob("*/models.py")}
    assert owners == set(SLICES_WITH_MODELS)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("qa_app.scoring.rules", "import flask", "is pure but imports flask"),
        ("qa_app.xlsx.writer", "from sqlalchemy import select", "is pure but imports sqlalchemy"),
        ("qa_app.xlsx.writer", "from ..results import queries", "(xlsx -> results)"),
        ("qa_app.scorecards.schema.reading", "from ..models import X", "-> scorecards)"),
        ("qa_app.accounts.views", "from ..reports.views import bp", "(accounts -> reports)"),
        ("qa_app.evaluations.views", "from ..disputes import services", "-> disputes)"),
        ("qa_app.ui.navigation", "from ..sampling.models import Run", "(ui -> sampling)"),
        ("qa_app.results.views", "from .. import create_app", "(results -> qa_app)"),
        ("qa_app.plans.views", "from qa_app.catalogues import read", "(plans -> catalogues)"),
    ],
)
def test_the_checker_catches_an_import_against_the_directions(
    module: str, source: str, expected: str
) -> None:
    problems = import_problems(module, source)
    assert len(problems) == 1 and expected in problems[0]


def test_the_checker_lets_allowed_and_type_only_imports_pass() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ..accounts.models import User\n"
        "from ..scorecards.schema import parse_scorecard_yaml\n"
        "from ..ui import filters\n"
        "if TYPE_CHECKING:\n"
        "    from ..disputes.models import Dispute\n"
    )
    assert import_problems("qa_app.evaluations.models", source) == []
    assert import_problems("qa_app.xlsx.cells", "from ..scoring import band_of") == []


def test_the_checker_catches_a_route_on_another_slices_blueprint() -> None:
    source = (
        "from flask import Blueprint\n"
        "from ..evaluations.views import bp\n"
        "own = Blueprint('disputes', __name__)\n"
        "@own.get('/fine')\n"
        "def fine(): ...\n"
        "@bp.route('/disputes')\n"
        "def queue(): ...\n"
        "@app.post('/loose')\n"
        "def loose(): ...\n"
    )
    assert route_problems("qa_app.disputes.views", source) == [
        "qa_app.disputes.views:6 adds a route to bp of qa_app.evaluations.views",
        "qa_app.disputes.views:8 adds a route to app of None",
    ]
