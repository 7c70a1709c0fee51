"""Top root causes on the result pages and in the coaching report, against a raw count."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import count

import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.evaluations import services as evaluations
from qa_app.evaluations.models import Evaluation
from qa_app.extensions import db
from qa_app.interactions.models import Interaction
from qa_app.results.causes import root_causes
from qa_app.results.periods import Filters
from qa_app.results.verify import compare_all
from qa_app.rootcauses.models import RootCause
from qa_app.scorecards.models import ScorecardVersion
from tests.conftest import choose_language
from tests.evaluations.conftest import make_interaction
from tests.reports.raw import download

NOVEMBER = Filters("custom", date(2026, 11, 1), date(2026, 11, 30))
_NUMBERS = count(1)


def _evaluate(org, agent_id: int, picks: dict[int, set[int]], *, submit=True, calibration=False):
    """An evaluation of a new interaction: the first criteria get 2 and the given causes."""
    version = db.session.get(ScorecardVersion, org.version_id)
    interaction = db.session.get(Interaction, make_interaction(agent_id, f"X-{next(_NUMBERS)}"))
    reviewer = db.session.get(User, org.reviewer.id)
    evaluation = evaluations.start(interaction, version, reviewer)
    values = {}
    for index, criterion in enumerate(version.ordered_criteria):
        causes = frozenset(picks.get(index, set()))
        point = 2 if index in picks else 4
        values[criterion.id] = evaluations.CriterionInput(point, False, "", causes)
    data = evaluations.EvaluationInput(values, "", "")
    evaluations.save(evaluation, data, reviewer, submit=submit, lock_version=None)
    evaluation.is_calibration = calibration
    db.session.commit()


def _world(app, org, causes) -> None:
    with app.app_context():
        _evaluate(org, org.agent.id, {0: {causes.policy, causes.tool}, 1: {causes.policy}})
        _evaluate(org, org.agent.id, {0: {causes.policy}})
        _evaluate(org, org.other_agent.id, {2: {causes.billing}})
        _evaluate(org, org.other_agent.id, {0: {causes.tool}}, submit=False)  # a draft
        _evaluate(org, org.agent.id, {0: {causes.billing}}, calibration=True)


def _raw(agent_ids: set[int] | None) -> Counter[str]:
    """Every pick on a score of 1-3 of a submitted, non-calibration evaluation, in Python."""
    found: Counter[str] = Counter()
    for evaluation in db.session.scalars(sa.select(Evaluation)):
        if not evaluation.is_submitted or evaluation.is_calibration:
            continue
        if agent_ids is not None and evaluation.interaction.agent_id not in agent_ids:
            continue
        for score in evaluation.scores:
            if score.score is not None and score.score <= 3:  # a raised score's picks stop counting
                found.update(cause.name for cause in score.root_causes)
    return found


def test_the_top_causes_equal_a_raw_count(app, org, causes):
    _world(app, org, causes)
    with app.app_context():
        for agent_ids in (None, {org.agent.id}, {org.other_agent.id}):
            rows = root_causes(NOVEMBER, None if agent_ids is None else list(agent_ids))
            raw = _raw(agent_ids)
            assert {row.cause: row.count for row in rows} == dict(raw)
            total = sum(raw.values())
            assert [round(row.share, 6) for row in rows] == [
                round(raw[row.cause] / total * 100, 6) for row in rows
            ]
        top = root_causes(NOVEMBER, [org.agent.id])[0]
        assert (top.category, top.cause, top.count) == ("Knowledge", "Product policy", 3)
        first, second = org.criteria[0]["name"], org.criteria[1]["name"]
        assert top.criteria == [(first, 2), (second, 1)]
        assert root_causes(Filters("custom", date(2026, 12, 1), date(2026, 12, 31)), None) == []


def test_each_result_page_shows_its_own_scope(app, login_as, org, causes):
    _world(app, org, causes)
    period = "?period=month&from=2026-11-01"
    agent = login_as(user=org.agent)
    own = agent.get(f"/results/agents/{org.agent.id}{period}").get_data(True)
    assert "Top root causes" in own and "Product policy" in own and "Billing rules" not in own
    assert agent.get(f"/results/agents/{org.other_agent.id}{period}").status_code == 404
    lead = login_as(user=org.other_lead)
    team = lead.get(f"/results/{period}", follow_redirects=True).get_data(True)
    assert "Billing rules" in team and "Product policy" not in team
    whole = login_as("admin").get(f"/results/{period}").get_data(True)
    assert "Product policy" in whole and "Billing rules" in whole
    choose_language(app, org.agent.id)
    hungarian = agent.get(f"/results/agents/{org.agent.id}{period}").get_data(True)
    assert "Leggyakoribb kiváltó okok" in hungarian and "Top root causes" not in hungarian


def test_the_coaching_report_summary_has_a_root_cause_table(app, login_as, org, causes):
    _world(app, org, causes)
    with app.app_context():
        db.session.get(RootCause, causes.tool).name = "=HYPERLINK(1)"
        db.session.commit()
    lead = login_as(user=org.lead)
    book, _ = download(lead, f"/reports/agents/{org.agent.id}.xlsx?period=month&from=2026-11-01")
    sheet = book["Summary"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(["Category", "Root cause", "Picks", "Share", "Picked on"])
    body = {row[1]: row for row in rows[header + 1 :] if row[1]}
    assert body["Product policy"][2] == 3
    assert abs(body["Product policy"][3] - 0.75) < 1e-9
    assert body["=HYPERLINK(1)"][2] == 1
    cell = next(c for r in sheet.iter_rows() for c in r if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s" and cell.quotePrefix


def test_the_kept_counts_follow_edits_of_causes_and_scores(app, org, causes):
    """Picks added, dropped, and a score raised above 3 on a submitted evaluation: the counts the
    pages read stay equal to the base tables, and `flask results check` finds nothing."""
    _world(app, org, causes)
    with app.app_context():
        evaluation = db.session.scalars(
            sa.select(Evaluation).where(Evaluation.status == "submitted").order_by(Evaluation.id)
        ).first()
        version = evaluation.scorecard_version
        reviewer = db.session.get(User, org.reviewer.id)
        values = {}
        for index, criterion in enumerate(version.ordered_criteria):
            point, picked = {0: (3, {causes.billing}), 1: (4, set())}.get(index, (4, set()))
            values[criterion.id] = evaluations.CriterionInput(point, False, "", frozenset(picked))
        data = evaluations.EvaluationInput(values, "", "")
        evaluations.save(
            evaluation,
            data,
            reviewer,
            submit=True,
            lock_version=evaluation.lock_version,
            reason="Heard the call again",
        )
        db.session.commit()
        for agent_ids in (None, {org.agent.id}):
            rows = root_causes(NOVEMBER, None if agent_ids is None else list(agent_ids))
            assert {row.cause: row.count for row in rows} == dict(_raw(agent_ids))
        counts = {row.cause: row.count for row in root_causes(NOVEMBER, [org.agent.id])}
        assert counts == {"Product policy": 1, "Billing rules": 1}
        assert [d for d in compare_all(db.session.connection()) if d.rows] == []
