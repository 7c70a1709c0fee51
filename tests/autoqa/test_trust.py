"""The trust page: its figures are qa_app.scoring's on the stored (human, rule) pairs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qa_app.accounts.models import Role, User
from qa_app.autoqa.models import AutoResult, AutoSuggestion
from qa_app.autoqa.queries import Period
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation, EvaluationScore, EvaluationStatus
from qa_app.extensions import db
from qa_app.interactions.models import Channel, Interaction
from qa_app.rules import Outcome
from qa_app.scorecards.models import ScorecardVersion
from qa_app.scorecards.schema import SHIPPED_DIR, load_shipped_template
from qa_app.scorecards.services import import_doc
from qa_app.scoring.agreement import krippendorff_alpha_ordinal
from qa_app.trust.queries import trust_report
from qa_app.ui.filters import format_number, format_pct

DAY = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
NA, CANNOT = "n/a", "cannot"
# Criterion 0 (no N/A) and criterion 4 (N/A allowed): (reviewer, rule) per interaction.
FIRST = [(5, 5), (4, 5), (3, 3), (5, 1), (1, 1), (2, CANNOT)]
GAPS = [(2, 2), (5, 5), (NA, 4), (2, 5), (4, 4), (3, NA)]
QUERY = "/autoqa/trust?from=2026-05-01&to=2026-05-31"


def _suggestion(criterion_id: int, value: int | str) -> AutoSuggestion:
    if value == CANNOT:
        return AutoSuggestion(criterion_id=criterion_id, outcome=Outcome.CANNOT_DECIDE)
    if value == NA:
        return AutoSuggestion(criterion_id=criterion_id, outcome=Outcome.NOT_APPLICABLE)
    return AutoSuggestion(criterion_id=criterion_id, outcome=Outcome.POINT, point=value)


def _evaluate(interaction, version, reviewer, human: dict[int, int | str]) -> None:
    values = {
        c.id: evaluations.CriterionInput(
            None if human.get(c.id, 3) == NA else human.get(c.id, 3), human.get(c.id) == NA, ""
        )
        for c in version.ordered_criteria
    }
    evaluation = evaluations.start(interaction, version, reviewer)
    data = evaluations.EvaluationInput(values, "", "")
    evaluations.save(evaluation, data, reviewer, submit=True, lock_version=None)


def _interaction(agent_id: int, n: int, at: datetime) -> Interaction:
    row = Interaction(external_id=f"T-{n}", channel=Channel.CHAT, agent_id=agent_id, occurred_at=at)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def dataset(app, make_user) -> tuple[int, int]:
    """Six scored interactions in May, plus rows the page must ignore; returns the criteria."""
    agent, reviewer = make_user(Role.AGENT), make_user(Role.REVIEWER)
    with app.app_context():
        version = import_doc(
            load_shipped_template(SHIPPED_DIR / "chat.yaml"), None, publish_now=True
        )
        criteria = version.ordered_criteria
        first, gaps = criteria[0].id, criteria[4].id
        reviewer_row = db.session.get(User, reviewer.id)
        for n, (one, two) in enumerate(zip(FIRST, GAPS, strict=True)):
            interaction = _interaction(agent.id, n, DAY + timedelta(hours=n))
            if n == 3:  # an earlier evaluation of the same interaction: the latest one counts
                _evaluate(interaction, version, reviewer_row, {first: 1, gaps: 1})
            _evaluate(interaction, version, reviewer_row, {first: one[0], gaps: two[0]})
            suggestions = [_suggestion(first, one[1]), _suggestion(gaps, two[1])]
            db.session.add(
                AutoResult(
                    interaction_id=interaction.id,
                    scorecard_version_id=version.id,
                    suggestions=suggestions,
                )
            )
        _ignored(version, agent.id, reviewer_row, first)
        db.session.commit()
        return first, gaps


def _ignored(version: ScorecardVersion, agent_id: int, reviewer: User, first: int) -> None:
    """A calibration evaluation, a draft and an interaction of June: none is a pair of May."""
    calibration = _interaction(agent_id, 100, DAY)
    db.session.add(
        Evaluation(
            interaction_id=calibration.id,
            scorecard_version_id=version.id,
            reviewer_id=reviewer.id,
            status=EvaluationStatus.SUBMITTED,
            submitted_at=DAY,
            is_calibration=True,
            scores=[EvaluationScore(criterion_id=first, score=1)],
        )
    )
    draft = _interaction(agent_id, 101, DAY)
    evaluations.start(draft, version, reviewer)
    june = _interaction(agent_id, 102, DAY + timedelta(days=40))
    _evaluate(june, version, reviewer, {first: 1})
    for row in (calibration, draft, june):
        db.session.add(
            AutoResult(
                interaction_id=row.id,
                scorecard_version_id=version.id,
                suggestions=[_suggestion(first, 5)],
            )
        )


def _units(criterion_id: int, values) -> dict:
    def plain(value):
        return value if isinstance(value, int) else None

    return {(n, criterion_id): {"h": plain(h), "m": plain(m)} for n, (h, m) in enumerate(values)}


def test_the_trust_figures_are_the_scoring_modules_on_a_fixed_dataset(app, dataset):
    first, gaps = dataset
    with app.app_context():
        report = trust_report(Period(DAY.date().replace(day=1), DAY.date().replace(day=31)))
    rows = {row.criterion_id: row.figures for row in report.criteria}
    # By hand. Criterion 0: 5 pairs (the sixth could not be decided), gaps 0 1 0 4 0.
    assert (rows[first].pairs, rows[first].exact_pct, rows[first].within_one_pct) == (5, 60, 80)
    assert rows[first].alpha == krippendorff_alpha_ordinal(_units(first, FIRST))
    # Criterion 4: two N/A leave 4 pairs, gaps 0 0 3 0.
    assert (rows[gaps].pairs, rows[gaps].exact_pct, rows[gaps].within_one_pct) == (4, 75, 75)
    assert rows[gaps].alpha == krippendorff_alpha_ordinal(_units(gaps, GAPS))
    overall = report.overall
    assert (overall.pairs, overall.exact_pct) == (9, 100 * 6 / 9)
    assert overall.within_one_pct == 100 * 7 / 9
    both = _units(first, FIRST) | _units(gaps, GAPS)
    assert overall.alpha == krippendorff_alpha_ordinal(both)
    # Criterion 4 has fewer than five pairs, so it comes after the ranked criterion 0.
    assert [row.criterion_id for row in report.criteria] == [first, gaps]


def test_the_page_shows_the_figures_and_links_the_disagreements(app, login_as, dataset):
    first, _gaps = dataset
    response = login_as(Role.REVIEWER).get(QUERY)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    with app.test_request_context():
        expected_alpha = format_number(krippendorff_alpha_ordinal(_units(first, FIRST)).alpha, 3)
        shown = [format_pct(60.0), format_pct(80.0), expected_alpha]
    row = html.split(f'id="criterion-{first}"')[1].split("</tr>")[0]
    assert all(value in row for value in shown)
    assert '<a href="#disagree-' in row
    links = html.split(f'id="disagree-{first}"')[1].split("</section>")[0]
    assert "T-3" in links and "T-1" in links and "T-0" not in links  # only where they differ
    assert "T-102" not in html and "T-100" not in html


def test_agents_and_leads_cannot_open_the_trust_page(login_as):
    assert login_as(Role.AGENT).get(QUERY).status_code == 403
    assert login_as(Role.LEAD).get(QUERY).status_code == 403
    assert login_as(Role.ADMIN).get(QUERY).status_code == 200
