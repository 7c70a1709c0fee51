"""Which writes become webhook deliveries: session listeners, so the slices below import nothing.

Before each flush the listener notes the rows that mean an event (a submission or a change in an
evaluation's history, a new or decided dispute, a new import batch). Just before the commit it
writes one delivery per subscribed endpoint, with the body as things stand then (an import's
counts are final by then), in the same transaction: a rolled-back write sends nothing. After the
commit the new deliveries go to the queue. Job ends (Auto QA runs) arrive through the jobs
slice's end hook instead, after the job's own commit. See docs/webhooks.md.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..disputes.models import Dispute, DisputeStatus
from ..evaluations.models import ChangeKind, Evaluation, EvaluationChange
from ..interactions.models import ImportBatch
from ..jobs.models import JobKind, JobState
from ..jobs.services import register_job_end
from . import payloads
from .models import WebhookEvent
from .services import TO_SEND, add_deliveries

SEEN = "qa_webhooks_seen"  # (event, row) noted before each flush
CHANGES = {ChangeKind.EDITED, ChangeKind.ADJUSTED}


def _event_of(obj: Any, is_new: bool) -> WebhookEvent | None:
    if isinstance(obj, EvaluationChange) and is_new:
        if obj.kind == ChangeKind.SUBMITTED:
            return WebhookEvent.EVALUATION_SUBMITTED
        return WebhookEvent.EVALUATION_CHANGED if obj.kind in CHANGES else None
    if isinstance(obj, Dispute):
        if is_new:
            return WebhookEvent.DISPUTE_OPENED
        history = inspect(obj).attrs["status"].history
        if DisputeStatus.OPEN in history.deleted and history.added:
            return WebhookEvent.DISPUTE_RESOLVED
    if isinstance(obj, ImportBatch) and is_new:
        return WebhookEvent.IMPORT_FINISHED
    return None


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    for obj in chain(session.new, session.dirty):
        what = _event_of(obj, obj in session.new)
        if what is not None:
            session.info.setdefault(SEEN, []).append((what, obj))


def _body(session: Session, what: WebhookEvent, obj: Any) -> tuple[str, dict[str, Any]] | None:
    """A key that makes one event of several rows (an edit logs a row per field), and the body."""
    if isinstance(obj, EvaluationChange):
        evaluation = session.get(Evaluation, obj.evaluation_id)
        if evaluation is None or evaluation.is_calibration:
            return None
        return f"{what}:{evaluation.id}", payloads.evaluation(evaluation)
    if isinstance(obj, Dispute):
        return f"{what}:{obj.id}", payloads.dispute(obj)
    if isinstance(obj, ImportBatch):
        return f"{what}:{obj.id}", payloads.import_batch(obj)
    return None


def _write(session: Session) -> None:
    """Before the commit: one delivery per event and subscribed endpoint, in this transaction."""
    if session.new or session.dirty:
        session.flush()  # the last changes are noted too, and every new row has its id
    if SEEN not in session.info:
        return
    seen: list[tuple[WebhookEvent, Any]] = session.info.pop(SEEN, [])
    bodies: dict[str, tuple[WebhookEvent, dict[str, Any]]] = {}
    for what, obj in seen:
        made = _body(session, what, obj)
        if made is not None:
            bodies.setdefault(made[0], (what, made[1]))
    for what, body in bodies.values():
        add_deliveries(session, what, body)
    session.info.pop(SEEN, None)  # the flush of the new deliveries noted nothing of interest


def _send(session: Session) -> None:
    if session.in_nested_transaction():
        return
    ids = session.info.pop(TO_SEND, [])
    task = current_app.extensions.get("webhooks.deliver") if ids else None
    for delivery_id in ids if task is not None else ():
        task(delivery_id)


def _forget(session: Session) -> None:
    session.info.pop(SEEN, None)
    session.info.pop(TO_SEND, None)


def _job_ended(session: Session, kind: JobKind, state: JobState, job_id: int, result: Any) -> None:
    """Auto QA runs that ended done: one event each, committed and queued at once."""
    if kind == JobKind.AUTOQA_RUN and state == JobState.DONE:
        add_deliveries(session, WebhookEvent.AUTOQA_FINISHED, payloads.job(job_id, kind, result))
        session.commit()


def init_events(app: Flask) -> None:
    """Install the session listeners once per process and the jobs slice's end hook."""
    del app
    for name, listener in (
        ("before_flush", _collect),
        ("before_commit", _write),
        ("after_commit", _send),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    register_job_end("webhooks", _job_ended)
