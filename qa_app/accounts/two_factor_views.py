"""Two-factor pages: the sign-in's second step and the account security page.

A blueprint nested in the accounts blueprint (endpoints ``auth.two_factor.*``), so the sign-in
view only hands over to ``begin_second_step``. How it works: docs/two-factor.md.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from ..extensions import db
from . import two_factor
from .models import User
from .two_factor_forms import RecoveryCodesForm, SecondStepForm, TurnOffForm, TurnOnForm

bp = Blueprint("two_factor", __name__)

# The "half signed-in" marker: the password was right, the code is still to come.
PENDING = "two_factor_pending"
PENDING_SECONDS = 5 * 60


def begin_second_step(user: User, next_url: str) -> Response:
    """After a right password: remember who is half signed in, not yet logged in."""
    session.clear()  # a fresh session at every sign-in
    session[PENDING] = {
        "user": user.id,
        "version": user.session_version,
        "until": time.time() + PENDING_SECONDS,
        "next": next_url,
    }
    return redirect(url_for("auth.two_factor.second_step"))


def _pending() -> tuple[User, dict[str, Any]] | None:
    """The half signed-in user, unless the marker is missing, expired or out of date."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() > float(pending.get("until", 0)):
        session.pop(PENDING, None)
        flash(_("The sign-in took too long. Enter your password again."), "error")
        return None
    user = db.session.get(User, int(pending.get("user", 0)))
    if user is None or not user.is_active or user.session_version != pending.get("version"):
        return None
    return (user, pending) if two_factor.is_on(user) else None


@bp.route("/login/two-factor", methods=["GET", "POST"])
def second_step() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    found = _pending()
    if found is None:
        return redirect(url_for("auth.login"))
    user, pending = found
    form = SecondStepForm()
    if form.validate_on_submit():
        result = two_factor.second_step(user, form.code.data, request.remote_addr or "")
        db.session.commit()
        if result.ok:
            session.clear()
            login_user(user)
            _say_codes_left(result.recovery_codes_left)
            return redirect(str(pending.get("next") or url_for("main.index")))
        form.code.errors.append(result.error or str(two_factor.WRONG_CODE))
        if result.throttled:
            return render_template("auth/two_factor_login.html", form=form), 429
    return render_template("auth/two_factor_login.html", form=form)


def _say_codes_left(left: int | None) -> None:
    if left is None:
        return
    flash(
        ngettext(
            "You signed in with a recovery code. %(num)d code is left.",
            "You signed in with a recovery code. %(num)d codes are left.",
            left,
        ),
        "info",
    )


@bp.get("/account/two-factor")
@login_required
def overview() -> str:
    row = two_factor.setting_of(current_user)
    return render_template(
        "auth/two_factor.html",
        is_on=two_factor.is_on(current_user),
        enabled_at=row.enabled_at if row else None,
        codes_left=len(two_factor.unused_recovery_codes(current_user)),
        codes_form=RecoveryCodesForm(prefix="codes"),
        off_form=TurnOffForm(prefix="off"),
    )


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@login_required
def setup() -> str | Response:
    if two_factor.is_on(current_user):
        return redirect(url_for("auth.two_factor.overview"))
    secret = two_factor.pending_secret(current_user)
    db.session.commit()  # the same secret on a reload, until it is confirmed
    form = TurnOnForm()
    if form.validate_on_submit():
        codes = two_factor.turn_on(current_user, form.code.data)
        if codes is not None:
            db.session.commit()
            flash(_("Two-factor sign-in is on."), "info")
            return _show_codes(codes)
        form.code.errors.append(str(two_factor.WRONG_CODE))
    uri = two_factor.otpauth_uri(current_user, secret)
    return render_template(
        "auth/two_factor_setup.html", form=form, secret=secret, uri=uri, qr=two_factor.qr_svg(uri)
    )


def _show_codes(codes: list[str]) -> str:
    """The recovery codes, shown this once; only their hashes are stored."""
    return render_template("auth/two_factor_codes.html", codes=codes)


@bp.post("/account/two-factor/recovery-codes")
@login_required
def recovery_codes() -> str | Response | tuple[str, int]:
    form = RecoveryCodesForm(prefix="codes")
    if not two_factor.is_on(current_user) or not form.validate_on_submit():
        return redirect(url_for("auth.two_factor.overview"))
    check, codes = two_factor.regenerate_recovery_codes(
        current_user, form.code.data, request.remote_addr or ""
    )
    db.session.commit()  # a failed attempt is kept for the throttle
    if check.ok:
        return _show_codes(codes)
    flash(check.error or str(two_factor.WRONG_CODE), "error")
    return redirect(url_for("auth.two_factor.overview"))


@bp.post("/account/two-factor/off")
@login_required
def turn_off() -> Response:
    form = TurnOffForm(prefix="off")
    if not two_factor.is_on(current_user) or not form.validate_on_submit():
        if form.errors:
            flash(_("Give your password and a current code."), "error")
        return redirect(url_for("auth.two_factor.overview"))
    check = two_factor.turn_off(
        current_user, form.password.data, form.code.data, request.remote_addr or ""
    )
    db.session.commit()  # a failed attempt is kept for the throttle
    if check.ok:
        flash(_("Two-factor sign-in is off."), "info")
    else:
        flash(check.error or str(two_factor.WRONG_CODE), "error")
    return redirect(url_for("auth.two_factor.overview"))
