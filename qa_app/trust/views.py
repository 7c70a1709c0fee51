"""The trust page: how far the Auto QA rules can be trusted against the reviewers."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..autoqa.queries import period_of
from .queries import MIN_PAIRS, trust_report

bp = Blueprint("trust", __name__, url_prefix="/autoqa")


@bp.get("/trust")
@roles_required(Role.ADMIN, Role.REVIEWER)
def trust() -> str:
    period = period_of(request.args)
    report = trust_report(period)
    return render_template("trust/trust.html", period=period, report=report, min_pairs=MIN_PAIRS)
