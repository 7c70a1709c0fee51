"""Admin pages for webhooks: the endpoints, one endpoint with its delivery log, a test event."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role
from ..admin.forms import ConfirmForm
from ..extensions import db
from . import services
from .forms import EndpointForm
from .models import WebhookEndpoint

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


def _input(form: EndpointForm) -> services.EndpointInput:
    return services.EndpointInput(
        url=form.url.data,
        description=form.description.data or "",
        events=list(form.events.data or []),
        is_active=bool(form.is_active.data),
    )


def _show_secret(endpoint: WebhookEndpoint, secret: str) -> str:
    return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret)


@bp.get("/")
@roles_required(Role.ADMIN)
def index() -> str:
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id))
    return render_template("webhooks/index.html", endpoints=list(endpoints))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create() -> str | Response:
    form = EndpointForm()
    if form.validate_on_submit():
        endpoint, secret = services.create_endpoint(_input(form))
        db.session.commit()
        flash(_("Webhook saved."), "success")
        return _show_secret(endpoint, secret)
    return render_template("webhooks/form.html", form=form, endpoint=None)


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(endpoint_id: int) -> str | Response:
    endpoint = _endpoint(endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        services.update_endpoint(endpoint, _input(form))
        db.session.commit()
        flash(_("Webhook saved."), "success")
        return redirect(url_for("webhooks.edit", endpoint_id=endpoint.id))
    return render_template(
        "webhooks/form.html",
        form=form,
        endpoint=endpoint,
        confirm=ConfirmForm(),
        deliveries=services.recent_deliveries(endpoint),
        secret_readable=services.secret_of(endpoint) is not None,
    )


@bp.post("/<int:endpoint_id>/test")
@roles_required(Role.ADMIN)
def send_test(endpoint_id: int) -> Response:
    endpoint = _endpoint(endpoint_id)
    if ConfirmForm().validate_on_submit():
        services.add_test_delivery(endpoint)
        db.session.commit()
        flash(_("A test event is on its way; its attempts appear below."), "success")
    return redirect(url_for("webhooks.edit", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/secret")
@roles_required(Role.ADMIN)
def rotate(endpoint_id: int) -> str | Response:
    endpoint = _endpoint(endpoint_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("webhooks.edit", endpoint_id=endpoint.id))
    secret = services.rotate_secret(endpoint)
    db.session.commit()
    return _show_secret(endpoint, secret)


@bp.post("/<int:endpoint_id>/delete")
@roles_required(Role.ADMIN)
def delete(endpoint_id: int) -> Response:
    endpoint = _endpoint(endpoint_id)
    if ConfirmForm().validate_on_submit():
        services.delete_endpoint(endpoint)
        db.session.commit()
        flash(_("Webhook deleted with its delivery log."), "success")
        return redirect(url_for("webhooks.index"))
    return redirect(url_for("webhooks.edit", endpoint_id=endpoint.id))
