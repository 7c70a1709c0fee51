"""The bell's list, marking read, each person's delivery choices, and the admin's setting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.models import set_setting
from ..errors import user_errors
from ..extensions import db
from ..ui.navigation import menu_counts, register_count
from . import services
from .access import own_or_404
from .deadlines import acknowledge_days
from .forms import SettingsForm, preferences_form
from .mail import target
from .models import Delivery, Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


# The bell's count is read with the menu's counts, in the same statement (docs/navigation.md).
bp.record_once(lambda _state: register_count("notifications", services.unread, every_page=True))


@bp.app_template_global("unread_notifications")
def unread_notifications() -> int:
    """The bell's count: the signed-in user's unread notifications."""
    return menu_counts().get("notifications", 0)


@bp.app_template_global("notification_link")
def notification_link(notification: Notification) -> str:
    """The page a notification is about (the page checks access again)."""
    endpoint, values = target(notification)
    return url_for(endpoint, **values)


@bp.get("/")
@login_required
def index() -> str:
    items = services.latest_for(current_user)
    return render_template("notifications/index.html", items=items)


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int) -> Response:
    services.mark_read(own_or_404(current_user, notification_id))
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def read_all() -> Response:
    services.mark_all_read(current_user)
    db.session.commit()
    flash(_("Every notification is marked read."), "info")
    return redirect(url_for("notifications.index"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> str | Response:
    kinds = services.ROLE_KINDS[current_user.role]
    chosen = services.choices_of(current_user)
    form = preferences_form(kinds, data={k.value: d.value for k, d in chosen.items()})
    if form.validate_on_submit():
        with user_errors(form.form_errors):
            picked = {kind: Delivery(form[kind.value].data) for kind in kinds}
            services.save_choices(current_user, picked)
            db.session.commit()
            flash(_("Your notification choices have been saved."), "info")
            return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=kinds)


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> str | Response:
    stored = {"email_shows_score": services.email_shows_score()}
    form = SettingsForm(data={**stored, "acknowledge_within_days": acknowledge_days()})
    if form.validate_on_submit():
        set_setting("email_shows_score", "1" if form.email_shows_score.data else "0")
        set_setting("acknowledge_within_days", str(form.acknowledge_within_days.data))
        db.session.commit()
        flash(_("The notification settings have been saved."), "info")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
