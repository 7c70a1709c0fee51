"""/api/v1/evaluations and /api/v1/disputes: what the user may see of each, as on the pages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from ...disputes.access import STAFF, dispute_or_404
from ...disputes.models import Dispute, DisputeStatus
from ...evaluations.access import visible_evaluation_or_404, visible_evaluations
from ...evaluations.models import Evaluation, EvaluationStatus
from ...routing import MAX_ID
from . import schemas
from .routing import PageArgs, bad_request, documents, page_schema, paged, protect

bp = Blueprint("api_evaluations", __name__, description="Evaluations and their disputes.")
protect(bp)


def _choice(name: str, allowed: set[str]) -> str | None:
    value = request.args.get(name)
    if value is not None and value not in allowed:
        raise bad_request(name, _("This value is not valid."))
    return value


def _number(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not value.isdigit() or len(value) > 10 or int(value) > MAX_ID:
        raise bad_request(name, _("This value is not valid."))
    return int(value)


@bp.get("/evaluations")
@bp.doc(
    parameters=[
        {"in": "query", "schema": schemas.EvaluationFilterArgs},
        {"in": "query", "schema": PageArgs},
    ]
)
@bp.response(200, page_schema(schemas.EvaluationSummarySchema))
@documents(bp, 400)
def index() -> dict[str, Any]:
    """The evaluations the user may open (agents: their own submitted ones), newest first."""
    stmt = visible_evaluations(current_user).where(Evaluation.is_calibration.is_(False))
    if status := _choice("status", {s.value for s in EvaluationStatus}):
        stmt = stmt.where(Evaluation.status == status)
    if (agent_id := _number("agent")) is not None:
        stmt = stmt.where(Evaluation.agent_id == agent_id)
    if (version_id := _number("scorecard")) is not None:
        stmt = stmt.where(Evaluation.scorecard_version_id == version_id)
    return paged(stmt, Evaluation.id)


@bp.get("/evaluations/<int:evaluation_id>")
@bp.response(200, schemas.EvaluationSchema)
@documents(bp, 404)
def get(evaluation_id: int) -> Evaluation:
    """One evaluation with its scores; 404 when it is not the user's to see."""
    return visible_evaluation_or_404(evaluation_id)


def _staff() -> None:
    """Disputes are decided by staff; an agent reads their own on the evaluation's page."""
    if current_user.role not in STAFF:
        abort(403)


@bp.get("/disputes")
@bp.doc(
    parameters=[
        {"in": "query", "schema": schemas.DisputeFilterArgs},
        {"in": "query", "schema": PageArgs},
    ]
)
@bp.response(200, page_schema(schemas.DisputeSchema))
@documents(bp, 400, 403)
def disputes() -> dict[str, Any]:
    """Disputes of the evaluations the user may see (leads: their teams'), newest first."""
    _staff()
    visible = visible_evaluations(current_user).with_only_columns(Evaluation.id)
    stmt = sa.select(Dispute).where(Dispute.evaluation_id.in_(visible))
    if status := _choice("status", {s.value for s in DisputeStatus}):
        stmt = stmt.where(Dispute.status == status)
    return paged(stmt, Dispute.id)


@bp.get("/disputes/<int:dispute_id>")
@bp.response(200, schemas.DisputeSchema)
@documents(bp, 403, 404)
def dispute(dispute_id: int) -> Dispute:
    """One dispute, if its evaluation is the user's to see."""
    _staff()
    return dispute_or_404(dispute_id)
