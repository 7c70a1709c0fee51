"""What the API answers with: marshmallow schemas that also describe it in the document.

Request bodies are checked by the same rules as the pages (the import's row checker), not by
these schemas, so the API's refusals read like the pages'.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f
from marshmallow.validate import OneOf

from ...accounts.models import Role
from ...disputes.models import DisputeStatus
from ...evaluations.models import EvaluationStatus
from ...interactions.models import Channel, SignalKind
from ...scorecards.models import Status


def _one_of(enum: type) -> OneOf:
    return OneOf([member.value for member in enum])  # type: ignore[attr-defined]


def _maybe(field: type[f.Field], **kwargs: object) -> f.Field:
    return field(allow_none=True, **kwargs)  # type: ignore[arg-type]


class InteractionSummarySchema(ma.Schema):
    id = f.Integer(required=True)
    external_id = f.String(required=True)
    channel = f.String(required=True, validate=_one_of(Channel))
    agent_id = f.Integer(required=True)
    occurred_at = f.DateTime(required=True)
    duration_seconds = _maybe(f.Integer)
    language = _maybe(f.String)
    customer_ref = _maybe(f.String)
    subject = _maybe(f.String)
    recording_url = _maybe(f.String)
    csat = _maybe(f.Integer)
    nps = _maybe(f.Integer)
    ces = _maybe(f.Integer)
    first_contact_resolved = _maybe(f.Boolean)
    handle_seconds = _maybe(f.Integer)
    created_at = f.DateTime(required=True)


class TurnSchema(ma.Schema):
    speaker = f.String()
    text = f.String()
    at = f.Raw(metadata={"description": "seconds from the start, or a clock or ISO 8601 time"})


class InteractionSchema(InteractionSummarySchema):
    transcript_text = _maybe(f.String)
    transcript_turns = _maybe(f.List, cls_or_instance=f.Nested(TurnSchema))


class InteractionInSchema(ma.Schema):
    """One interaction as an import file has it: same keys, same rules (docs/imports.md)."""

    external_id = f.String(required=True)
    channel = f.String(required=True, validate=_one_of(Channel))
    agent_email = f.String(required=True)
    occurred_at = f.String(required=True, metadata={"example": "2026-03-02T09:00:00Z"})
    duration_seconds = _maybe(f.Integer)
    language = _maybe(f.String)
    customer_ref = _maybe(f.String)
    subject = _maybe(f.String)
    transcript = f.Raw(metadata={"description": "text, or a list of {speaker, text, at} turns"})
    recording_url = _maybe(f.String)
    csat = _maybe(f.Integer)
    nps = _maybe(f.Integer)
    ces = _maybe(f.Integer)
    first_contact_resolved = _maybe(f.Boolean)
    handle_seconds = _maybe(f.Integer)


class BulkInSchema(ma.Schema):
    interactions = f.List(f.Nested(InteractionInSchema), required=True)


class RowProblemSchema(ma.Schema):
    row = f.Integer(required=True, metadata={"description": "the item's position, from 1"})
    column = _maybe(f.String)
    reason = f.String(required=True)


class BulkReportSchema(ma.Schema):
    rows_total = f.Integer(required=True)
    rows_added = f.Integer(required=True)
    rows_skipped = f.Integer(required=True, metadata={"description": "already stored before"})
    summary = f.String(required=True)


class InteractionFilterArgs(ma.Schema):
    agent = f.Integer()
    team = f.Integer()
    channel = f.String(validate=_one_of(Channel))
    date_from = f.Date()
    date_to = f.Date()
    evaluated = f.String(validate=OneOf(["yes", "no"]))
    signal = f.String(validate=_one_of(SignalKind))


class CriterionSchema(ma.Schema):
    id = f.Integer(required=True)
    key = f.String(required=True)
    name = f.String(required=True)
    weight = f.Float(required=True)
    is_critical = f.Boolean(required=True)
    allow_na = f.Boolean(required=True)


class ScorecardSummarySchema(ma.Schema):
    id = f.Integer(required=True, metadata={"description": "the version's id"})
    scorecard_id = f.Integer(required=True)
    version = f.Integer(required=True)
    status = f.String(required=True, validate=_one_of(Status))
    name = f.String(required=True)
    slug = f.String(required=True)
    language = f.String(required=True)
    channels = f.List(f.String(), required=True)
    pass_mark = f.Float(required=True)
    published_at = _maybe(f.DateTime)


class ScorecardSchema(ScorecardSummarySchema):
    description = f.String(required=True)
    criteria = f.List(f.Nested(CriterionSchema), attribute="ordered_criteria", required=True)


class ScoreSchema(ma.Schema):
    criterion_id = f.Integer(required=True)
    score = _maybe(f.Integer)
    is_na = f.Boolean(required=True)
    comment = f.String(required=True)


class EvaluationSummarySchema(ma.Schema):
    id = f.Integer(required=True)
    interaction_id = f.Integer(required=True)
    scorecard_version_id = f.Integer(required=True)
    reviewer_id = f.Integer(required=True)
    status = f.String(required=True, validate=_one_of(EvaluationStatus))
    score = _maybe(f.Float)
    is_critical_fail = f.Boolean(required=True)
    submitted_at = _maybe(f.DateTime)
    acknowledged_at = _maybe(f.DateTime)


class EvaluationSchema(EvaluationSummarySchema):
    strengths = f.String(required=True)
    improvements = f.String(required=True)
    scores = f.List(f.Nested(ScoreSchema), required=True)


class EvaluationFilterArgs(ma.Schema):
    status = f.String(validate=_one_of(EvaluationStatus))
    agent = f.Integer()
    scorecard = f.Integer(metadata={"description": "a scorecard version's id"})


class DisputeSchema(ma.Schema):
    id = f.Integer(required=True)
    evaluation_id = f.Integer(required=True)
    raised_by_id = f.Integer(required=True)
    reason = f.String(required=True)
    status = f.String(required=True, validate=_one_of(DisputeStatus))
    created_at = f.DateTime(required=True)
    resolved_by_id = _maybe(f.Integer)
    resolved_at = _maybe(f.DateTime)
    resolution_note = f.String(required=True)


class DisputeFilterArgs(ma.Schema):
    status = f.String(validate=_one_of(DisputeStatus))


class UserSchema(ma.Schema):
    id = f.Integer(required=True)
    email = f.String(required=True)
    display_name = f.String(required=True)
    role = f.String(required=True, validate=_one_of(Role))
    is_active = f.Boolean(required=True)
    team_id = _maybe(f.Integer, attribute="team.id")


class TeamSchema(ma.Schema):
    id = f.Integer(required=True)
    name = f.String(required=True)
    lead_id = _maybe(f.Integer)
    agent_ids = f.List(f.Integer(), required=True)


class TotalsSchema(ma.Schema):
    """A group's figures for the period, as the result pages show them (docs/scoring.md)."""

    evaluations = f.Integer(required=True)
    scored = f.Integer(required=True)
    interactions = f.Integer(required=True)
    passed = f.Integer(required=True)
    critical_fails = f.Integer(required=True)
    quality = _maybe(f.Float, metadata={"description": "average score, 0-100"})
    pass_rate = _maybe(f.Float)
    csat = _maybe(f.Float)
    nps = _maybe(f.Float)
    ces = _maybe(f.Float)
    fcr = _maybe(f.Float)
    aht = _maybe(f.Float)
    bands = f.Dict(keys=f.String(), values=f.Integer(), required=True)


