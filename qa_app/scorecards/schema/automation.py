"""A criterion's Auto QA rule in a scorecard document: checked by the rule engine, kept as data."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

from ...rules import check_rule
from .checks import N_, Message, Problems, SchemaProblem


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
