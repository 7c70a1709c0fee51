"""Sampling plan form, and the one-button form that runs a plan."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import Role, Team, User
from ..extensions import db
from ..interactions.models import SignalKind
from ..scorecards.models import ScorecardVersion, Status
from ..textinput import BaseForm
from ..ui.labels import label
from .models import Period, SamplingPlan
from .services import REVIEWER_ROLES, PlanInput, published_version

MAX_PER_AGENT = 100
MAX_SEED = 2**31 - 1
MAX_WEIGHT = 10
# What a new plan proposes (docs/spotlight.md): what the scorecard or the customer already called
# a failure weighs most, figures that are only sometimes the agent's doing weigh least.
DEFAULT_WEIGHTS = {
    SignalKind.AUTO_CRITICAL_FAIL: 5,
    SignalKind.ESCALATION: 4,
    SignalKind.LOW_AUTO_SCORE: 3,
    SignalKind.LOW_CSAT: 3,
    SignalKind.NPS_DETRACTOR: 2,
    SignalKind.HIGH_EFFORT: 2,
    SignalKind.NOT_RESOLVED: 2,
    SignalKind.REPEAT_CONTACT: 2,
    SignalKind.EARLIER_LOW_SCORE: 2,
    SignalKind.EARLIER_DISPUTE: 1,
    SignalKind.LONG_HANDLE: 1,
    SignalKind.LONG_WAIT: 1,
}
WEIGHT_FIELDS = {kind: f"weight_{kind.value}" for kind in SignalKind}


def _checkboxes(label: str, description: str = "") -> SelectMultipleField:
    return SelectMultipleField(
        label,
        coerce=int,
        description=description,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


def _quota(label: str) -> IntegerField:
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=MAX_PER_AGENT)])


class PlanForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    team_ids = _checkboxes(
        _l("Teams"), _l("Every active agent of these teams, as the teams change.")
    )
    agent_ids = _checkboxes(_l("Individual agents"))
    period = SelectField(_l("Period"), default=Period.WEEK.value)
    per_agent = IntegerField(
        _l("Interactions per agent per period"),
        default=2,
        validators=[Optional(), NumberRange(min=1, max=MAX_PER_AGENT)],
    )
    call_quota = _quota(_l("Calls"))
    chat_quota = _quota(_l("Chats"))
    email_quota = _quota(_l("Emails"))
    targeted_per_agent = IntegerField(
        _l("By signals per agent per period"),
        default=0,
        description=_l("Drawn on top of the random part, the heavier signals first; 0: none."),
        validators=[Optional(), NumberRange(min=0, max=MAX_PER_AGENT)],
    )
    self_reviews_per_agent = IntegerField(
        _l("Self-reviews per agent per period"),
        default=0,
        description=_l("Asked of the agent among the interactions drawn for them; 0: none."),
        validators=[Optional(), NumberRange(min=0, max=MAX_PER_AGENT)],
    )
    scorecard_id = SelectField(
        _l("Scorecard"), coerce=int, description=_l("Evaluations use its published version.")
    )
    reviewer_ids = _checkboxes(_l("Reviewers"), _l("Assignments are spread evenly over them."))
    is_active = BooleanField(_l("Active: draw a sample every period"), default=True)
    seed = IntegerField(
        _l("Seed"),
        default=lambda: secrets.randbelow(MAX_SEED),
        description=_l("The same seed draws the same interactions for a period."),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_SEED)],
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Built per form, so the period names are in the language of this request.
        self.period.choices = [SelectChoice(period.value, label(period)) for period in Period]
        for kind, name in WEIGHT_FIELDS.items():
            self[name].label.text = label(kind)

    def weight_fields(self) -> list[Field]:
        return [self[name] for name in WEIGHT_FIELDS.values()]

    def channel_quotas(self) -> dict[str, int]:
        """The per-channel numbers that were given, zero left out."""
        fields = {"call": self.call_quota, "chat": self.chat_quota, "email": self.email_quota}
        return {channel: f.data for channel, f in fields.items() if f.data}

    def validate_agent_ids(self, field: Field) -> None:
        if not field.data and not self.team_ids.data:
            raise ValidationError(_("Choose at least one team or agent."))

    def validate_reviewer_ids(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_("Choose at least one reviewer."))

    def validate(self, extra_validators: dict[str, list[object]] | None = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        if valid and not self.channel_quotas() and not self.per_agent.data:
            self.per_agent.errors.append(_("Give a number per agent, or per channel."))
            return False
        return valid

    def fill(self, plan: SamplingPlan) -> None:
        """Show a saved plan."""
        self.name.data, self.period.data = plan.name, plan.period.value
        self.team_ids.data = [team.id for team in plan.teams]
        self.agent_ids.data = [agent.id for agent in plan.agents]
        self.reviewer_ids.data = [reviewer.id for reviewer in plan.reviewers]
        self.scorecard_id.data, self.is_active.data, self.seed.data = (
            plan.scorecard_id,
            plan.is_active,
            plan.seed,
        )
        self.per_agent.data = plan.per_agent
        for quota in plan.quotas:
            getattr(self, f"{quota.channel.value}_quota").data = quota.count
        self.targeted_per_agent.data = plan.targeted_per_agent
        self.self_reviews_per_agent.data = plan.self_reviews_per_agent
        weights = plan.weights or {kind.value: w for kind, w in DEFAULT_WEIGHTS.items()}
        for kind, name in WEIGHT_FIELDS.items():
            self[name].data = weights.get(kind.value, 0)

    def read(self) -> PlanInput:
        return PlanInput(
            name=self.name.data,
            period=Period(self.period.data),
            per_agent=self.per_agent.data or 0,
            channel_quotas=self.channel_quotas(),
            scorecard_id=self.scorecard_id.data,
            team_ids=self.team_ids.data or [],
            agent_ids=self.agent_ids.data or [],
            reviewer_ids=self.reviewer_ids.data or [],
            is_active=self.is_active.data,
            seed=self.seed.data,
            targeted_per_agent=self.targeted_per_agent.data or 0,
            self_reviews_per_agent=self.self_reviews_per_agent.data or 0,
            signal_weights={
                kind.value: self[name].data or 0 for kind, name in WEIGHT_FIELDS.items()
            },
        )


for _kind, _name in WEIGHT_FIELDS.items():  # one weight per kind of signal, 0: not used
    setattr(
        PlanForm,
        _name,
        IntegerField(
            _kind.value,  # worded per request in __init__
            default=DEFAULT_WEIGHTS.get(_kind, 0),
            validators=[Optional(), NumberRange(min=0, max=MAX_WEIGHT)],
        ),
    )


def _people(*roles: Role) -> list[SelectChoice]:
    stmt = (
        sa.select(User)
        .where(User.role.in_(roles), User.is_active.is_(True))
        .order_by(User.display_name)
    )
    return [
        SelectChoice(str(u.id), f"{u.display_name} ({u.email})") for u in db.session.scalars(stmt)
    ]


def fill_choices(form: PlanForm, plan: SamplingPlan | None) -> None:
    """Teams, active agents and reviewers, and the scorecards that have a published version."""
    teams = db.session.scalars(sa.select(Team).order_by(Team.name))
    form.team_ids.choices = [SelectChoice(str(t.id), t.name) for t in teams]
    form.agent_ids.choices = _people(Role.AGENT)
    form.reviewer_ids.choices = _people(*REVIEWER_ROLES)
    versions = db.session.scalars(
        sa.select(ScorecardVersion)
        .where(ScorecardVersion.status == Status.PUBLISHED)
        .order_by(ScorecardVersion.name)
    )
    form.scorecard_id.choices = [SelectChoice(str(v.scorecard_id), v.name) for v in versions]
    if plan is not None and published_version(plan.scorecard_id) is None:
        form.scorecard_id.choices.append(
            SelectChoice(str(plan.scorecard_id), _("The current scorecard (no published version)"))
        )


class RunForm(BaseForm):
    day = DateField(
        _l("Period containing"),
        validators=[Optional()],
        description=_l("Empty: the current period."),
    )
    submit = SubmitField(_l("Draw and assign"))
