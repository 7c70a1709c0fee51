"""Text that a column cannot hold is refused with a message before it reaches the database.

PostgreSQL answers an over-long VARCHAR with an error (a 500) and SQLite stores it silently, so
every way in checks the column's length: form fields (Length validators), the interaction import
and the scorecard file. A new text field must be listed here, so it cannot be forgotten.
"""

from __future__ import annotations

import sys

import pytest
import sqlalchemy as sa
import yaml
from wtforms import StringField
from wtforms.validators import Length

from qa_app.accounts.forms import ChangePasswordForm, LoginForm
from qa_app.accounts.models import LoginAttempt, Team, User
from qa_app.accounts.two_factor_forms import (
    RecoveryCodesForm,
    SecondStepForm,
    TurnOffForm,
    TurnOnForm,
)
from qa_app.admin.forms import ModelServerForm, TeamForm, UserForm
from qa_app.admin.models import ModelServer
from qa_app.api.forms import TokenForm
from qa_app.api.models import ApiToken
from qa_app.autoqa.forms import PlaygroundForm
from qa_app.calibration.forms import SessionForm
from qa_app.calibration.models import CalibrationSession
from qa_app.connectors.forms import ZendeskForm
from qa_app.connectors.models import HelpdeskConnection
from qa_app.disputes.forms import DisputeForm, ResolveForm
from qa_app.evaluations.forms import EvaluationFormBase
from qa_app.interactions.forms import InteractionForm
from qa_app.interactions.models import Interaction
from qa_app.interactions.validation import PARSERS
from qa_app.plans.forms import NoteForm, PlanFormBase
from qa_app.plans.models import ActionPlan
from qa_app.privacy.forms import AuditFilterForm, CustomerForm, ErasureForm
from qa_app.reviews.forms import ReviewFormBase
from qa_app.rootcauses.forms import ItemForm, NameForm
from qa_app.rootcauses.models import RootCause, RootCauseCategory
from qa_app.sampling.forms import PlanForm
from qa_app.sampling.models import SamplingPlan
from qa_app.scorecard_editor.forms import CriterionForm, MoveForm, SectionForm
from qa_app.scorecards.forms import SettingsForm
from qa_app.scorecards.models import Criterion, ScorecardVersion, Section
from qa_app.scorecards.schema import (
    SHIPPED_DIR,
    ScorecardSchemaError,
    dump_scorecard_yaml,
    load_shipped_template,
    validate_scorecard_data,
)
from qa_app.signals.forms import PhraseListForm
from qa_app.signals.models import EscalationPhraseList
from qa_app.sso.forms import MappingForm, SsoSettingsForm
from qa_app.sso.models import SsoProvider, SsoRoleMapping
from qa_app.textinput import BaseForm
from qa_app.webhooks.forms import EndpointForm
from qa_app.webhooks.models import WebhookEndpoint

# Each form text field stored in a String(n) column, and that column.
STORED = {
    (LoginForm, "email"): LoginAttempt.email,
    (UserForm, "email"): User.email,
    (UserForm, "display_name"): User.display_name,
    (TeamForm, "name"): Team.name,
    (ModelServerForm, "base_url"): ModelServer.base_url,
    (ModelServerForm, "model"): ModelServer.model,
    (EndpointForm, "url"): WebhookEndpoint.url,
    (EndpointForm, "description"): WebhookEndpoint.description,
    (ZendeskForm, "base_url"): HelpdeskConnection.base_url,
    (ZendeskForm, "email"): HelpdeskConnection.email,
    (SessionForm, "name"): CalibrationSession.name,
    (PhraseListForm, "language"): EscalationPhraseList.language,
    (PlanFormBase, "title"): ActionPlan.title,
    (PlanForm, "name"): SamplingPlan.name,
    (SectionForm, "name"): Section.name,
    (CriterionForm, "name"): Criterion.name,
    (NameForm, "name"): RootCauseCategory.name,  # a cause's name has the same length
    (ItemForm, "name"): RootCause.name,
    (SettingsForm, "name"): ScorecardVersion.name,
    (SettingsForm, "language"): ScorecardVersion.language,
    (TokenForm, "name"): ApiToken.name,
    **{(SettingsForm, f"label_{n}"): getattr(ScorecardVersion, f"label_{n}") for n in range(1, 6)},
    (CustomerForm, "customer_ref"): Interaction.customer_ref,  # looked up, not stored
    (ErasureForm, "customer_ref"): Interaction.customer_ref,
    (SsoSettingsForm, "name"): SsoProvider.name,
    (SsoSettingsForm, "issuer"): SsoProvider.issuer,
    (SsoSettingsForm, "client_id"): SsoProvider.client_id,
    (SsoSettingsForm, "role_claim"): SsoProvider.role_claim,
    (MappingForm, "claim_value"): SsoRoleMapping.claim_value,
}
# Text fields stored in unbounded Text columns, or not stored as typed (and why).
UNBOUNDED_OR_NOT_STORED = {
    (SessionForm, "interactions"),  # a list of interaction ids, read as numbers
    (DisputeForm, "reason"),
    (ResolveForm, "note"),
    (EvaluationFormBase, "strengths"),
    (EvaluationFormBase, "improvements"),
    (EvaluationFormBase, "reason"),
    (EvaluationFormBase, "action"),  # the button pressed, compared with "submit"
    (NoteForm, "text"),
    (ReviewFormBase, "comment"),
    (CriterionForm, "description"),
    (CriterionForm, "anchor_1"),
    (CriterionForm, "anchor_3"),
    (CriterionForm, "anchor_5"),
    (CriterionForm, "coaching_tips"),
    (CriterionForm, "rule_text"),  # read as YAML and stored as a JSON rule
    (PlaygroundForm, "transcript"),  # the playground stores nothing
    (PlaygroundForm, "interaction"),
    (PlaygroundForm, "language"),
    (SettingsForm, "description"),
    (PhraseListForm, "phrases"),  # one phrase per line, each checked, stored as a JSON list
    (MoveForm, "direction"),  # "up" or "down"
    (ItemForm, "action"),  # the button pressed: rename, retire, restore, up or down
    *((InteractionForm, name) for name in PARSERS),  # checked by the import's rules, below
    *((ChangePasswordForm, name) for name in ("current_password", "new_password", "confirm")),
    (UserForm, "password"),  # only its hash is stored
    (ModelServerForm, "api_key"),  # stored encrypted, in a Text column
    (ZendeskForm, "api_token"),  # stored encrypted, in a Text column
    (SsoSettingsForm, "client_secret"),  # stored encrypted, in a Text column
    (LoginForm, "password"),
    (AuditFilterForm, "actor"),  # a filter: a part of an email, never stored
    # Two-factor codes are checked, never stored; the password only against its hash.
    *((form, "code") for form in (SecondStepForm, TurnOnForm, RecoveryCodesForm, TurnOffForm)),
    (TurnOffForm, "password"),
}


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found))


