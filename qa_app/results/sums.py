"""The counters every aggregate table of a kind carries (evaluations, criterion scores,
interactions), as mixins of the daily, rollup and team models."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


class EvaluationSums:
    evaluations: Mapped[int]
    scored: Mapped[int]
    score_sum: Mapped[float] = mapped_column(sa.Float)
    passed: Mapped[int]
    critical_fails: Mapped[int]
    band_excellent: Mapped[int]
    band_good: Mapped[int]
    band_satisfactory: Mapped[int]
    band_needs_improvement: Mapped[int]
    band_poor: Mapped[int]


class CriterionSums:
    scores: Mapped[int]
    value_sum: Mapped[int] = mapped_column(sa.BigInteger)


class InteractionSums:
    interactions: Mapped[int]
    csat_n: Mapped[int]
    csat_positive: Mapped[int]
    nps_n: Mapped[int]
    nps_promoters: Mapped[int]
    nps_detractors: Mapped[int]
    ces_n: Mapped[int]
    ces_sum: Mapped[int] = mapped_column(sa.BigInteger)
    fcr_known: Mapped[int]
    fcr_resolved: Mapped[int]
    aht_n: Mapped[int]
    aht_sum: Mapped[int] = mapped_column(sa.BigInteger)
