"""The trust page: how far the Auto QA rules can be trusted against the reviewers; and starting an
Auto QA run, which scores stored interactions again after the rules changed."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..autoqa.queries import period_of
from ..jobs.forms import start_from_form
from ..jobs.models import JobKind
from .forms import STARTERS, rescore_offer
from .queries import MIN_PAIRS, trust_report

bp = Blueprint("trust", __name__, url_prefix="/autoqa")
# The scorecard page offers the run too; it sits below this slice, so it asks through a global.
bp.add_app_template_global(rescore_offer)


@bp.get("/trust")
@roles_required(Role.ADMIN, Role.REVIEWER)
def trust() -> str:
    period = period_of(request.args)
    report = trust_report(period)
    return render_template("trust/trust.html", period=period, report=report, min_pairs=MIN_PAIRS)


@bp.post("/rescore")
@roles_required(*STARTERS)
def rescore() -> Response:
    """Start an Auto QA run as a job and show its progress; never a second one at a time."""
    busy = _("An Auto QA run is already waiting or running: no second one is started.")
    return start_from_form(JobKind.AUTOQA_RUN, url_for("trust.trust"), busy)
