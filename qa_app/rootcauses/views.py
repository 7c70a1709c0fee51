"""The root-cause list of a scorecard, kept by admins."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..errors import user_errors
from ..extensions import db
from . import services
from .access import category_or_404, cause_or_404, scorecard_or_404
from .forms import ItemForm, NameForm, RuleForm

bp = Blueprint("rootcauses", __name__)


def _back(scorecard_id: int) -> Response:
    return redirect(url_for("rootcauses.edit", scorecard_id=scorecard_id))


@bp.get("/scorecards/family/<int:scorecard_id>/root-causes")
@roles_required(Role.ADMIN)
def edit(scorecard_id: int) -> str:
    scorecard = scorecard_or_404(scorecard_id)
    rule = RuleForm(data={"required": services.is_required(scorecard.id)})
    return render_template(
        "rootcauses/edit.html",
        scorecard=scorecard,
        newest=scorecard.versions[-1] if scorecard.versions else None,
        categories=services.categories(scorecard.id),
        rule=rule,
        add=NameForm(),
        item=ItemForm,
    )


@bp.post("/scorecards/family/<int:scorecard_id>/root-causes/rule")
@roles_required(Role.ADMIN)
def rule(scorecard_id: int) -> Response:
    scorecard = scorecard_or_404(scorecard_id)
    form = RuleForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_required(scorecard.id, form.required.data)
    db.session.commit()
    flash(_("Saved."), "info")
    return _back(scorecard.id)


@bp.post("/scorecards/family/<int:scorecard_id>/root-causes/categories")
@roles_required(Role.ADMIN)
def add_category(scorecard_id: int) -> Response:
    scorecard = scorecard_or_404(scorecard_id)
    form = NameForm()
    if not form.validate_on_submit():
        flash(_("Give a name of at most 120 characters, on one line."), "error")
        return _back(scorecard.id)
    with user_errors():
        services.add_category(scorecard.id, form.name.data or "")
        db.session.commit()
    return _back(scorecard.id)


@bp.post("/root-causes/categories/<int:category_id>/causes")
@roles_required(Role.ADMIN)
def add_cause(category_id: int) -> Response:
    category = category_or_404(category_id)
    form = NameForm()
    if not form.validate_on_submit():
        flash(_("Give a name of at most 120 characters, on one line."), "error")
        return _back(category.scorecard_id)
    with user_errors():
        services.add_cause(category, form.name.data or "")
        db.session.commit()
    return _back(category.scorecard_id)


def _change(item: services.Item, scorecard_id: int) -> Response:
    form = ItemForm()
    if not form.validate_on_submit():
        flash(_("Give a name of at most 120 characters, on one line."), "error")
        return _back(scorecard_id)
    with user_errors():
        match form.action.data:
            case "rename":
                services.rename(item, form.name.data or "")
            case "retire" | "restore":
                services.set_retired(item, form.action.data == "retire")
            case "up" | "down":
                services.move(item, -1 if form.action.data == "up" else 1)
        db.session.commit()
    return _back(scorecard_id)


@bp.post("/root-causes/categories/<int:category_id>")
@roles_required(Role.ADMIN)
def change_category(category_id: int) -> Response:
    category = category_or_404(category_id)
    return _change(category, category.scorecard_id)


@bp.post("/root-causes/causes/<int:cause_id>")
@roles_required(Role.ADMIN)
def change_cause(cause_id: int) -> Response:
    cause = cause_or_404(cause_id)
    return _change(cause, cause.category.scorecard_id)
