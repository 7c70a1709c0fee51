"""/api/v1/scorecards: the versions the user may read, one version, its YAML export."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response
from flask_smorest import Blueprint

from ...scorecards import services
from ...scorecards.access import can_manage, readable_version
from ...scorecards.models import ScorecardVersion, Status
from ...scorecards.schema import dump_scorecard_yaml
from . import schemas
from .routing import PageArgs, documents, page_schema, paged, protect

bp = Blueprint("api_scorecards", __name__, description="Scorecard versions and their criteria.")
protect(bp)


@bp.get("/scorecards")
@bp.doc(parameters=[{"in": "query", "schema": PageArgs}])
@bp.response(200, page_schema(schemas.ScorecardSummarySchema))
@documents(bp, 400)
def index() -> dict[str, Any]:
    """Every scorecard version the user may read (drafts only for reviewers and admins)."""
    stmt = sa.select(ScorecardVersion)
    if not can_manage():
        stmt = stmt.where(ScorecardVersion.status != Status.DRAFT)
    return paged(stmt, ScorecardVersion.id)


@bp.get("/scorecards/<int:version_id>")
@bp.response(200, schemas.ScorecardSchema)
@documents(bp, 404)
def get(version_id: int) -> ScorecardVersion:
    """One version with its criteria in order."""
    return readable_version(version_id)


@bp.get("/scorecards/<int:version_id>/yaml")
@bp.response(200, {"type": "string"}, content_type="application/yaml")
@documents(bp, 404)
def export(version_id: int) -> Response:
    """The version in the scorecard YAML format, as the page's export gives it."""
    version = readable_version(version_id)
    return Response(dump_scorecard_yaml(services.to_doc(version)), mimetype="application/yaml")
