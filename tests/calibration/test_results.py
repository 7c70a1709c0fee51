"""The results page: spread, agreement with the benchmark and alpha, checked independently."""

from __future__ import annotations

import math
import re
import statistics

import pytest

from qa_app.scoring.agreement import krippendorff_alpha_ordinal

from .conftest import close, new_session, row, score_directly

# One interaction, three criteria (the third allows N/A); Anna's N/A is missing data.
SCORES = {"Anna": [4, 5, "na"], "Bence": [4, 3, 4], "Chloe": [2, 2, 4]}


@pytest.fixture
def scored(app, org):
    """A closed session in which all three reviewers submitted SCORES; returns its id."""

    def make(expert=None) -> int:
        session_id = new_session(app, org, expert=expert)
        for reviewer in org.reviewers:
            values = SCORES[reviewer.display_name]
            score_directly(app, org, session_id, reviewer, org.interactions[0], values)
        close(app, session_id)
        return session_id

    return make


def _values(name: str) -> list[int | None]:
    return [None if v == "na" else v for v in SCORES[name]]


def _agreement(mine: list[int | None], benchmark: list[float | None]) -> tuple[str, str, str]:
    gaps = [abs(m - b) for m, b in zip(mine, benchmark, strict=True) if None not in (m, b)]
    mad = sum(gaps) / len(gaps)
    exact = 100 * sum(g == 0 for g in gaps) / len(gaps)
    within = 100 * sum(g <= 1 for g in gaps) / len(gaps)
    return f"{mad:.2f}", f"{exact:.1f}%", f"{within:.1f}%"


def _median_of_others(name: str) -> list[float | None]:
    others = [_values(other) for other in SCORES if other != name]
    columns = zip(*others, strict=True)
    return [
        statistics.median(present) if (present := [v for v in col if v is not None]) else None
        for col in columns
    ]


def _results(client, session_id: int) -> str:
    response = client.get(f"/calibration/{session_id}/results")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_spread_per_criterion_is_min_max_and_standard_deviation(app, org, login_as, scored):
    session_id = scored()
    body = _results(login_as(user=org.reviewers[0]), session_id)
    for index, criterion_id in enumerate(org.criteria):
        given = [v for name in SCORES if (v := _values(name)[index]) is not None]
        mean = sum(given) / len(given)
        stdev = math.sqrt(sum((v - mean) ** 2 for v in given) / len(given))
        cells = row(body, f"spread-{org.interactions[0]}-{criterion_id}")
        assert cells[1:] == [str(len(given)), str(min(given)), str(max(given)), f"{stdev:.2f}"]


def test_widest_spread_is_listed_first(app, org, login_as, scored):
    body = _results(login_as(user=org.reviewers[0]), scored())
    order = re.findall(r'<tr id="spread-\d+-(\d+)"', body)
    # Empathy (5, 3, 2) is wider than Greeting (4, 4, 2), which is wider than Follow-up (4, 4)
    assert [int(i) for i in order] == [org.criteria[1], org.criteria[0], org.criteria[2]]
    assert "their anchors may need rewriting" in body


def test_without_an_expert_each_reviewer_is_compared_with_the_median_of_the_others(
    app, org, login_as, scored
):
    body = _results(login_as(user=org.reviewers[0]), scored())
    for reviewer in org.reviewers:
        name = reviewer.display_name
        expected = _agreement(_values(name), _median_of_others(name))
        assert row(body, f"reviewer-{reviewer.id}")[1:4] == list(expected), name
    # by hand: Anna 1 and 2.5 from the medians 3 and 2.5; Bence 1, 0.5, 0; Chloe 2, 2, 0
    assert row(body, f"reviewer-{org.reviewers[0].id}")[1:4] == ["1.75", "0.0%", "50.0%"]
    assert row(body, f"reviewer-{org.reviewers[1].id}")[1:4] == ["0.50", "33.3%", "100.0%"]
    assert row(body, f"reviewer-{org.reviewers[2].id}")[1:4] == ["1.33", "33.3%", "33.3%"]


def test_with_an_expert_the_others_are_compared_with_the_experts_scores(app, org, login_as, scored):
    bence = org.reviewers[1]
    body = _results(login_as(user=org.reviewers[0]), scored(expert=bence))
    expert_values = [float(v) if v is not None else None for v in _values("Bence")]
    for reviewer in (org.reviewers[0], org.reviewers[2]):
        expected = _agreement(_values(reviewer.display_name), expert_values)
        assert row(body, f"reviewer-{reviewer.id}")[1:4] == list(expected)
    assert row(body, f"reviewer-{org.reviewers[0].id}")[1:4] == ["1.00", "50.0%", "50.0%"]
    assert row(body, f"reviewer-{org.reviewers[2].id}")[1:4] == ["1.00", "33.3%", "66.7%"]
    # the expert is measured against the median of the others
    expert_row = row(body, f"reviewer-{bence.id}")
    assert expert_row[0] == "Bence Expert"
    assert expert_row[1:4] == list(_agreement(_values("Bence"), _median_of_others("Bence")))


