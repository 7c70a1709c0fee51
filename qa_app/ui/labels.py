"""The words the pages show for stored codes: roles, channels, statuses, periods and bands.

The models and the pure scoring module keep stable English values; this is the one table that
turns them into words in the reader's language. Ask it with `label(value)`, in Python as in the
templates (the `label` filter). No enum carries its own names.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ..accounts.models import Role
from ..audit.models import AuditAction
from ..disputes.models import DisputeStatus
from ..evaluations.models import (
    ChangeField,
    ChangeKind,
    EvaluationChange,
    EvaluationStatus,
    PickReason,
)
from ..interactions.models import Channel, SignalKind
from ..jobs.models import JobKind, JobState
from ..notifications.models import Delivery, NotificationKind
from ..reviews.models import Verdict
from ..rules import Reason
from ..sampling.models import Period
from ..scorecards.models import Status as ScorecardStatus
from ..scoring import band_of
from ..scoring.plans import PlanStatus
from ..scoring.scale import Band
from ..self_reviews.models import SelfReviewStatus
from ..webhooks.models import DeliveryState, WebhookEvent
from .filters import DASH

LABELS: dict[type[StrEnum], dict[str, LazyString]] = {
    Role: {
        Role.ADMIN: _l("Admin"),
        Role.REVIEWER: _l("Reviewer"),
        Role.LEAD: _l("Team lead"),
        Role.AGENT: _l("Agent"),
    },
    Channel: {Channel.CALL: _l("Call"), Channel.CHAT: _l("Chat"), Channel.EMAIL: _l("Email")},
    Period: {Period.WEEK: _l("Week (Monday to Sunday)"), Period.MONTH: _l("Calendar month")},
    ScorecardStatus: {
        ScorecardStatus.DRAFT: _l("Draft"),
        ScorecardStatus.PUBLISHED: _l("Published"),
        ScorecardStatus.ARCHIVED: _l("Archived"),
    },
    EvaluationStatus: {
        EvaluationStatus.DRAFT: _l("Draft"),
        EvaluationStatus.SUBMITTED: _l("Submitted"),
    },
    PickReason: {  # how the evaluated interaction was picked (docs/spotlight.md)
        PickReason.RANDOM: _l("Random"),
        PickReason.TARGETED: _l("Targeted"),
        PickReason.HAND: _l("By hand"),
    },
    ChangeKind: {
        ChangeKind.SUBMITTED: _l("Submitted"),
        ChangeKind.EDITED: _l("Edited"),
        ChangeKind.ACKNOWLEDGED: _l("Acknowledged"),
        ChangeKind.DISPUTED: _l("Disputed"),
        ChangeKind.UPHELD: _l("Upheld"),
        ChangeKind.ADJUSTED: _l("Adjusted"),
    },
    ChangeField: {
        ChangeField.SCORE: _l("Score"),
        ChangeField.STRENGTHS: _l("Strengths"),
        ChangeField.IMPROVEMENTS: _l("Areas to improve"),
        ChangeField.EVALUATION: _l("the whole evaluation"),
    },
    Reason: {  # why an Auto QA rule could not decide
        Reason.NO_AGENT_TURN: _l("no turn by the agent"),
        Reason.NO_CUSTOMER_TURN: _l("no turn by the customer"),
        Reason.TOO_SHORT: _l("too short to judge"),
        Reason.NO_TIMES: _l("turns without times"),
        Reason.TIMES_OUT_OF_ORDER: _l("turn times out of order"),
        Reason.NO_LANGUAGE: _l("no language given"),
        Reason.LANGUAGE_NOT_COVERED: _l("no phrases for this language"),
        Reason.CHANNEL_NOT_COVERED: _l("not set for this channel"),
        Reason.METRIC_MISSING: _l("the figure was not recorded"),
        Reason.MODEL_OFF: _l("the model server is off"),
        Reason.MODEL_UNAVAILABLE: _l("the model server did not answer"),
        Reason.MODEL_ANSWER_INVALID: _l("the model's answer could not be used"),
        Reason.QUOTE_NOT_FOUND: _l("the model quoted words that are not in the transcript"),
    },
    Verdict: {  # a senior reviewer's verdict on one criterion (docs/reviewer-quality.md)
        Verdict.AGREE: _l("Agree"),
        Verdict.TOO_HIGH: _l("Too high"),
        Verdict.TOO_LOW: _l("Too low"),
    },
    DisputeStatus: {
        DisputeStatus.OPEN: _l("Open"),
        DisputeStatus.UPHELD: _l("Upheld"),
        DisputeStatus.ADJUSTED: _l("Adjusted"),
    },
    SelfReviewStatus: {
        SelfReviewStatus.OPEN: _l("To do"),
        SelfReviewStatus.SUBMITTED: _l("Submitted"),
        SelfReviewStatus.DECLINED: _l("Declined"),
    },
    JobState: {
        JobState.QUEUED: _l("Waiting"),
        JobState.RUNNING: _l("Running"),
        JobState.DONE: _l("Done"),
        JobState.FAILED: _l("Failed"),
        JobState.CANCELLED: _l("Cancelled"),
    },
    JobKind: {
        JobKind.INTERACTION_IMPORT: _l("Interaction import"),
        JobKind.REPORT_EXPORT: _l("Excel report"),
        JobKind.SAMPLING_RUN: _l("Sampling run"),
        JobKind.RESULTS_REBUILD: _l("Results rebuild"),
        JobKind.AUTOQA_RUN: _l("Auto QA run"),
        JobKind.SIGNALS_RUN: _l("Signals run"),
        JobKind.HELPDESK_PULL: _l("Helpdesk pull"),
    },
    SignalKind: {
        SignalKind.LOW_AUTO_SCORE: _l("Low auto score"),
        SignalKind.AUTO_CRITICAL_FAIL: _l("Auto critical fail"),
        SignalKind.LOW_CSAT: _l("Low CSAT"),
        SignalKind.NPS_DETRACTOR: _l("NPS detractor"),
        SignalKind.HIGH_EFFORT: _l("High effort"),
        SignalKind.NOT_RESOLVED: _l("Not resolved"),
        SignalKind.LONG_HANDLE: _l("Long handle time"),
        SignalKind.LONG_WAIT: _l("Long wait"),
        SignalKind.ESCALATION: _l("Escalation"),
        SignalKind.REPEAT_CONTACT: _l("Repeat contact"),
        SignalKind.EARLIER_DISPUTE: _l("Earlier dispute"),
        SignalKind.EARLIER_LOW_SCORE: _l("Earlier low score"),
    },
    PlanStatus: {
        PlanStatus.OPEN: _l("Open"),
        PlanStatus.ON_TRACK: _l("On track"),
        PlanStatus.ACHIEVED: _l("Achieved"),
        PlanStatus.MISSED: _l("Missed"),
    },
    NotificationKind: {
        NotificationKind.EVALUATION_SUBMITTED: _l("A new evaluation of your work"),
        NotificationKind.DISPUTE_OPENED: _l("A dispute was opened in your team"),
        NotificationKind.DISPUTE_WAITING: _l("A dispute is waiting for a decision"),
        NotificationKind.DISPUTE_DECIDED: _l("Your dispute was decided"),
        NotificationKind.PLAN_DUE: _l("An action plan is due soon"),
        NotificationKind.PLAN_ACHIEVED: _l("An action plan was achieved"),
        NotificationKind.CALIBRATION_OPENED: _l("A calibration session you are in has opened"),
        NotificationKind.CALIBRATION_CLOSING: _l("A calibration session you are in closes soon"),
        NotificationKind.QUEUE_ITEMS: _l("New interactions in your review queue"),
        NotificationKind.ACKNOWLEDGE_DUE: _l("Please acknowledge an evaluation by tomorrow"),
        NotificationKind.APPEAL_CLOSING: _l("The time to dispute an evaluation ends tomorrow"),
    },
    Delivery: {
        Delivery.APP: _l("In the app only"),
        Delivery.EMAIL: _l("Email at once"),
        Delivery.DIGEST: _l("Daily digest email"),
        Delivery.OFF: _l("Off"),
    },
    WebhookEvent: {
        WebhookEvent.EVALUATION_SUBMITTED: _l("An evaluation was submitted"),
        WebhookEvent.EVALUATION_CHANGED: _l("A submitted evaluation was changed"),
        WebhookEvent.DISPUTE_OPENED: _l("A dispute was opened"),
        WebhookEvent.DISPUTE_RESOLVED: _l("A dispute was decided"),
        WebhookEvent.IMPORT_FINISHED: _l("An import finished"),
        WebhookEvent.AUTOQA_FINISHED: _l("An Auto QA run finished"),
        WebhookEvent.TEST: _l("Test event"),
    },
    DeliveryState: {
        DeliveryState.PENDING: _l("Waiting"),
        DeliveryState.SENDING: _l("Sending"),
        DeliveryState.DELIVERED: _l("Delivered"),
        DeliveryState.FAILED: _l("Failed"),
    },
    AuditAction: {
        AuditAction.SIGN_IN: _l("Signed in"),
        AuditAction.SIGN_IN_FAILED: _l("Sign-in failed"),
        AuditAction.SIGN_OUT: _l("Signed out"),
        AuditAction.PASSWORD_CHANGED: _l("Password changed"),
        AuditAction.USER_CREATED: _l("User created"),
        AuditAction.USER_CHANGED: _l("User changed"),
        AuditAction.USER_DEACTIVATED: _l("User deactivated"),
        AuditAction.USER_REACTIVATED: _l("User reactivated"),
        AuditAction.TEAM_CHANGED: _l("Team changed"),
        AuditAction.SETTINGS_CHANGED: _l("Settings changed"),
        AuditAction.EXPORT: _l("Data exported"),
        AuditAction.TOKEN_CREATED: _l("API token created"),
        AuditAction.TOKEN_REVOKED: _l("API token revoked"),
        AuditAction.WEBHOOK_CHANGED: _l("Webhook changed"),
        AuditAction.SSO_CHANGED: _l("Single sign-on changed"),
        AuditAction.TWO_FACTOR_CHANGED: _l("Two-factor sign-in changed"),
        AuditAction.RETENTION_RUN: _l("Retention run"),
        AuditAction.ERASURE: _l("Customer data erased"),
    },
}
# The scoring module names its bands in English; keyed here by their slug.
BAND_LABELS: dict[str, LazyString] = {
    "excellent": _l("Excellent"),
    "good": _l("Good"),
    "satisfactory": _l("Satisfactory"),
    "needs-improvement": _l("Needs improvement"),
    "poor": _l("Poor"),
}
# A scorecard names the channels it is made for in the plural.
CHANNEL_PLURALS: dict[str, LazyString] = {
    Channel.CALL: _l("Calls"),
    Channel.CHAT: _l("Chats"),
    Channel.EMAIL: _l("Emails"),
}


def label(value: StrEnum | Band) -> str:
    """A role, channel, status, period or band in the reader's language: "Team lead", "Jó"."""
    if isinstance(value, Band):
        return _band(value.name)
    return str(LABELS[type(value)][value])


