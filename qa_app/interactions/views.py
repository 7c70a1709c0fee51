"""Interaction pages: the list, one interaction, the file import and the form."""

from __future__ import annotations

import os
from typing import IO

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from ..accounts.access import roles_required, teams_visible_to
from ..accounts.models import Role, User
from ..extensions import db
from ..jobs import files
from ..jobs import services as jobs
from ..jobs.models import JobKind
from ..jobs.tasks import enqueue
from ..ui.keyset import keyset_page
from . import queries, services
from .forms import COLUMN_HELP, FilterForm, ImportForm, InteractionForm
from .models import Interaction, InteractionSignal
from .validation import REQUIRED

bp = Blueprint("interactions", __name__, url_prefix="/interactions")
PER_PAGE = 50
IMPORTERS = (Role.ADMIN, Role.REVIEWER)


@bp.get("")
@roles_required(Role.ADMIN, Role.REVIEWER, Role.LEAD)
def index() -> str:
    form = FilterForm(formdata=request.args)
    form.set_choices(
        db.session.execute(queries.agent_names_visible_to(current_user)),
        db.session.scalars(teams_visible_to(current_user)),
    )
    stmt = queries.filter_interactions(
        queries.interactions_visible_to(current_user), **form.filters()
    )
    page = keyset_page(
        stmt.order_by(None).options(selectinload(Interaction.agent)),
        queries.LIST_PARTS,
        PER_PAGE,
        Interaction.id,
    )
    signals: dict[int, list[InteractionSignal]] = {}
    for found in db.session.scalars(queries.signals_of([i.id for i in page.items])):
        signals.setdefault(found.interaction_id, []).append(found)
    return render_template("interactions/index.html", form=form, page=page, signals=signals)


@bp.get("/<int:interaction_id>")
@login_required
def detail(interaction_id: int) -> str:
    stmt = queries.interactions_visible_to(current_user).where(Interaction.id == interaction_id)
    interaction = db.first_or_404(
        stmt.options(
            selectinload(Interaction.agent).selectinload(User.teams),
            selectinload(Interaction.import_batch),
        )
    )
    signals = db.session.scalars(queries.signals_of([interaction.id])).all()
    return render_template("interactions/detail.html", interaction=interaction, signals=signals)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def import_file() -> str | Response:
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        if _size(upload.stream) > current_app.config["IMPORT_JOB_THRESHOLD_BYTES"]:
            return _import_in_background(upload, form.file_format.data or None)
        report = services.import_interactions(
            upload.stream,
            source_name=upload.filename,
            created_by=current_user,
            file_format=form.file_format.data or None,
        )
        if report.ok:
            db.session.commit()
            services.after_import(report)
            flash(report.summary, "info")
            return redirect(url_for("interactions.index"))
        db.session.rollback()
    return render_template(
        "interactions/import.html",
        form=form,
        report=report,
        columns=COLUMN_HELP,
        required=REQUIRED,
    )


def _size(stream: IO[bytes]) -> int:
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    return size


def _import_in_background(upload: FileStorage, file_format: str | None) -> Response:
    """A large file: saved under instance/ and imported by the worker; its page shows progress."""
    params = {
        "upload": files.save_upload(upload.stream),
        "source_name": services.display_name(upload.filename),
        "file_format": file_format,
    }
    job = jobs.create_job(JobKind.INTERACTION_IMPORT, current_user, params)
    job_id, task_id = job.id, str(job.task_id)
    db.session.commit()
    enqueue(job_id, task_id)
    return redirect(url_for("jobs.detail", job_id=job_id))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*IMPORTERS)
def create() -> str | Response:
    form = InteractionForm()
    form.set_agents(db.session.scalars(queries.agents_visible_to(current_user)))
    if form.validate_on_submit():
        interaction_id, problems = services.add_interaction(form.row())
        if interaction_id is not None:
            db.session.commit()
            flash(_("Interaction saved."), "info")
            return redirect(url_for("interactions.detail", interaction_id=interaction_id))
        db.session.rollback()
        form.show(problems)
    return render_template("interactions/form.html", form=form)