def test_alpha_on_the_page_equals_the_scoring_module_on_the_same_data(app, org, login_as, scored):
    body = _results(login_as(user=org.reviewers[0]), scored())
    units = {
        criterion_id: {name: _values(name)[index] for name in SCORES}
        for index, criterion_id in enumerate(org.criteria)
    }
    expected = krippendorff_alpha_ordinal(units)
    assert re.search(r'class="alpha-value">([^<]+)<', body).group(1) == f"{expected.alpha:.3f}"
    assert re.search(r'class="alpha-reading">([^<]+)<', body).group(1) == expected.reading
    assert re.search(r'class="alpha-units">(\d+)<', body).group(1) == str(expected.units)
    # Worked by hand (ordinal mid-ranks 1, 2.5, 5, 7.5; D_o = 101.5, D_e = 584, n = 8):
    assert f"{expected.alpha:.3f}" == f"{1 - 7 * 101.5 / 584:.3f}" == "-0.217"


def test_alpha_of_a_small_session_worked_by_hand(app, org, login_as):
    anna, bence = org.reviewers[:2]
    session_id = new_session(app, org, participants=[anna, bence])
    score_directly(app, org, session_id, anna, org.interactions[0], [4, 2, 5])
    score_directly(app, org, session_id, bence, org.interactions[0], [4, 3, 5])
    close(app, session_id)
    body = _results(login_as(user=anna), session_id)
    # values 2, 3, 4, 4, 5, 5: mid-ranks 0.5, 1.5, 3, 5; only the pair (2, 3) disagrees:
    # D_o = 2 x 1^2 = 2, D_e = 198, alpha = 1 - (6 - 1) x 2 / 198 = 0.949
    assert re.search(r'class="alpha-value">([^<]+)<', body).group(1) == "0.949"
    assert re.search(r'class="alpha-reading">([^<]+)<', body).group(1) == "reliable"
    assert re.search(r'class="alpha-units">(\d+)<', body).group(1) == "3"


def test_the_chart_is_svg_and_its_numbers_are_in_a_table(app, org, login_as, scored):
    session_id = scored()
    client = login_as(user=org.reviewers[0])
    chart = client.get(f"/calibration/{session_id}/scores.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert chart.get_data(as_text=True).lstrip().startswith("<?xml")
    body = _results(client, session_id)
    for index, criterion_id in enumerate(org.criteria):
        cells = row(body, f"scores-{org.interactions[0]}-{criterion_id}")
        expected = ["N/A" if v == "na" else str(v) for v in (SCORES[n][index] for n in SCORES)]
        assert cells[1:] == expected


def test_a_session_with_several_interactions_counts_each_pair_as_a_unit(app, org, login_as):
    anna, bence = org.reviewers[:2]
    session_id = new_session(app, org, participants=[anna, bence], interactions=org.interactions)
    given = {
        (anna, org.interactions[0]): [4, 4, 4],
        (anna, org.interactions[1]): [2, 3, "na"],
        (bence, org.interactions[0]): [4, 3, 4],
        (bence, org.interactions[1]): [2, 3, 5],
    }
    units: dict[tuple[int, int], dict[str, int | None]] = {}
    for (reviewer, interaction_id), values in given.items():
        score_directly(app, org, session_id, reviewer, interaction_id, values)
        for criterion_id, value in zip(org.criteria, values, strict=True):
            coded = units.setdefault((interaction_id, criterion_id), {})
            coded[reviewer.display_name] = None if value == "na" else value
    close(app, session_id)
    body = _results(login_as(user=anna), session_id)
    expected = krippendorff_alpha_ordinal(units)
    assert expected.units == 5  # Anna's N/A leaves one unit with a single value
    assert re.search(r'class="alpha-units">(\d+)<', body).group(1) == "5"
    assert re.search(r'class="alpha-value">([^<]+)<', body).group(1) == f"{expected.alpha:.3f}"
    # criterion, interaction, then count, min, max and standard deviation of the one value
    cells = row(body, f"spread-{org.interactions[1]}-{org.criteria[2]}")
    assert cells[2:] == ["1", "5", "5", "0.00"]


def test_an_empty_ended_session_shows_its_results_without_error(app, org, login_as):
    session_id = new_session(app, org)
    close(app, session_id)
    client = login_as(user=org.reviewers[0])  # the leader
    body = _results(client, session_id)
    assert "Nobody submitted scores in this session" in body
    assert "not enough data" in body
    assert client.get(f"/calibration/{session_id}/scores.svg").status_code == 200