def _band(name: str) -> str:
    translated = BAND_LABELS.get("-".join(name.lower().split()))
    return name if translated is None else str(translated)


def band_label(name: str | None) -> str | None:
    """A band given by its English name (as the scoring module reports it), translated."""
    return None if name is None else _band(name)


def score_band(score: Decimal | float | None) -> str:
    """The name of the band a score falls in, or a dash when there is no score."""
    found = band_of(None if score is None else float(score))
    return label(found) if found else DASH


def channel_names(channels: list[str]) -> str:
    """A scorecard's channels, named in the reader's language: "Calls, Chats"."""
    return ", ".join(str(CHANNEL_PLURALS.get(channel, channel)) for channel in channels)


def history_field(change: EvaluationChange) -> str:
    """What a history entry changed, in the reader's language, with the criterion's name."""
    name = change.criterion.name if change.criterion is not None else ""
    match change.field_kind:
        case None:
            return ""
        case ChangeField.CRITERION_SCORE:
            return _('Score for "%(criterion)s"', criterion=name)
        case ChangeField.COMMENT:
            return _('Comment on "%(criterion)s"', criterion=name)
        case ChangeField.ROOT_CAUSES:
            return _('Root causes for "%(criterion)s"', criterion=name)
        case ChangeField.CRITERION:
            return name
        case ChangeField.OTHER:
            return change.legacy_field or ""
    return label(change.field_kind)
