"""Privacy pages: the audit log, retention, erasure of a customer, a person's data export.

Admins only, but for an agent's download of their own data from Preferences (docs/privacy.md).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..accounts.access import roles_required
from ..accounts.models import Role, User
from ..audit.models import AuditAction
from ..audit.services import record_event
from ..errors import user_errors
from ..extensions import db
from ..reports.services import XLSX_MIMETYPE
from . import audit_export, person_export, queries, services
from .forms import AuditFilterForm, CustomerForm, ErasureForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
MAX_KEYSET = 2**63 - 1


def _before() -> int | None:
    """The keyset of the page asked for: an event id, or None for the newest page."""
    raw = request.args.get("before", "")
    if not raw.isdigit() or not 0 < int(raw) <= MAX_KEYSET:
        return None
    return int(raw)


@bp.get("/audit")
@roles_required(Role.ADMIN)
def audit() -> str:
    form = AuditFilterForm(formdata=request.args)
    filters = form.filters()
    page = queries.audit_page(filters, _before())
    return render_template(
        "privacy/audit.html",
        form=form,
        page=page,
        args=form.query_args(),
        total=queries.count(filters),
        detail_text=queries.detail_text,
        action_label=audit_export.action_label,
    )


@bp.get("/audit.xlsx")
@roles_required(Role.ADMIN)
def audit_download() -> Response:
    """Every event the filters keep, as a workbook; the export is itself an event."""
    form = AuditFilterForm(formdata=request.args)
    filters = form.filters()
    detail = {"what": "audit_log", "rows": queries.count(filters), **form.query_args()}
    record_event(AuditAction.EXPORT, target="audit log", detail=detail)
    db.session.commit()
    handle = audit_export.write_temporary(filters, current_user.display_name)
    response = send_file(
        handle,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=audit_export.filename(),
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/erasure", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def erasure() -> str:
    """Find a customer's interactions by reference (a POST: the reference stays out of URLs)."""
    form = CustomerForm()
    found, confirm = None, None
    if form.validate_on_submit():
        ref = form.customer_ref.data.strip()
        found = services.customer_count(ref)
        confirm = ErasureForm(formdata=None, customer_ref=ref, expected=found)
    return render_template("privacy/erasure.html", form=form, found=found, confirm=confirm)


@bp.post("/erasure/confirm")
@roles_required(Role.ADMIN)
def erase() -> Response:
    form = ErasureForm()
    if not form.validate_on_submit():
        abort(400)
    with user_errors():
        erased = services.erase_customer(form.customer_ref.data, form.expected.data)
        db.session.commit()
        message = ngettext(
            "The data of %(num)d interaction was erased; its scores stay.",
            "The data of %(num)d interactions was erased; their scores stay.",
            erased,
        )
        flash(message, "info")
    return redirect(url_for("privacy.erasure"))


def _send_person(user: User) -> Response:
    """The person's data as a JSON attachment; who exported whose data is an audit event."""
    record_event(AuditAction.EXPORT, target=f"user {user.id}", detail={"what": "person_data"})
    db.session.commit()
    response = Response(
        person_export.person_json(user),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={person_export.filename(user)}"},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/people/<int:user_id>/export.json")
@roles_required(Role.ADMIN)
def person_download(user_id: int) -> Response:
    return _send_person(db.get_or_404(User, user_id))


@bp.get("/my-data.json")
@login_required
def my_data() -> Response:
    return _send_person(current_user._get_current_object())
