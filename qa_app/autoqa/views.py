"""The rule playground: try a scorecard version's rules on a transcript, nothing stored."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..errors import user_errors
from . import playground as trials
from . import queries
from .forms import MAX_TRANSCRIPT_CHARS, PlaygroundForm

bp = Blueprint("autoqa", __name__, url_prefix="/autoqa")


@bp.route("/playground", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.REVIEWER)
def playground() -> str:
    form = PlaygroundForm(queries.versions_to_try())
    trial = None
    if request.method == "GET":
        form.preselect(request.args.get("version"))
    elif form.validate_on_submit():
        with user_errors(form.interaction.errors):
            sample = form.pasted() or trials.stored_interaction(form.interaction.data, current_user)
            trial = trials.try_rules(form.chosen_version, sample)
    return render_template(
        "autoqa/playground.html", form=form, trial=trial, max_chars=MAX_TRANSCRIPT_CHARS
    )
