"""The Auto QA rule engine: rules read an interaction and suggest a point, N/A, or cannot decide.

Pure package, like ``scoring/``: no Flask, no database; plain dataclasses in, plain values out.
It stands apart from ``scoring/`` because it needs libraries (simplemma for word forms,
pyahocorasick for the phrase search) that the scoring rules must not depend on; it uses
``scoring/`` for the auto score. docs/autoqa.md describes the rule kinds and their spec format.

Modules: ``interactions`` (the input), ``suggestions`` (the output), ``spec`` (reading specs,
running rules), one module per rule kind (``phrases``, ``timing``, ``measures``, ``model``),
``text`` (tokens and match keys), ``thresholds``, ``checks`` (spec problems) and ``autoscore``.
"""

from __future__ import annotations

from .autoscore import AutoScore, auto_score
from .checks import RuleProblem, RuleSpecError
from .interactions import Interaction, Metrics, Speaker, Turn
from .measures import MetricRule, ShapeRule
from .model import Ask, CriterionText, ModelAccess, ModelRule
from .phrases import PhraseRule
from .spec import Rule, check_rule, compile_rule, compile_rules, suggest, suggest_all
from .suggestions import Evidence, Measurement, Outcome, PhraseMatch, Reason, Suggestion
from .thresholds import Threshold, Thresholds
from .timing import ResponseTimeRule
from .transcript import Transcript

__all__ = [
    "Ask",
    "AutoScore",
    "CriterionText",
    "Evidence",
    "Interaction",
    "Measurement",
    "MetricRule",
    "Metrics",
    "ModelAccess",
    "ModelRule",
    "Outcome",
    "PhraseMatch",
    "PhraseRule",
    "Reason",
    "ResponseTimeRule",
    "Rule",
    "RuleProblem",
    "RuleSpecError",
    "ShapeRule",
    "Speaker",
    "Suggestion",
    "Threshold",
    "Thresholds",
    "Transcript",
    "Turn",
    "auto_score",
    "check_rule",
    "compile_rule",
    "compile_rules",
    "suggest",
    "suggest_all",
]
