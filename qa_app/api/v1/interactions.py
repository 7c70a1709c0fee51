"""/api/v1/interactions: list, get, create one, create many (as the file import does)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import abort, current_app, request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from ...accounts.access import teams_visible_to
from ...extensions import db
from ...interactions import queries, services
from ...interactions.fields import count
from ...interactions.forms import FilterForm
from ...interactions.models import FileFormat, Interaction
from ...interactions.parsing import Record
from ...interactions.services import RowProblem
from ...interactions.views import IMPORTERS
from . import schemas
from .problems import Invalid, problems_by_field
from .routing import PageArgs, body_of, documents, page_schema, paged, protect

bp = Blueprint(
    "api_interactions", __name__, description="Calls, chats and emails, each handled by one agent."
)
protect(bp)


def _filters() -> dict[str, Any]:
    """The list page's filters, checked by its own form: the same choices, the same messages."""
    form = FilterForm(formdata=request.args)
    form.set_choices(
        db.session.execute(queries.agent_names_visible_to(current_user)),
        db.session.scalars(teams_visible_to(current_user)),
    )
    if not form.validate():
        raise Invalid({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    return form.filters()


@bp.route("/interactions")
class Interactions(MethodView):
    @bp.doc(
        parameters=[  # documented here; checked by the list page's form (_filters)
            {"in": "query", "schema": schemas.InteractionFilterArgs},
            {"in": "query", "schema": PageArgs},
        ]
    )
    @bp.response(200, page_schema(schemas.InteractionSummarySchema))
    @documents(bp, 400)
    def get(self) -> dict[str, Any]:
        """The interactions the token's user may see, newest first; the list page's filters."""
        stmt = queries.filter_interactions(
            queries.interactions_visible_to(current_user), **_filters()
        )
        return paged(stmt, Interaction.id)


@bp.route("/interactions/<int:interaction_id>")
class OneInteraction(MethodView):
    @bp.response(200, schemas.InteractionSchema)
    @documents(bp, 404)
    def get(self, interaction_id: int) -> Interaction:
        """One interaction with its transcript; 404 when it is not the user's to see."""
        stmt = queries.interactions_visible_to(current_user).where(Interaction.id == interaction_id)
        return db.first_or_404(stmt.options(selectinload(Interaction.agent)))


def _importer() -> None:
    """Creating interactions is for those the import page is for."""
    if current_user.role not in IMPORTERS:
        abort(403)


def _json_object() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"": [_("must be one JSON object: {...}")]})
    return body


@bp.route("/interactions", methods=["POST"])
@bp.doc(requestBody=body_of(schemas.InteractionInSchema))
@bp.response(201, schemas.InteractionSchema)
@documents(bp, 400, 403)
def create() -> tuple[Interaction, int]:
    """Create one interaction, checked as the form and the import check it."""
    _importer()
    new_id, found = services.add_interaction(_json_object())
    if new_id is None:
        raise Invalid(problems_by_field(found))
    db.session.commit()
    return db.session.get_one(Interaction, new_id), 201


@bp.route("/interactions/bulk", methods=["POST"])
@bp.doc(requestBody=body_of(schemas.BulkInSchema))
@bp.response(201, schemas.BulkReportSchema)
@documents(bp, 400, 403, 413)
def create_many() -> tuple[dict[str, Any], int]:
    """Create many interactions: all or none, skipping those already stored (as the import)."""
    _importer()
    items = _json_object().get("interactions")
    limit = current_app.config["API_BULK_MAX_ITEMS"]
    if not isinstance(items, list) or not 0 < len(items) <= limit:
        message = _("Send a list of 1 to %(count)s interactions.", count=count(limit))
        raise Invalid({"interactions": [message]})
    report = services.import_records(
        FileFormat.JSONL, _records(items), source_name="API", created_by=current_user
    )
    if not report.ok:
        db.session.rollback()
        raise Invalid({}, rows=[_row(problem) for problem in report.problems],
                      detail=" ".join(report.file_errors) or None)  # fmt: skip
    db.session.commit()
    services.after_import(report)
    summary = report.summary
    return {**vars(report), "summary": summary}, 201


def _records(items: list[Any]) -> Iterator[Record]:
    """The items as the import reads rows: numbered from 1, each an object or refused."""
    for number, item in enumerate(items, 1):
        if isinstance(item, dict):
            yield Record(
                number, item, size=sum(len(v) for v in item.values() if isinstance(v, str))
            )
        else:
            yield Record(number, None, ((None, _("must be one JSON object: {...}")),))


def _row(problem: RowProblem) -> dict[str, Any]:
    return {"row": problem.row, "column": problem.column, "reason": problem.reason}
