"""Rule specs in, typed rules out: ``compile_rule`` reads one, ``compile_rules`` a scorecard's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .checks import N_, Problems, RuleProblem, join, mapping
from .interactions import Interaction
from .measures import MetricRule, ShapeRule, read_metric_rule, read_shape_rule
from .model import ModelAccess, ModelRule, read_model_rule
from .phrases import PhraseRule, read_phrase_rule
from .suggestions import Suggestion
from .timing import ResponseTimeRule, read_response_time_rule
from .transcript import Transcript

Rule = PhraseRule | ResponseTimeRule | MetricRule | ShapeRule | ModelRule
READERS: Final[dict[str, Callable[[Mapping[str, Any], str, Problems], Rule]]] = {
    "phrases": read_phrase_rule,
    "response_time": read_response_time_rule,
    "metric": read_metric_rule,
    "message_shape": read_shape_rule,
    "model": read_model_rule,
}


def _read(data: object, path: str, found: Problems) -> Rule | None:
    spec = mapping(data, path, found)
    kind = spec.get("kind")
    reader = READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        kinds = ", ".join(READERS)
        found.add(join(path, "kind"), N_("must be one of %(kinds)s"), kinds=kinds)
        return None
    return reader(spec, path, found)


def check_rule(data: object, path: str = "") -> tuple[Rule | None, list[RuleProblem]]:
    """The rule a spec describes (None if unusable) and every problem found in it."""
    found = Problems()
    rule = _read(data, path, found)
    return (None if found.items else rule), found.items


def compile_rule(data: object, path: str = "") -> Rule:
    """The rule a spec describes; RuleSpecError lists every problem if it has any."""
    found = Problems()
    rule = _read(data, path, found)
    found.raise_any()
    assert rule is not None  # no problem means the kind was read
    return rule


def compile_rules(specs: Mapping[str, object]) -> dict[str, Rule]:
    """The rules of a scorecard, keyed by criterion key; paths start with that key."""
    found = Problems()
    rules = {key: _read(spec, key, found) for key, spec in specs.items()}
    found.raise_any()
    return {key: rule for key, rule in rules.items() if rule is not None}


def suggest(rule: Rule, interaction: Interaction) -> Suggestion:
    """One rule's suggestion for one interaction."""
    return rule.suggest(Transcript(interaction))


def suggest_all(
    rules: Mapping[str, Rule], interaction: Interaction, *, model: ModelAccess | None = None
) -> dict[str, Suggestion]:
    """Every rule's suggestion for one interaction; the rules share the transcript's words.

    Model rules ask through ``model`` (keyed like ``rules``); without it they cannot decide.
    """
    transcript = Transcript(interaction)
    return {key: _suggest(key, rule, transcript, model) for key, rule in rules.items()}


def _suggest(key: str, rule: Rule, transcript: Transcript, model: ModelAccess | None) -> Suggestion:
    if isinstance(rule, ModelRule):
        if model is None:
            return rule.suggest(transcript)
        return rule.judge(transcript, model.criteria.get(key), model.ask)
    return rule.suggest(transcript)
