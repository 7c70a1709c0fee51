"""Reviewer consistency over time, and the flag that follows the admin's tolerance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qa_app.calibration.consistency import recent_sessions
from qa_app.extensions import db

from .conftest import close, new_session, row, score_directly

SCORES = {"Anna": [4, 5, "na"], "Bence": [4, 3, 4], "Chloe": [2, 2, 4]}
# Mean absolute deviation from the median of the others (worked out in test_results.py).
DEVIATION = {"Anna": "1.75", "Bence": "0.50", "Chloe": "1.33"}


def _scored_session(app, org, when: datetime | None = None) -> int:
    session_id = new_session(app, org)
    for reviewer in org.reviewers:
        values = SCORES[reviewer.display_name]
        score_directly(app, org, session_id, reviewer, org.interactions[0], values)
    close(app, session_id, when)
    return session_id


def _flags(client, org) -> dict[str, tuple[str, bool]]:
    body = client.get("/calibration/consistency").get_data(as_text=True)
    cells = {r.display_name: row(body, f"consistency-{r.id}") for r in org.reviewers}
    return {name: (c[2], c[-1] == "Above tolerance") for name, c in cells.items()}


def _set_tolerance(admin, value: str):
    data = {"dispute_window_days": "14", "calibration_tolerance": value}
    return admin.submit("/admin/settings", data, token_from="/")


def test_the_flag_follows_the_tolerance_the_admin_sets(app, org, login_as):
    _scored_session(app, org)
    admin = login_as(user=org.admin)
    assert "0.5" in admin.get("/admin/settings").get_data(as_text=True)  # the default
    assert _flags(admin, org) == {
        "Anna": ("1.75", True),
        "Bence": ("0.50", False),  # equal to the tolerance is not above it
        "Chloe": ("1.33", True),
    }
    assert _set_tolerance(admin, "1.5").status_code == 302
    assert {k: v[1] for k, v in _flags(admin, org).items()} == {
        "Anna": True,
        "Bence": False,
        "Chloe": False,
    }
    assert _set_tolerance(admin, "0.25").status_code == 302
    assert all(flagged for _, flagged in _flags(admin, org).values())


def test_the_tolerance_must_be_a_number_from_0_to_4(app, org, login_as):
    admin = login_as(user=org.admin)
    for bad in ("-1", "4.5", "nan", "lots"):
        response = _set_tolerance(admin, bad)
        assert response.status_code == 200, bad
    with app.app_context():
        from qa_app.admin.models import calibration_tolerance

        assert calibration_tolerance() == 0.5


def test_deviation_is_pooled_over_the_reviewers_sessions(app, org, login_as):
    first = _scored_session(app, org, datetime.now(UTC) - timedelta(days=2))
    second = new_session(app, org)
    anna, bence, chloe = org.reviewers
    score_directly(app, org, second, anna, org.interactions[0], [3, 3, 3])
    score_directly(app, org, second, bence, org.interactions[0], [3, 3, 3])
    score_directly(app, org, second, chloe, org.interactions[0], [3, 3, 5])
    close(app, second)
    body = login_as(user=org.admin).get("/calibration/consistency").get_data(as_text=True)
    # Chloe: gaps 2, 2, 0 in the first session and 0, 0, 2 in the second -> 6 / 6
    assert row(body, f"consistency-{chloe.id}")[1:5] == ["2", "1.00", "50.0%", "50.0%"]
    # Anna: gaps 1, 2.5 (N/A skipped) and 0, 0, 1 (median of 3 and 5 is 4) -> 4.5 / 5
    assert row(body, f"consistency-{anna.id}")[1:5] == ["2", "0.90", "40.0%", "80.0%"]
    assert body.index(f"/calibration/{second}/results") < body.index(
        f"/calibration/{first}/results"
    )  # newest first


def test_only_ended_sessions_the_reviewer_submitted_in_count_newest_first(app, org):
    anna = org.reviewers[0]
    now = datetime.now(UTC)
    ended = [_scored_session(app, org, now - timedelta(days=days)) for days in (3, 1, 2)]
    still_open = new_session(app, org)
    score_directly(app, org, still_open, anna, org.interactions[0], [1, 1, 1])
    not_taken_part = new_session(app, org)
    close(app, not_taken_part)
    with app.app_context():
        assert recent_sessions([anna.id]) == {anna.id: [ended[1], ended[2], ended[0]]}
        assert recent_sessions([anna.id], limit=2) == {anna.id: [ended[1], ended[2]]}
        db.session.rollback()


def test_a_reviewer_sees_only_their_own_consistency(app, org, login_as):
    _scored_session(app, org)
    anna = login_as(user=org.reviewers[0])
    body = anna.get("/calibration/consistency").get_data(as_text=True)
    assert f'id="consistency-{org.reviewers[0].id}"' in body
    assert f'id="consistency-{org.reviewers[1].id}"' not in body
    assert "Bence" not in body
