"""Sign in, sign out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..extensions import db
from . import services, sign_in, two_factor, two_factor_views
from .forms import ChangePasswordForm, LoginForm, PreferencesForm

bp = Blueprint("auth", __name__)
bp.register_blueprint(two_factor_views.bp)  # the second sign-in step: docs/two-factor.md


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in; anything else goes home."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return url_for("main.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ch in target for ch in "\r\n\t\\"):
        return url_for("main.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = sign_in.authenticate(form.email.data, form.password.data, request.remote_addr)
        db.session.commit()
        if result.user is not None:
            if two_factor.is_on(result.user):
                return two_factor_views.begin_second_step(
                    result.user, safe_next(request.args.get("next"))
                )
            session.clear()  # a fresh session at every sign-in
            login_user(result.user)
            return redirect(safe_next(request.args.get("next")))
        flash(result.error or str(sign_in.SIGN_IN_REFUSED), "error")
        if result.throttled:
            return render_template("auth/login.html", form=form), 429
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    services.end_all_sessions(current_user)
    record_event(AuditAction.SIGN_OUT, target=f"user {current_user.id}")
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        check = sign_in.check_current_password(
            current_user, form.current_password.data, request.remote_addr
        )
        db.session.commit()  # the attempt is kept, refused or not
        if check.error is not None:
            form.current_password.errors.append(check.error)
            if check.throttled:
                return render_template("auth/change_password.html", form=form), 429
        else:
            services.set_password(current_user, form.new_password.data)
            db.session.commit()
            session.clear()
            # This browser stays signed in; every other session ends. The user itself, not the
            # current_user proxy: stored as the request's user, the proxy would point at itself.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed. Other sessions were signed out."), "info")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    form = PreferencesForm(data={"language": current_user.language or ""})
    if form.validate_on_submit():
        services.set_language(current_user, form.language.data or None)
        db.session.commit()
        refresh()  # the confirmation already speaks the new language
        flash(_("Your preferences have been saved."), "info")
        return redirect(url_for("auth.preferences"))
    return render_template("auth/preferences.html", form=form)