def _declared(form: type) -> bool:
    """A form class of a module; the classes built per request (comments per criterion, actions
    per goal) hold text areas stored in Text columns."""
    return getattr(sys.modules[form.__module__], form.__name__, None) is form


def _text_fields() -> set[tuple[type, str]]:
    return {
        (form, name)
        for form in filter(_declared, _subclasses(BaseForm))
        for name, value in vars(form).items()
        if getattr(value, "field_class", None) and issubclass(value.field_class, StringField)
    }


def _length_max(form: type, name: str) -> int | None:
    validators = getattr(form, name).kwargs.get("validators", ())
    limits = [v.max for v in validators if isinstance(v, Length) and v.max >= 0]
    return min(limits) if limits else None


def test_every_form_text_field_is_listed():
    listed = set(STORED) | {
        (form, name) for form, name in UNBOUNDED_OR_NOT_STORED if issubclass(form, BaseForm)
    }
    unlisted = sorted(f"{form.__name__}.{name}" for form, name in _text_fields() - listed)
    assert not unlisted, f"say where these text fields are stored: {unlisted}"


@pytest.mark.parametrize(("form", "name"), sorted(STORED, key=lambda key: str(key)))
def test_a_form_field_allows_no_more_than_its_column_holds(form, name):
    column = STORED[form, name].property.columns[0]
    assert isinstance(column.type, sa.String) and column.type.length
    limit = _length_max(form, name)
    assert limit is not None and limit <= column.type.length, (
        f"{form.__name__}.{name}: Length(max={limit}) for {column.table.name}.{column.name} "
        f"of {column.type.length} characters"
    )


# An import column, a valid value of exactly the column's length, and what to lengthen it with.
IMPORT_COLUMNS = {
    "external_id": (Interaction.external_id, lambda n: "x" * n),
    "customer_ref": (Interaction.customer_ref, lambda n: "c" * n),
    "subject": (Interaction.subject, lambda n: "s" * n),
    "language": (Interaction.language, lambda n: "pt-" + "-".join(["abcdefgh"] * 9)[: n - 3]),
    "recording_url": (Interaction.recording_url, lambda n: "https://example.com/" + "a" * (n - 20)),
}


@pytest.mark.parametrize("name", sorted(IMPORT_COLUMNS))
def test_the_import_refuses_text_longer_than_its_column(app, name):
    attribute, valid = IMPORT_COLUMNS[name]
    length = attribute.property.columns[0].type.length
    with app.test_request_context("/"):
        assert PARSERS[name](valid(length)) == valid(length)
        with pytest.raises(ValueError):
            PARSERS[name](valid(length) + "x")


def _scorecard_data() -> dict:
    doc = load_shipped_template(SHIPPED_DIR / "phone.yaml")
    return yaml.safe_load(dump_scorecard_yaml(doc))


def _set_name(data: dict, value: str) -> None:
    data["name"] = value


def _set_label(data: dict, value: str) -> None:
    data["scale"][1] = value


def _set_section(data: dict, value: str) -> None:
    data["sections"][0]["name"] = value


def _set_criterion(data: dict, value: str) -> None:
    data["sections"][0]["criteria"][0]["name"] = value


# A scorecard file's texts stored in String(n) columns, and how to set each.
SCORECARD_TEXTS = {
    "name": (ScorecardVersion.name, _set_name),
    "scale label": (ScorecardVersion.label_1, _set_label),
    "section name": (Section.name, _set_section),
    "criterion name": (Criterion.name, _set_criterion),
}


@pytest.mark.parametrize("what", sorted(SCORECARD_TEXTS))
def test_a_scorecard_file_refuses_text_longer_than_its_column(what):
    attribute, put = SCORECARD_TEXTS[what]
    length = attribute.property.columns[0].type.length
    data = _scorecard_data()
    put(data, "n" * length)
    validate_scorecard_data(data)
    for refused in ("n" * (length + 1), "nul\x00inside", "bell\x07"):
        put(data, refused)
        with pytest.raises(ScorecardSchemaError):
            validate_scorecard_data(data)
