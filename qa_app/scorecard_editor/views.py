"""The draft editor: settings, sections and criteria."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from ..accounts.access import roles_required
from ..admin.forms import ConfirmForm
from ..errors import user_errors
from ..extensions import db
from ..scorecards import display
from ..scorecards import services as scorecards
from ..scorecards.access import MANAGERS
from ..scorecards.forms import SettingsForm, settings_from
from ..scorecards.models import Criterion, ScorecardVersion
from ..scorecards.schema import dump_rule_yaml
from . import services as editing
from .access import criterion_of, draft_or_404, section_of
from .forms import CriterionForm, MoveForm, SectionForm

bp = Blueprint("scorecard_editor", __name__, url_prefix="/scorecards")


@bp.context_processor
def _display_helpers() -> dict[str, object]:
    return display.HELPERS


# A frozen version is answered with the 409 page, whatever the change was.
FROZEN = (scorecards.ScorecardFrozen,)


def _back(version: ScorecardVersion) -> Response:
    return redirect(url_for("scorecard_editor.edit", version_id=version.id))


def _render_editor(version: ScorecardVersion, form: SettingsForm, section_form: SectionForm) -> str:
    return render_template(
        "scorecard_editor/edit.html",
        version=version,
        form=form,
        section_form=section_form,
        move=MoveForm(),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:version_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(version_id: int) -> str | Response:
    version = draft_or_404(version_id)
    form = SettingsForm(obj=version)
    if form.validate_on_submit():
        scorecards.update_settings(version, settings_from(form))
        db.session.commit()
        flash(_("Settings saved."), "info")
        return _back(version)
    return _render_editor(version, form, SectionForm(formdata=None))


def _commit_or_flash(action: Callable[..., object], *args: object) -> None:
    with user_errors(passing=FROZEN):
        action(*args)
        db.session.commit()


@bp.post("/<int:version_id>/sections")
@roles_required(*MANAGERS)
def add_section(version_id: int) -> str | Response:
    version = draft_or_404(version_id)
    form = SectionForm()
    if not form.validate_on_submit():
        return _render_editor(version, SettingsForm(obj=version, formdata=None), form), 400
    _commit_or_flash(editing.add_section, version, form.name.data)
    return _back(version)


@bp.post("/<int:version_id>/sections/<int:section_id>")
@roles_required(*MANAGERS)
def rename_section(version_id: int, section_id: int) -> Response:
    version = draft_or_404(version_id)
    section = section_of(version, section_id)
    form = SectionForm()
    if not form.validate_on_submit():
        flash(_("A section needs a name of at most 120 characters."), "error")
        return _back(version)
    _commit_or_flash(editing.rename_section, section, form.name.data)
    return _back(version)


def _direction() -> int:
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    return -1 if form.direction.data == "up" else 1


@bp.post("/<int:version_id>/sections/<int:section_id>/move")
@roles_required(*MANAGERS)
def move_section(version_id: int, section_id: int) -> Response:
    version = draft_or_404(version_id)
    _commit_or_flash(editing.move_section, section_of(version, section_id), _direction())
    return _back(version)


@bp.post("/<int:version_id>/sections/<int:section_id>/delete")
@roles_required(*MANAGERS)
def delete_section(version_id: int, section_id: int) -> Response:
    version = draft_or_404(version_id)
    section = section_of(version, section_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _commit_or_flash(editing.delete_section, section)
    return _back(version)


def _criterion_form(version: ScorecardVersion, criterion: Criterion | None) -> CriterionForm:
    form = CriterionForm(obj=criterion)
    form.section_id.choices = [SelectChoice(str(s.id), s.name) for s in version.sections]
    if request.method == "GET" and criterion is None:
        form.section_id.data = request.args.get("section", type=int)
    elif request.method == "GET" and criterion is not None and criterion.rule:
        form.rule_text.data = dump_rule_yaml(criterion.rule)
    return form


TEXT_FIELDS = ("name", "description", "anchor_1", "anchor_3", "anchor_5", "coaching_tips")


def _fields(form: CriterionForm) -> editing.CriterionFields:
    texts = {name: getattr(form, name).data or "" for name in TEXT_FIELDS}
    return editing.CriterionFields(
        **texts,
        weight=form.weight.data,
        allow_na=form.allow_na.data,
        is_critical=form.is_critical.data,
        rule=form.checked_rule,
    )


def _save_criterion(version: ScorecardVersion, criterion: Criterion | None) -> str | Response:
    form = _criterion_form(version, criterion)
    if form.validate_on_submit():
        section = section_of(version, form.section_id.data)
        with user_errors(form.name.errors, passing=FROZEN):
            editing.save_criterion(section, _fields(form), criterion)
            db.session.commit()
            flash(_("Criterion saved."), "info")
            return _back(version)
    return render_template(
        "scorecard_editor/criterion.html", form=form, version=version, criterion=criterion
    )


@bp.route("/<int:version_id>/criteria/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_criterion(version_id: int) -> str | Response:
    return _save_criterion(draft_or_404(version_id), None)


@bp.route("/<int:version_id>/criteria/<int:criterion_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit_criterion(version_id: int, criterion_id: int) -> str | Response:
    version = draft_or_404(version_id)
    return _save_criterion(version, criterion_of(version, criterion_id))


@bp.post("/<int:version_id>/criteria/<int:criterion_id>/move")
@roles_required(*MANAGERS)
def move_criterion(version_id: int, criterion_id: int) -> Response:
    version = draft_or_404(version_id)
    _commit_or_flash(editing.move_criterion, criterion_of(version, criterion_id), _direction())
    return _back(version)


@bp.post("/<int:version_id>/criteria/<int:criterion_id>/delete")
@roles_required(*MANAGERS)
def delete_criterion(version_id: int, criterion_id: int) -> Response:
    version = draft_or_404(version_id)
    criterion = criterion_of(version, criterion_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _commit_or_flash(editing.delete_criterion, criterion)
    return _back(version)
