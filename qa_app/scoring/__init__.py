"""The pure scoring domain: the scale, evaluation scores, aggregates and customer metrics.

No Flask or SQLAlchemy here: plain values and frozen dataclasses in, plain values out.
"""

from .aggregates import (
    DEFAULT_PASS_MARK,
    MIN_SCORED_EVALUATIONS,
    aht,
    ces,
    criterion_average,
    csat_pct,
    fcr_pct,
    nps,
    pass_rate,
    quality_score,
    strengths_and_development_areas,
)
from .rules import (
    CRITICAL_PCT,
    CriterionSpec,
    EvaluationResult,
    Rating,
    ratings_map,
    score_evaluation,
)
from .scale import (
    BANDS,
    DEFAULT_LABELS,
    MAX_POINT,
    MIN_POINT,
    POINTS,
    Band,
    band,
    band_of,
    criterion_pct,
    reaches,
    round_score,
    validate_score,
)

__all__ = [
    "BANDS",
    "CRITICAL_PCT",
    "DEFAULT_LABELS",
    "DEFAULT_PASS_MARK",
    "MAX_POINT",
    "MIN_POINT",
    "MIN_SCORED_EVALUATIONS",
    "POINTS",
    "Band",
    "CriterionSpec",
    "EvaluationResult",
    "Rating",
    "aht",
    "band",
    "band_of",
    "ces",
    "criterion_average",
    "criterion_pct",
    "csat_pct",
    "fcr_pct",
    "nps",
    "pass_rate",
    "quality_score",
    "ratings_map",
    "reaches",
    "round_score",
    "score_evaluation",
    "strengths_and_development_areas",
    "validate_score",
]
