"""The admin page of escalation phrases (one list per language, one phrase per line), and
starting a signals run from a page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..extensions import db
from ..jobs.forms import start_from_form
from ..jobs.models import JobKind
from . import services
from .forms import RUN_STARTERS, PhraseListForm, signals_run_offer

bp = Blueprint("signals", __name__, url_prefix="/signals")
bp.add_app_template_global(signals_run_offer)


def _form(language: str, phrases: list[str]) -> PhraseListForm:
    form = PhraseListForm(formdata=None)
    form.language.data = language
    form.phrases.data = "\n".join(phrases)
    return form


@bp.route("/phrases", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def phrases() -> str | Response:
    posted = PhraseListForm()
    if posted.validate_on_submit():
        services.save_phrase_list(posted.language.data, posted.phrase_list(), current_user)
        db.session.commit()
        flash(_("Escalation phrases saved. Compute the signals again to apply them."), "info")
        return redirect(url_for("signals.phrases"))
    forms = {lang: _form(lang, found) for lang, found in services.phrase_lists().items()}
    adding = PhraseListForm(formdata=None)
    if posted.is_submitted():  # refused: show the typed text with its messages where it belongs
        if posted.language.data in forms and not posted.language.errors:
            forms[posted.language.data] = posted
        else:
            adding = posted
    return render_template(
        "signals/phrases.html", forms=forms, adding=adding, edited=services.edited_languages()
    )


@bp.post("/run")
@roles_required(*RUN_STARTERS)
def run() -> Response:
    """Start a signals run as a job and show its progress; never a second one at a time."""
    back = "signals.phrases" if current_user.role == Role.ADMIN else "sampling.hit_rate"
    busy = _("A signals run is already waiting or running: no second one is started.")
    return start_from_form(JobKind.SIGNALS_RUN, url_for(back), busy)
