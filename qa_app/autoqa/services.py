"""Auto-scoring stored interactions: pick the scorecard, run its rules, store the suggestions.

Results go to ``auto_results`` / ``auto_suggestions`` only: evaluations and the results
aggregates are never touched. Scoring an interaction again on the same scorecard version
replaces its result. Services flush; the caller commits (docs/autoqa.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from ..admin.services import model_client
from ..bulk import ONE_TRANSACTION, Batches, DriverInsert, among, analyze, changes_much
from ..database import utcnow
from ..extensions import db
from ..interactions.models import Interaction
from ..rules import (
    Ask,
    CriterionText,
    ModelAccess,
    ModelRule,
    Rule,
    Suggestion,
    auto_score,
    check_rule,
    suggest_all,
)
from ..scorecards.models import ScorecardVersion, Status
from ..scorecards.services import criterion_specs
from ..scoring import CriterionSpec
from .convert import evidence_data, stored_rows, to_engine
from .models import AutoResult, AutoSuggestion

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
# A run this big, or a tenth of this and a tenth of the results, refreshes PostgreSQL's statistics.
ANALYZE_ROWS = 10_000
Progress = Callable[[int], object]


@dataclass
class Plan:
    """A published version ready to score with: its usable rules, keyed by criterion id."""

    version: ScorecardVersion
    rules: dict[str, Rule] = field(default_factory=dict)
    # The words a model rule sends about its criterion, by the same keys as ``rules``.
    texts: dict[str, CriterionText] = field(default_factory=dict)
    # The version's criteria as the scoring rules read them, built once per run.
    specs: list[CriterionSpec] = field(default_factory=list)
    # Read once per run, not per interaction (ordered_criteria builds its list on every read).
    version_id: int = 0
    criteria_total: int = 0

    @classmethod
    def of(cls, version: ScorecardVersion) -> Plan:
        criteria = version.ordered_criteria
        plan = cls(
            version,
            specs=criterion_specs(version),
            version_id=version.id,
            criteria_total=len(criteria),
        )
        for criterion in criteria:
            if criterion.rule is None:
                continue
            rule, problems = check_rule(criterion.rule, criterion.key)
            if rule is None:  # stored before a stricter engine: skipped, never guessed around
                logger.warning("Skipping the rule of criterion %s: %s", criterion.id, problems)
            else:
                plan.rules[str(criterion.id)] = rule
            if isinstance(rule, ModelRule):
                plan.texts[str(criterion.id)] = CriterionText(
                    criterion.name, criterion.description, criterion.anchors, criterion.allow_na
                )
        return plan


class Plans:
    """The plan for each channel: the latest published version that lists it (looked up once)."""

    def __init__(self) -> None:
        self.by_channel: dict[str, Plan | None] = {}
        self._ask: Ask | None = None
        self._asked = False
        stmt = (
            sa.select(ScorecardVersion)
            .where(ScorecardVersion.status == Status.PUBLISHED)
            .order_by(ScorecardVersion.published_at.desc(), ScorecardVersion.id.desc())
        )
        self.published = list(db.session.scalars(stmt))

    def ask_for(self, plan: Plan) -> Ask | None:
        """The model server, looked up once and only for a plan with model rules."""
        if plan.texts and not self._asked:
            self._ask, self._asked = model_ask(), True
        return self._ask if plan.texts else None

    def for_channel(self, channel: str) -> Plan | None:
        if channel not in self.by_channel:
            version = next((v for v in self.published if channel in v.channels), None)
            self.by_channel[channel] = Plan.of(version) if version is not None else None
        return self.by_channel[channel]

    def is_current(self, channel: str, version: ScorecardVersion) -> bool:
        plan = self.for_channel(channel)
        return plan is not None and plan.version.id == version.id


def model_ask() -> Ask | None:
    """The configured model server for this run, or None while it is off.

    A failure to set it up counts as a server that does not answer: model rules cannot decide,
    and the scoring (an import, too) goes on.
    """
    try:
        return model_client()
    except Exception:
        logger.exception("The model server could not be set up; model rules cannot decide.")
        return _unavailable


def _unavailable(_messages: object) -> str:
    raise ConnectionError("the model server could not be set up")


def word_form_languages() -> set[str]:
    """The languages whose word forms the published versions' phrase rules match."""
    found: set[str] = set()
    for version in Plans().published:
        for criterion in version.ordered_criteria:
            rule = criterion.rule or {}
            phrases = rule.get("phrases")
            if rule.get("kind") == "phrases" and rule.get("word_forms", True) and phrases:
                found.update(str(language) for language in phrases if isinstance(phrases, dict))
    return found


