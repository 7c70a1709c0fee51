"""A stored scorecard feeds the pure scoring rules with its weights, N/A and critical flags."""

from __future__ import annotations

from decimal import Decimal

import pytest

from qa_app.extensions import db
from qa_app.scorecard_editor import services as editing
from qa_app.scorecards import services
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scoring import round_score, score_evaluation


def _fields(name: str, weight: str, *, allow_na=False, critical=False) -> editing.CriterionFields:
    return editing.CriterionFields(
        name=name,
        description=name,
        anchor_1="1",
        anchor_3="3",
        anchor_5="5",
        weight=Decimal(weight),
        allow_na=allow_na,
        is_critical=critical,
        coaching_tips="",
    )


@pytest.fixture
def card(app, make_user):
    from qa_app.accounts.models import Role, User

    author = make_user(Role.REVIEWER)
    with app.app_context():
        settings = services.Settings(
            "Weights", "", "en", ["call"], Decimal(80), services.default_labels()
        )
        version = services.create_scorecard(db.session.get(User, author.id), settings)
        section = version.sections[0]
        editing.save_criterion(section, _fields("Resolution", "2", critical=True))
        editing.save_criterion(section, _fields("Tone", "1"))
        editing.save_criterion(section, _fields("Hold etiquette", "1", allow_na=True))
        services.publish(version)
        db.session.commit()
        return version.id


def _score(app, version_id, values):
    with app.app_context():
        version = db.session.get(ScorecardVersion, version_id)
        specs = services.criterion_specs(version)
        ratings = {spec.key: value for spec, value in zip(specs, values, strict=True)}
        return score_evaluation(specs, ratings)


def test_weights_two_one_one_with_five_three_na_score_83_33(app, card):
    result = _score(app, card, [5, 3, None])
    assert round_score(result.score) == 83.33 and not result.critical_fail


def test_a_critical_criterion_scored_two_zeroes_the_score(app, card):
    result = _score(app, card, [2, 5, 5])
    assert result.score == 0 and result.critical_fail
