"""Single sign-on: the button's redirect, the provider's callback, and the admin's page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..accounts.services import break_glass_admins, password_sign_in_allowed
from ..accounts.views import safe_next
from ..admin.forms import ConfirmForm
from ..errors import user_errors
from ..extensions import db
from . import services
from .forms import MappingForm, SsoSettingsForm
from .models import SsoRoleMapping

bp = Blueprint("sso", __name__)
NEXT_KEY = "sso_next"


@dataclass(frozen=True)
class SignInOffer:
    provider_name: str
    passwords_allowed: bool


def sso_sign_in() -> SignInOffer | None:
    """What the sign-in page offers besides the password form: None without single sign-on."""
    row = services.active_provider()
    return SignInOffer(row.name, password_sign_in_allowed()) if row is not None else None


bp.add_app_template_global(sso_sign_in)


# A link, not a form: the page's CSP allows forms to post to this site only, and a form's
# redirect to the provider would count as posting there. Starting a sign-in changes no data.
@bp.get("/login/sso")
def start() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    row = services.active_provider() or abort(404)
    with user_errors():
        response = services.start_sign_in(row, url_for("sso.callback", _external=True))
        session[NEXT_KEY] = safe_next(request.args.get("next"))
        return response
    return redirect(url_for("auth.login"))


@bp.get("/login/sso/callback")
def callback() -> Response:
    if not request.args.get("state"):
        abort(400)  # not an answer to a sign-in started here
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    row = services.active_provider() or abort(404)
    result = services.finish_sign_in(row)
    db.session.commit()  # the attempt is kept, refused or not
    if result.user is None:
        flash(result.error or _("Single sign-on failed."), "error")
        return redirect(url_for("auth.login"))
    target = safe_next(session.get(NEXT_KEY))
    session.clear()  # a fresh session at every sign-in, as with a password
    session["signed_in_with"] = "sso"  # the identity provider asks for any second factor
    login_user(result.user)
    return redirect(target)


def _stored_settings_form() -> SsoSettingsForm:
    row = services.provider()
    form = SsoSettingsForm(formdata=None, obj=row)
    form.default_role.data = row.default_role.value
    form.allow_password_sign_in.data = password_sign_in_allowed()
    return form


def _render_settings(
    form: SsoSettingsForm | None = None, mapping_form: MappingForm | None = None
) -> str:
    return render_template(
        "sso/settings.html",
        form=form or _stored_settings_form(),
        mapping_form=mapping_form or MappingForm(formdata=None),
        delete_form=ConfirmForm(formdata=None),
        mappings=services.mappings(),
        has_secret=bool(services.provider().client_secret_encrypted),
        break_glass=break_glass_admins(),
        redirect_uri=url_for("sso.callback", _external=True),
    )


@bp.route("/admin/sso", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> str | Response:
    if request.method == "GET":
        return _render_settings()
    form = SsoSettingsForm()
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            services.save_settings(_new_settings(form))
            db.session.commit()
            flash(_("Single sign-on settings saved."), "info")
            return redirect(url_for("sso.settings"))
    return _render_settings(form)


def _new_settings(form: SsoSettingsForm) -> services.NewSettings:
    return services.NewSettings(
        is_enabled=form.is_enabled.data,
        name=form.name.data or "",
        issuer=form.issuer.data or "",
        client_id=form.client_id.data or "",
        default_role=Role(form.default_role.data),
        role_claim=form.role_claim.data or "",
        allow_password_sign_in=form.allow_password_sign_in.data,
        new_secret=form.client_secret.data or "",
    )


@bp.post("/admin/sso/mappings")
@roles_required(Role.ADMIN)
def add_mapping() -> str | Response:
    form = MappingForm()
    if form.validate_on_submit():
        with user_errors(form.claim_value.errors):
            services.add_mapping(form.claim_value.data, Role(form.role.data))
            db.session.commit()
            flash(_("Role mapping added."), "info")
            return redirect(url_for("sso.settings"))
    return _render_settings(mapping_form=form)


@bp.post("/admin/sso/mappings/<int:mapping_id>/delete")
@roles_required(Role.ADMIN)
def delete_mapping(mapping_id: int) -> Response:
    mapping = db.get_or_404(SsoRoleMapping, mapping_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_mapping(mapping)
    db.session.commit()
    flash(_("Role mapping removed."), "info")
    return redirect(url_for("sso.settings"))
