"""Keep the aggregates right: every flush that touches an evaluation refreshes its buckets.

Listening on the session, not in each service, means no write path (submit, edit, dispute,
delete, a command) can forget to update them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from itertools import chain
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..evaluations.models import Evaluation, EvaluationScore
from .aggregates import Bucket, rebuild, refresh

PENDING = "qa_result_buckets"
SUSPENDED = "qa_result_tracking_suspended"


@contextmanager
def suspended(session: Session) -> Iterator[None]:
    """Bulk work: skip the per-flush refresh, then rebuild every aggregate once at the end."""
    session.info[SUSPENDED] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop(SUSPENDED, None)
    rebuild(session.connection())


def bucket_of(evaluation: Evaluation) -> Bucket | None:
    """The aggregate row an evaluation counts in."""
    interaction, version = evaluation.interaction, evaluation.scorecard_version
    if interaction is None or version is None:
        return None
    day = interaction.occurred_at.astimezone(UTC).date()
    return Bucket(interaction.agent_id, day, interaction.channel.value, version.scorecard_id)


def _evaluation_of(obj: object) -> Evaluation | None:
    if isinstance(obj, Evaluation):
        return obj
    if isinstance(obj, EvaluationScore):
        return obj.evaluation
    return None


def init_tracking(app: Flask) -> None:
    """Install the session listeners that keep the aggregates current (once per process)."""
    for name, listener in (
        ("before_flush", _collect),
        ("after_flush_postexec", _apply),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(SUSPENDED):
        return
    pending: set[Bucket] = session.info.setdefault(PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        evaluation = _evaluation_of(obj)
        bucket = bucket_of(evaluation) if evaluation is not None else None
        if bucket is not None:
            pending.add(bucket)


def _apply(session: Session, _context: Any) -> None:
    buckets = session.info.pop(PENDING, set())
    if buckets:
        refresh(session.connection(), buckets)


def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
