"""The rule playground: run a version's rules (a draft's too) on one interaction, storing nothing.

The interaction is a stored one the user may see, or one made from a pasted transcript
(docs/autoqa.md, "Rule playground"). Model rules ask the model server only when an admin has
switched it on, as scoring does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..accounts.models import User
from ..errors import UserError
from ..extensions import db
from ..interactions.models import Interaction
from ..interactions.queries import interactions_visible_to
from ..rules import (
    AutoScore,
    CriterionText,
    ModelAccess,
    ModelRule,
    Rule,
    auto_score,
    compile_rule,
    suggest_all,
)
from ..scorecards.automation import check_criterion_rule
from ..scorecards.display import translated_problems
from ..scorecards.models import Criterion, ScorecardVersion
from ..scorecards.services import criterion_specs
from .convert import to_engine
from .queries import ShownSuggestion, shown_suggestion
from .services import model_ask, stored_suggestion


class PlaygroundError(UserError):
    """The playground cannot run on what was given."""


def stored_interaction(reference: str, user: User) -> Interaction:
    """The interaction with this external id, or else this id, that the user may see."""
    reference = reference.strip()
    visible = interactions_visible_to(user)
    found = db.session.scalar(visible.where(Interaction.external_id == reference))
    if found is None and reference.isdigit() and len(reference) < 19:
        found = db.session.scalar(visible.where(Interaction.id == int(reference)))
    if found is None:
        raise PlaygroundError(_("No interaction has this id or external id."))
    return found


@dataclass(frozen=True)
class TrialRow:
    """One criterion in a trial: its rule's answer, or the rule's problems, or no rule at all."""

    criterion: Criterion
    problems: list[str] = field(default_factory=list)
    made: ShownSuggestion | None = None


@dataclass(frozen=True)
class Trial:
    """Every rule of a version run on one interaction; nothing of it is stored."""

    version: ScorecardVersion
    interaction: Interaction
    rows: list[TrialRow]
    score: AutoScore


def _usable_rules(version: ScorecardVersion) -> tuple[dict[str, Rule], dict[int, list[str]]]:
    """The version's rules that pass the import's checks, and the problems of the others."""
    rules: dict[str, Rule] = {}
    problems: dict[int, list[str]] = {}
    for criterion in version.ordered_criteria:
        if criterion.rule is None:
            continue
        checked, found = check_criterion_rule(criterion.rule, allow_na=criterion.allow_na)
        if found or checked is None:
            problems[criterion.id] = [f"{at}: {text}" for at, text in translated_problems(found)]
        else:
            rules[str(criterion.id)] = compile_rule(checked)
    return rules, problems


def _model_access(version: ScorecardVersion, rules: dict[str, Rule]) -> ModelAccess | None:
    """The model server for the version's model rules; None when it has none or it is off."""
    texts = {
        str(c.id): CriterionText(c.name, c.description, c.anchors, c.allow_na)
        for c in version.ordered_criteria
        if isinstance(rules.get(str(c.id)), ModelRule)
    }
    ask = model_ask() if texts else None
    return ModelAccess(ask, texts) if ask is not None else None


def try_rules(version: ScorecardVersion, interaction: Interaction) -> Trial:
    """Run every usable rule of the version (a draft too) on the interaction, storing nothing."""
    rules, problems = _usable_rules(version)
    model = _model_access(version, rules)
    suggestions = suggest_all(rules, to_engine(interaction), model=model)
    turns = interaction.transcript_turns
    shown = {
        int(k): shown_suggestion(stored_suggestion(int(k), s), turns)
        for k, s in suggestions.items()
    }
    rows = [TrialRow(c, problems.get(c.id, []), shown.get(c.id)) for c in version.ordered_criteria]
    score = auto_score(criterion_specs(version), suggestions)
    return Trial(version, interaction, rows, score)
