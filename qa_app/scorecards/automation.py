"""A criterion's Auto QA rule: set only on a draft, like every other part of a version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from ..extensions import db
from .models import Criterion
from .schema import RULE, SchemaProblem
from .schema.automation import criterion_rule
from .schema.checks import Problems
from .services import ScorecardError, require_draft


def check_criterion_rule(
    spec: object, *, allow_na: bool
) -> tuple[Mapping[str, Any] | None, list[SchemaProblem]]:
    """The rule as it would be stored (a plain copy), or None, and every problem with its path.

    The same checks as the YAML import: the engine's, then N/A on a criterion without N/A.
    """
    problems = Problems()
    checked = criterion_rule(spec, RULE, problems, allow_na=allow_na)
    return checked, problems.items


def set_rule(criterion: Criterion, spec: Mapping[str, Any] | None) -> None:
    """Give a draft's criterion a rule (None removes it); a published version refuses (409).

    The spec is checked as the YAML import checks it; problems are listed with their paths.
    """
    require_draft(criterion.scorecard_version)
    if spec is not None:
        checked, problems = check_criterion_rule(spec, allow_na=criterion.allow_na)
        if problems:
            listed = "; ".join(f"{p.path}: {p.text.render(_)}" for p in problems)
            raise ScorecardError(_("The rule was refused: %(problems)s", problems=listed))
        spec = checked
    criterion.rule = dict(spec) if spec is not None else None
    db.session.flush()