def published_for(channel: str) -> ScorecardVersion | None:
    """The scorecard version that scores this channel: the latest published that lists it."""
    plan = Plans().for_channel(channel)
    return plan.version if plan is not None else None


def scores_now(version: ScorecardVersion) -> bool:
    """True when the version's rules score some channel today: it is the plan of that channel."""
    if not any(criterion.rule for criterion in version.ordered_criteria):
        return False
    plans = Plans()
    return any(plans.is_current(channel, version) for channel in version.channels)


@dataclass(frozen=True)
class Scored:
    """One interaction's result and suggestions as rows, ready for a bulk insert."""

    result: dict[str, Any]
    suggestions: list[dict[str, Any]]


def _scored(plan: Plan, interaction: Interaction | sa.Row[Any], ask: Ask | None) -> Scored:
    engine = to_engine(interaction)
    if ask is None:  # no model rule, or the server is off: the plain call
        suggestions = suggest_all(plan.rules, engine)
    else:
        suggestions = suggest_all(plan.rules, engine, model=ModelAccess(ask, plan.texts))
    score = auto_score(plan.specs, suggestions)
    found = score.result
    result = {
        "interaction_id": interaction.id,
        "scorecard_version_id": plan.version_id,
        "score": None if found is None or found.score is None else Decimal(f"{found.score:.2f}"),
        "critical_fail": bool(found and found.critical_fail),
        "criteria_total": plan.criteria_total,
        "criteria_with_rule": len(plan.rules),
        "criteria_decided": len(score.decided),
    }
    rows = [_suggestion_row(int(key), made) for key, made in suggestions.items()]
    return Scored(result, rows)


def _suggestion_row(criterion_id: int, suggestion: Suggestion) -> dict[str, Any]:
    return {
        "criterion_id": criterion_id,
        "outcome": suggestion.outcome,
        "point": suggestion.point,
        "reason": str(suggestion.reason) if suggestion.reason is not None else None,
        "evidence": [evidence_data(item) for item in suggestion.evidence],
    }


def stored_suggestion(criterion_id: int, suggestion: Suggestion) -> AutoSuggestion:
    return AutoSuggestion(
        criterion_id=criterion_id,
        outcome=suggestion.outcome,
        point=suggestion.point,
        reason=str(suggestion.reason) if suggestion.reason is not None else None,
        evidence=[evidence_data(item) for item in suggestion.evidence],
    )


# A stored result and suggestion, in the order each batch sends them to the driver; the other
# columns are their ids. A result's `scored_at` is the batch's time, given here: the driver's
# insert applies no default.
RESULT_KEYS = (
    "interaction_id",
    "scorecard_version_id",
    "score",
    "critical_fail",
    "criteria_total",
    "criteria_with_rule",
    "criteria_decided",
    "scored_at",
)
SUGGESTION_KEYS = ("result_id", "criterion_id", "outcome", "point", "reason", "evidence")
_result_values = itemgetter(*RESULT_KEYS[:-1])
_suggestion_values = itemgetter(*SUGGESTION_KEYS[1:])


def _same_results(version_id: int, interaction_ids: list[int]) -> sa.ColumnElement[bool]:
    """The results of these interactions on this version, found by interaction.

    `+ 0` keeps the version's own index out of it: where the statistics call the version rare
    (a version published since they were gathered, or a table that had none), PostgreSQL read
    every result of the version through it and filtered, for every batch, so a run slowed as
    its results grew (docs/autoqa.md, "Storing").
    """
    return sa.and_(
        AutoResult.scorecard_version_id + 0 == version_id,
        among(AutoResult.interaction_id, interaction_ids),
    )


