"""Scorecard pages: list, view, create, lifecycle, YAML import and export."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from ..accounts.access import roles_required
from ..admin.forms import ConfirmForm
from ..errors import user_errors
from ..extensions import db
from . import display, services
from .access import MANAGERS, can_manage, readable_version
from .forms import ImportForm, SettingsForm, settings_from
from .models import Scorecard, ScorecardVersion, Section
from .schema import (
    MAX_DOCUMENT_BYTES,
    ScorecardSchemaError,
    dump_scorecard_yaml,
    parse_scorecard_yaml,
)

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")


@bp.context_processor
def _display_helpers() -> dict[str, object]:
    return display.HELPERS


def _listed_versions(family: Scorecard) -> list[ScorecardVersion]:
    """The family's newest version in use (or archived) and, for those who manage scorecards,
    its draft beside it: a draft must not hide the version reviewers score with."""
    settled = [v for v in family.versions if not v.is_draft]
    drafts = [v for v in family.versions if v.is_draft] if can_manage() else []
    return settled[-1:] + drafts[-1:]


@bp.get("/")
@login_required
def index() -> str:
    stmt = sa.select(Scorecard).options(
        selectinload(Scorecard.versions)
        .selectinload(ScorecardVersion.sections)
        .selectinload(Section.criteria)
    )
    rows = []
    for family in db.session.scalars(stmt):
        rows += [(version, family) for version in _listed_versions(family)]
    rows.sort(key=lambda row: (row[0].name.casefold(), row[0].is_draft))
    return render_template("scorecards/index.html", rows=rows, can_manage=can_manage())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def create() -> str | Response:
    form = SettingsForm()
    if form.validate_on_submit():
        version = services.create_scorecard(current_user, settings_from(form))
        db.session.commit()
        flash(_("Scorecard created as a draft. Add its criteria, then publish it."), "info")
        return redirect(url_for("scorecard_editor.edit", version_id=version.id))
    return render_template("scorecards/settings.html", form=form, version=None)


@bp.get("/<int:version_id>")
@login_required
def view(version_id: int) -> str:
    version = readable_version(version_id)
    family = [v for v in version.scorecard.versions if can_manage() or not v.is_draft]
    return render_template(
        "scorecards/view.html",
        version=version,
        family=family,
        can_manage=can_manage(),
        confirm=ConfirmForm(),
        problems=services.publish_problems(version) if version.is_draft else [],
        total_weight=sum(c.weight for c in version.ordered_criteria),
    )


def _step(version: ScorecardVersion, action: str) -> tuple[ScorecardVersion, str]:
    """Take one lifecycle step; returns the version to show next and what to tell the user."""
    if action == "publish":
        services.publish(version)
        message = _(
            "Version %(version)s is published and can be used for evaluations.",
            version=version.version,
        )
        return version, message
    if action == "archive":
        services.archive(version)
        return version, _("Archived: it stays readable but cannot be used for new evaluations.")
    if action == "new-version":
        target = services.new_version(version, current_user)
        return target, _("Editing draft version %(version)s.", version=target.version)
    target = services.duplicate(version, current_user)
    return target, _("A copy was made as a new draft scorecard.")


def _lifecycle(version_id: int, action: str) -> Response:
    version = db.get_or_404(ScorecardVersion, version_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with user_errors():
        target, message = _step(version, action)
        db.session.commit()
        flash(message, "info")
        endpoint = "scorecard_editor.edit" if target.is_draft else "scorecards.view"
        return redirect(url_for(endpoint, version_id=target.id))
    return redirect(url_for("scorecards.view", version_id=version.id))


@bp.post("/<int:version_id>/publish")
@roles_required(*MANAGERS)
def publish(version_id: int) -> Response:
    return _lifecycle(version_id, "publish")


@bp.post("/<int:version_id>/archive")
@roles_required(*MANAGERS)
def archive(version_id: int) -> Response:
    return _lifecycle(version_id, "archive")


@bp.post("/<int:version_id>/new-version")
@roles_required(*MANAGERS)
def new_version(version_id: int) -> Response:
    return _lifecycle(version_id, "new-version")


@bp.post("/<int:version_id>/duplicate")
@roles_required(*MANAGERS)
def duplicate(version_id: int) -> Response:
    return _lifecycle(version_id, "duplicate")


@bp.post("/<int:version_id>/discard")
@roles_required(*MANAGERS)
def discard(version_id: int) -> Response:
    version = db.get_or_404(ScorecardVersion, version_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    family = services.discard_draft(version)
    db.session.commit()
    flash(_("The draft was deleted."), "info")
    if family is None:
        return redirect(url_for("scorecards.index"))
    return redirect(url_for("scorecards.view", version_id=family.versions[-1].id))


@bp.get("/<int:version_id>/export")
@login_required
def export(version_id: int) -> Response:
    version = readable_version(version_id)
    text = dump_scorecard_yaml(services.to_doc(version))
    filename = f"{version.slug}-v{version.version}.yaml"
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def import_yaml() -> str | Response:
    form = ImportForm()
    problems: list[tuple[str, str]] = []
    if form.validate_on_submit():
        try:
            doc = parse_scorecard_yaml(form.file.data.read(MAX_DOCUMENT_BYTES + 1))
        except ScorecardSchemaError as exc:
            problems = display.translated_problems(exc.errors)
        else:
            version = services.import_doc(doc, current_user)
            db.session.commit()
            message = _(
                "Imported “%(name)s” as a draft. Check it, then publish it.", name=version.name
            )
            flash(message, "info")
            return redirect(url_for("scorecards.view", version_id=version.id))
    return render_template("scorecards/import.html", form=form, problems=problems)
