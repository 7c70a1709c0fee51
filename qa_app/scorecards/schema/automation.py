"""A criterion's Auto QA rule in a scorecard document: checked by the rule engine, kept as data."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from ...rules import check_rule
from .checks import N_, Message, Problems, SchemaProblem

# The rule engine's problem templates, marked here for the catalogue so that pages can show them
# translated: the engine itself stays free of it. tests/scorecards/test_rule_editor.py fails
# when the engine gains a template that is not listed.
ENGINE_MESSAGES = (
    N_("is required"),
    N_("is required (a point, or n/a)"),
    N_("must be a mapping"),
    N_("must be a non-empty list"),
    N_("must be a non-empty list of phrases"),
    N_("must be a number, got %(value)r"),
    N_("must be a phrase with at least one word"),
    N_("must be a point from 1 to 5 or n/a, got %(value)r"),
    N_("must be a whole number of at least %(minimum)s"),
    N_("must be at least %(minimum)s"),
    N_("must be at least 1 with within: first or last"),
    N_("must be one of %(kinds)s"),
    N_("must be one of %(options)s"),
    N_("must be true or false"),
    N_("needs exactly one of at_most and at_least"),
    N_("needs phrases for at least one language"),
    N_("needs thresholds for at least one channel"),
    N_("unknown field %(name)s"),
    N_("word forms are not known for language %(code)s"),
)


def criterion_rule(
    value: object, path: str, problems: Problems, *, allow_na: bool
) -> Mapping[str, Any] | None:
    """The rule spec under ``rule:`` (a plain copy), or None with its problems recorded.

    Each problem of the engine keeps the full path (``sections[0].criteria[1].rule.kind``). A
    rule that can answer N/A is refused on a criterion that does not allow N/A.
    """
    rule, found = check_rule(value, path)
    # The engine's messages are English templates with their values, like ours: the page
    # translates them where the catalogue has them.
    problems.items += [SchemaProblem(p.path, Message(p.template, p.values)) for p in found]
    if rule is None or found:
        return None
    if None in rule.points and not allow_na:
        message = N_("this rule can answer N/A, so the criterion must allow N/A (allow_na: true)")
        problems.add(path, message)
        return None
    if not _json_safe(value):
        problems.add(path, N_("must hold only text, numbers, true/false, lists and mappings"))
        return None
    assert isinstance(value, Mapping)  # check_rule accepted it
    return copy.deepcopy(dict(value))


def _json_safe(value: object) -> bool:
    """True when the spec can be stored as JSON and read back the same."""
    try:
        return bool(json.loads(json.dumps(value)) == value)
    except (TypeError, ValueError):
        return False