class PeriodSchema(ma.Schema):
    period = f.String(required=True)
    start = f.Date(required=True)
    end = f.Date(required=True)
    channel = _maybe(f.String)
    scorecard_id = _maybe(f.Integer)


class TeamTotalsSchema(ma.Schema):
    team_id = f.Integer(required=True)
    name = f.String(required=True)
    totals = f.Nested(TotalsSchema, required=True)


class OrganisationResultsSchema(ma.Schema):
    filters = f.Nested(PeriodSchema, required=True)
    overall = _maybe(f.Nested, nested=TotalsSchema)
    teams = f.List(f.Nested(TeamTotalsSchema), required=True)


class AgentTotalsSchema(ma.Schema):
    agent_id = f.Integer(required=True)
    name = f.String(required=True)
    current = f.Nested(TotalsSchema, required=True)
    previous = f.Nested(TotalsSchema, required=True)


class TeamResultsSchema(ma.Schema):
    filters = f.Nested(PeriodSchema, required=True)
    team_id = f.Integer(required=True)
    current = f.Nested(TotalsSchema, required=True)
    previous = f.Nested(TotalsSchema, required=True)
    agents = f.List(f.Nested(AgentTotalsSchema), required=True)


class AgentResultsSchema(ma.Schema):
    filters = f.Nested(PeriodSchema, required=True)
    agent_id = f.Integer(required=True)
    team_id = _maybe(f.Integer)
    current = f.Nested(TotalsSchema, required=True)
    previous = f.Nested(TotalsSchema, required=True)
    team_current = f.Nested(TotalsSchema, required=True)


class ResultArgs(ma.Schema):
    period = f.String(validate=OneOf(["week", "month", "custom"]))
    from_ = f.Date(data_key="from")
    to = f.Date()
    channel = f.String(validate=_one_of(Channel))
    scorecard = f.Integer(metadata={"description": "a scorecard's id (the family)"})
