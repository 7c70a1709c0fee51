"""The admin's helpdesk connection page: settings, and "Pull now"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.forms import ConfirmForm
from ..extensions import db
from ..jobs.services import active_job
from . import services
from .forms import ZendeskForm
from .jobs import KIND
from .tasks import start_pull

bp = Blueprint("connectors", __name__, url_prefix="/admin/connectors")


@bp.route("/zendesk", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def zendesk() -> str | Response:
    stored = services.connection()
    form = ZendeskForm()
    if request.method == "GET":
        form.fill(stored)
    if form.validate_on_submit():
        services.save_settings(form.settings(), current_user)
        db.session.commit()
        flash(_("Zendesk settings saved."), "info")
        return redirect(url_for("connectors.zendesk"))
    return render_template(
        "connectors/zendesk.html",
        form=form,
        stored=stored,
        token_state=services.token_state(stored),
        pull_form=ConfirmForm(),
        running=active_job(KIND),
    )


@bp.post("/zendesk/pull")
@roles_required(Role.ADMIN)
def pull() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    row = services.connection()
    if row.id is None:
        flash(_("Save the address, the email and the API token first."), "error")
        return redirect(url_for("connectors.zendesk"))
    job, new = start_pull(row, current_user.id)
    if not new:
        flash(_("A pull is already under way."), "info")
    return redirect(url_for("jobs.detail", job_id=job.id))
