"""Scorecard documents in YAML (schema version 1): parse and validate them, and dump them back.

Pure sub-package: no Flask, no database. Every problem in a document is reported at once, each with
a path such as ``sections[1].criteria[0].weight`` so the author can find it, and a message that the
page showing it translates (see ``SchemaProblem.text``).

The modules: ``documents`` (the dataclasses, defaults and limits), ``checks`` (one check per kind
of value), ``reading`` (YAML in), ``writing`` (YAML out) and ``shipped`` (the templates we ship).
The names below are the sub-package's public face.
"""

from __future__ import annotations

from .checks import CHANNELS, SCHEMA_VERSION, SchemaProblem
from .documents import (
    DEFAULT_PASS_MARK,
    DEFAULT_SCALE,
    DEFAULT_WEIGHT,
    DOCUMENT,
    MAX_CRITERIA,
    MAX_DOCUMENT_BYTES,
    MAX_RULE_CHARS,
    MAX_SECTIONS,
    RULE,
    CriterionDoc,
    ScorecardDoc,
    ScorecardSchemaError,
    SectionDoc,
)
from .reading import parse_rule_yaml, parse_scorecard_yaml, validate_scorecard_data
from .shipped import SHIPPED_DIR, list_shipped_templates, load_shipped_template, shipped_name
from .writing import dump_rule_yaml, dump_scorecard_yaml

__all__ = [
    "CHANNELS",
    "DEFAULT_PASS_MARK",
    "DEFAULT_SCALE",
    "DEFAULT_WEIGHT",
    "DOCUMENT",
    "MAX_CRITERIA",
    "MAX_DOCUMENT_BYTES",
    "MAX_RULE_CHARS",
    "MAX_SECTIONS",
    "RULE",
    "SCHEMA_VERSION",
    "SHIPPED_DIR",
    "CriterionDoc",
    "SchemaProblem",
    "ScorecardDoc",
    "ScorecardSchemaError",
    "SectionDoc",
    "dump_rule_yaml",
    "dump_scorecard_yaml",
    "list_shipped_templates",
    "load_shipped_template",
    "parse_rule_yaml",
    "parse_scorecard_yaml",
    "shipped_name",
    "validate_scorecard_data",
]
