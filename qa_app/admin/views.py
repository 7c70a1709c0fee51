"""Admin pages: users, teams, settings and the model server."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ..accounts import services, two_factor
from ..accounts.access import roles_required
from ..accounts.models import Role, Team, User, team_members
from ..errors import user_errors
from ..extensions import db
from . import services as model_server_settings
from .forms import ConfirmForm, ModelServerForm, SettingsForm, TeamForm, UserForm
from .models import (
    appeals_per_evaluation,
    calibration_tolerance,
    dispute_window_days,
    retention_months,
    set_setting,
    two_factor_required,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.get("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    stmt = sa.select(User).order_by(User.is_active.desc(), User.role, User.display_name)
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_user() -> str | Response:
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Set a first password for the new user."))
        else:
            with user_errors(form.email.errors):
                user = services.create_user(
                    form.email.data,
                    form.display_name.data,
                    Role(form.role.data),
                    form.password.data,
                )
                services.set_senior_reviewer(user, form.is_senior_reviewer.data)
                services.set_sign_in_ways(
                    user, sso_only=form.is_sso_only.data, break_glass=form.is_break_glass.data
                )
                db.session.commit()
                flash(_("User %(name)s created.", name=user.display_name), "info")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, role=user.role.value)
    if form.validate_on_submit():
        with user_errors():
            services.update_user(
                user,
                actor=current_user,
                email=form.email.data,
                display_name=form.display_name.data,
                role=Role(form.role.data),
                is_active=form.is_active.data,
            )
            services.set_senior_reviewer(user, form.is_senior_reviewer.data)
            services.set_sign_in_ways(
                user, sso_only=form.is_sso_only.data, break_glass=form.is_break_glass.data
            )
            if form.password.data:
                services.set_password(user, form.password.data)
            db.session.commit()
            flash(_("User %(name)s saved.", name=user.display_name), "info")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        two_factor_on=two_factor.is_on(user),
        confirm=ConfirmForm(prefix="reset"),
    )


@bp.post("/users/<int:user_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_user(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with user_errors():
        services.update_user(
            user,
            actor=current_user,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            is_active=False,
        )
        db.session.commit()
        flash(_("%(name)s can no longer sign in.", name=user.display_name), "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/two-factor/reset")
@roles_required(Role.ADMIN)
def reset_two_factor(user_id: int) -> Response:
    """For a lost phone: the user signs in with the password alone and sets it up again."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm(prefix="reset").validate_on_submit():
        abort(400)
    two_factor.reset_by_admin(user)
    db.session.commit()
    flash(_("Two-factor sign-in of %(name)s was reset.", name=user.display_name), "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


# Reachable while a required two-factor set-up is still to be done (docs/two-factor.md).
SET_UP_ENDPOINTS = {"static", "auth.logout", "auth.two_factor.setup", "auth.two_factor.overview"}


@bp.before_app_request
def require_two_factor() -> Response | None:
    """When the admin setting asks for it, an admin or reviewer signed in with a password and
    without two-factor is sent to set it up. Single sign-on users are exempt: their sign-in
    sets ``session["signed_in_with"] = "sso"`` and their identity provider asks for a second
    factor itself."""
    if not current_user.is_authenticated or request.endpoint in SET_UP_ENDPOINTS:
        return None
    if not current_user.has_role(Role.ADMIN, Role.REVIEWER):
        return None
    if session.get("signed_in_with") == "sso" or not two_factor_required():
        return None
    if two_factor.is_on(current_user):
        return None
    flash(_("Set up two-factor sign-in to continue."), "error")
    return redirect(url_for("auth.two_factor.setup"))


@bp.get("/teams")
@roles_required(Role.ADMIN)
def teams() -> str:
    agents = sa.select(sa.func.count()).where(team_members.c.team_id == Team.id).scalar_subquery()
    stmt = sa.select(Team, agents).options(selectinload(Team.lead)).order_by(Team.name)
    return render_template("admin/teams.html", teams=db.session.execute(stmt).all())


def _fill_team_choices(form: TeamForm) -> None:
    leads = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.LEAD, User.is_active.is_(True))
        .order_by(User.display_name)
    )
    agents = db.session.scalars(
        sa.select(User)
        .where(User.role == Role.AGENT, User.is_active.is_(True))
        .order_by(User.display_name)
    )
    form.lead_id.choices = [SelectChoice("0", _("— no lead —"))] + [
        SelectChoice(str(u.id), u.display_name) for u in leads
    ]
    form.agent_ids.choices = [
        SelectChoice(str(u.id), f"{u.display_name} ({u.email})") for u in agents
    ]


def _save_team_from(form: TeamForm, team: Team | None) -> Team | None:
    lead = db.session.get(User, form.lead_id.data) if form.lead_id.data else None
    agent_ids = form.agent_ids.data or []
    agents = (
        list(db.session.scalars(sa.select(User).where(User.id.in_(agent_ids)))) if agent_ids else []
    )
    with user_errors(form.name.errors):
        saved = services.save_team(team, name=form.name.data, lead=lead, agents=agents)
        db.session.commit()
        flash(_("Team %(name)s saved.", name=saved.name), "info")
        return saved
    return None


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_team() -> str | Response:
    form = TeamForm()
    _fill_team_choices(form)
    if form.validate_on_submit() and _save_team_from(form, None):
        return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_team(team_id: int) -> str | Response:
    team = db.get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    _fill_team_choices(form)
    if request.method == "GET":
        form.lead_id.data = team.lead_id or 0
        form.agent_ids.data = [a.id for a in team.agents]
    if form.validate_on_submit() and _save_team_from(form, team):
        return redirect(url_for("admin.teams"))
    return render_template("admin/team_form.html", form=form, team=team)


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> str | Response:
    form = SettingsForm()
    if request.method == "GET":
        form.dispute_window_days.data = dispute_window_days()
        form.appeals_per_evaluation.data = appeals_per_evaluation()
        form.calibration_tolerance.data = calibration_tolerance()
        form.retention_months.data = retention_months()
        form.require_two_factor.data = two_factor_required()
    if form.validate_on_submit():
        set_setting("dispute_window_days", str(form.dispute_window_days.data))
        if form.appeals_per_evaluation.data is not None:
            set_setting("appeals_per_evaluation", str(form.appeals_per_evaluation.data))
        set_setting("calibration_tolerance", str(form.calibration_tolerance.data))
        set_setting("transcript_retention_months", str(form.retention_months.data or 0))
        set_setting("require_two_factor", "1" if form.require_two_factor.data else "0")
        db.session.commit()
        flash(_("Settings saved."), "info")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)


@bp.route("/model-server", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def model_server() -> str | Response:
    stored = model_server_settings.settings()
    form = ModelServerForm(obj=stored if request.method == "GET" else None)
    if form.validate_on_submit():
        new = model_server_settings.NewSettings(
            enabled=form.enabled.data,
            base_url=form.base_url.data or "",
            model=form.model.data or "",
            timeout_seconds=form.timeout_seconds.data,
            new_key=form.api_key.data or "",
            clear_key=form.clear_key.data,
        )
        model_server_settings.save_settings(new)
        db.session.commit()
        flash(_("Model server settings saved."), "info")
        return redirect(url_for("admin.model_server"))
    key_state = model_server_settings.key_state(stored)
    return render_template(
        "admin/model_server.html", form=form, key_state=key_state, test_form=ConfirmForm()
    )


@bp.post("/model-server/test")
@roles_required(Role.ADMIN)
def test_model_server() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    worked, message = model_server_settings.try_connection()
    flash(message, "info" if worked else "error")
    return redirect(url_for("admin.model_server"))