def _replace(scored: Sequence[Scored]) -> None:
    """Store new results, deleting the earlier ones of the same (interaction, version).

    Rows go in through the driver itself (`bulk.DriverInsert`: tuples, as COPY on
    PostgreSQL), not as ORM objects or an ORM bulk INSERT: at import sizes SQLAlchemy's work per
    row was most of the storing's time (docs/autoqa.md, "Storing").
    """
    by_version: dict[int, list[int]] = {}
    for item in scored:
        by_version.setdefault(item.result["scorecard_version_id"], []).append(
            item.result["interaction_id"]
        )
    for version_id, interaction_ids in by_version.items():
        # An ORM statement, sent for every batch whether or not it finds rows: the result pages'
        # change marks see it and stamp everyone (results/marks.py), which the driver's inserts
        # below would not.
        stale = sa.delete(AutoResult).where(_same_results(version_id, interaction_ids))
        db.session.execute(stale, execution_options={"synchronize_session": False})
    if not scored:
        return
    # The results, then their ids read back by (interaction, version), unique: an INSERT ...
    # RETURNING of a batch's results is one statement of about 4,000 bound values, which psycopg
    # parses anew every time (it keeps only short statements parsed), 50 ms a batch.
    connection = db.session.connection()
    results = DriverInsert(connection, AutoResult.__table__, RESULT_KEYS)
    now = utcnow()
    results.send([results.row((*_result_values(item.result), now)) for item in scored])
    ids: dict[int, int] = {}
    for version_id, interaction_ids in by_version.items():
        stored = sa.select(AutoResult.interaction_id, AutoResult.id).where(
            _same_results(version_id, interaction_ids)
        )
        ids.update(db.session.execute(stored).all())  # (interaction, id) rows
    suggestions = DriverInsert(connection, AutoSuggestion.__table__, SUGGESTION_KEYS)
    rows = [
        suggestions.row((ids[item.result["interaction_id"]], *_suggestion_values(row)))
        for item in scored
        for row in item.suggestions
    ]
    if rows:
        suggestions.send(rows)


def _score_loaded(interactions: Iterable[Interaction | sa.Row[Any]], plans: Plans) -> int:
    """Score and store these interactions; returns how many got a result."""
    scored = _scores(interactions, plans)
    _replace(scored)
    return len(scored)


def _scores(interactions: Iterable[Interaction | sa.Row[Any]], plans: Plans) -> list[Scored]:
    """These interactions scored, those of a channel a published scorecard's rules cover."""
    scored = []
    for interaction in interactions:
        plan = plans.for_channel(str(interaction.channel))
        if plan is not None and plan.rules:
            scored.append(_scored(plan, interaction, plans.ask_for(plan)))
    return scored


def score_interaction(interaction: Interaction) -> AutoResult | None:
    """Score one interaction; None when no published scorecard with rules covers its channel."""
    plans = Plans()
    plan = plans.for_channel(str(interaction.channel))
    if not _score_loaded([interaction], plans) or plan is None:
        return None
    stmt = sa.select(AutoResult).where(
        AutoResult.interaction_id == interaction.id,
        AutoResult.scorecard_version_id == plan.version.id,
    )
    return db.session.scalars(stmt.execution_options(populate_existing=True)).one()


def score_many(
    ids: Sequence[int], progress: Progress | None = None, batches: Batches = ONE_TRANSACTION
) -> int:
    """Score the interactions with these ids in batches; returns how many got a result.

    ``progress`` is called with the number of interactions done after each batch; ``batches``
    says how the batches use transactions (bulk.Batches).
    """
    plans, stored = Plans(), 0
    # On PostgreSQL a list of ids read from a table without statistics is planned as if it
    # picked every row: a big run gathers them after its first batch (its own rows counted),
    # which the planner then scales as the table grows. SQLite does not scale them and finds
    # these rows by its indexes alone: its statistics are left to the import's ANALYZE.
    new_statistics = db.session.get_bind().dialect.name == "postgresql" and changes_much(
        AutoResult.id, len(ids), ANALYZE_ROWS
    )
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = list(ids[start : start + BATCH_SIZE])
        with batches.read():
            scored = _scores(stored_rows(chunk), plans)
        _replace(scored)
        stored += len(scored)
        if new_statistics and start == 0:
            analyze([AutoResult.__table__])
        batches.stored()
        if progress is not None:
            progress(start + len(chunk))
    return stored


def score_import(batch_id: int, batches: Batches = ONE_TRANSACTION) -> int:
    """Score the interactions an import batch added (the interactions slice's import hook)."""
    stmt = sa.select(Interaction.id).where(Interaction.import_batch_id == batch_id)
    return score_many(list(db.session.scalars(stmt.order_by(Interaction.id))), batches=batches)
