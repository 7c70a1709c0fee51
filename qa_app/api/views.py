"""The token pages (each user's own, the admin's list of all) and the API's document and docs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.forms import ConfirmForm
from ..extensions import db
from . import services
from .forms import TokenForm
from .models import ApiToken
from .v1 import openapi_document

bp = Blueprint("api", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str:
    form = TokenForm()
    new_value = None
    if form.validate_on_submit():
        _token, new_value = services.create_token(
            current_user,
            form.name.data,
            can_write=form.access.data == "write",
            expires_at=form.expires_at(),
        )
        db.session.commit()
        form = TokenForm(formdata=None)
    rows = db.session.scalars(services.tokens_of(current_user)).all()
    return render_template(
        "api/tokens.html", form=form, rows=rows, new_value=new_value, revoke=ConfirmForm()
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    stmt = services.tokens_of(current_user).where(ApiToken.id == token_id)
    return _revoke(db.first_or_404(stmt), url_for("api.tokens"))


@bp.get("/admin/tokens")
@roles_required(Role.ADMIN)
def all_tokens() -> str:
    rows = db.session.scalars(services.all_tokens()).all()
    return render_template("api/all_tokens.html", rows=rows, revoke=ConfirmForm())


@bp.post("/admin/tokens/<int:token_id>/revoke")
@roles_required(Role.ADMIN)
def admin_revoke(token_id: int) -> Response:
    token = db.first_or_404(sa.select(ApiToken).where(ApiToken.id == token_id))
    return _revoke(token, url_for("api.all_tokens"))


def _revoke(token: ApiToken, back: str) -> Response:
    if ConfirmForm().validate_on_submit():
        services.revoke_token(token)
        db.session.commit()
        flash(_("The token is revoked: it no longer opens the API."), "info")
    return redirect(back)


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@bp.get("/api/v1/docs")
def docs() -> str:
    return render_template("api/docs.html", document=openapi_document())
