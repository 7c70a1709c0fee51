"""Writing a scorecard document back to YAML."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from .documents import CriterionDoc, ScorecardDoc


def dump_scorecard_yaml(doc: ScorecardDoc) -> str:
    """Serialise a scorecard to YAML text that ``parse_scorecard_yaml`` reads back unchanged."""
    return yaml.safe_dump(_scorecard_data(doc), allow_unicode=True, sort_keys=False)


def dump_rule_yaml(rule: Mapping[str, Any]) -> str:
    """A criterion's rule alone as YAML text, as ``parse_rule_yaml`` reads it back."""
    return yaml.safe_dump(dict(rule), allow_unicode=True, sort_keys=False)


def _scorecard_data(doc: ScorecardDoc) -> dict[str, object]:
    data: dict[str, object] = {
        "schema_version": doc.schema_version,
        "slug": doc.slug,
        "name": doc.name,
        "language": doc.language,
    }
    if doc.description:
        data["description"] = doc.description
    data["channels"] = list(doc.channels)
    data["pass_mark"] = doc.pass_mark
    data["scale"] = dict(sorted(doc.scale, reverse=True))
    data["sections"] = [
        {"name": s.name, "criteria": [_criterion_data(c) for c in s.criteria]} for s in doc.sections
    ]
    return data


def _criterion_data(criterion: CriterionDoc) -> dict[str, object]:
    data: dict[str, object] = {
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "allow_na": criterion.allow_na,
        "critical": criterion.critical,
        "anchors": dict(sorted(criterion.anchors)),
    }
    if criterion.coaching_tips:
        data["coaching_tips"] = criterion.coaching_tips
    if criterion.rule is not None:
        data["rule"] = copy.deepcopy(dict(criterion.rule))
    return data
