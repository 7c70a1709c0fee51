"""/ui: the design system's components as the app draws them, for whoever changes a page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from ..scorecards.models import Status
from ..scoring.plans import PlanStatus

bp = Blueprint("styleguide", __name__)

# (custom property, swatch class in app.css): the colour roles a page may use.
COLOURS = (
    ("--color-text", "sw-text"),
    ("--color-text-muted", "sw-muted"),
    ("--color-page", "sw-page"),
    ("--color-surface", "sw-surface"),
    ("--color-subtle", "sw-subtle"),
    ("--color-border", "sw-border"),
    ("--color-primary", "sw-primary"),
    ("--color-primary-soft", "sw-primary-soft"),
    ("--color-success", "sw-success"),
    ("--color-warning", "sw-warning"),
    ("--color-danger", "sw-danger"),
    ("--color-focus", "sw-focus"),
)
SPACES = ("--space-1", "--space-2", "--space-3", "--space-4", "--space-5", "--space-6")
TYPE_SIZES = ("--text-xs", "--text-sm", "--text-md", "--text-lg", "--text-xl", "--text-2xl")
# One score in each band, from the top band down (docs/scoring.md).
BAND_SCORES = (95, 80, 65, 50, 20)


@bp.get("/ui")
@login_required
def components() -> str:
    return render_template(
        "styleguide/components.html",
        colours=COLOURS,
        spaces=SPACES,
        type_sizes=TYPE_SIZES,
        band_scores=BAND_SCORES,
        statuses=list(Status),
        plan_statuses=list(PlanStatus),
    )
