"""A lead who works in Hungarian writes an action plan: form, messages and statuses in Hungarian.

Needs the compiled Hungarian catalogue (`make translations`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from qa_app.accounts.models import User
from qa_app.extensions import db
from qa_app.plans.models import ActionPlan
from qa_app.scoring.plans import PlanStatus
from qa_app.ui.labels import label
from tests.conftest import choose_language
from tests.plans.test_plans import _setup, saved_plan


def _hungarian(app, user: User) -> User:
    choose_language(app, user.id)
    return user


def test_a_hungarian_lead_fills_in_the_plan_form_in_hungarian(app, login_as, make_user, make_team):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    client = login_as(user=_hungarian(app, lead))
    page = client.get(f"/plans/new?agent={weak.id}").get_data(as_text=True)
    assert f"Új cselekvési terv – {weak.display_name}" in page
    assert f"Fejlesztendő: {first_name}" in page and f"Célátlag – {first_name}" in page
    assert "Kezdő nap" in page and "Terv mentése" in page and "Fejlesztendő terület" in page
    assert f'value="Cselekvési terv – {weak.display_name}"' in page
    refused = client.submit(
        f"/plans/new?agent={weak.id}",
        {"title": "x", "starts_on": "2026-12-01", "due_on": "2026-11-01", f"use_{first_key}": "y"},
        token_from="/",
    ).get_data(as_text=True)
    assert "A határidő nem lehet korábbi a kezdő napnál." in refused
    # A number input holds a dot in every language: the browser shows it as its reader writes.
    assert re.search(r'type="number"[^>]*value="4\.0"', page) and 'value="4,0"' not in page
    saved = client.submit(
        f"/plans/new?agent={weak.id}",
        {
            "title": "Terv",
            "starts_on": date.today().isoformat(),
            "due_on": (date.today() + timedelta(days=30)).isoformat(),
            f"use_{first_key}": "y",
            f"target_{first_key}": "4,5",  # a decimal comma, as Hungarians write it
        },
        token_from="/",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        plan = db.session.scalar(sa.select(ActionPlan))
        assert [float(goal.target_average) for goal in plan.goals] == [4.5]
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "A cselekvési terv mentve. A munkatárs mostantól látja." in shown and ">4,50<" in shown


def test_plan_statuses_have_hungarian_names(app):
    with app.test_request_context(headers={"Accept-Language": "hu"}):
        names = [label(status) for status in PlanStatus]
    assert names == ["Nyitott", "Jó úton halad", "Teljesült", "Nem teljesült"]
    with app.test_request_context():
        assert label(PlanStatus.ON_TRACK) == "On track"


def test_a_hungarian_lead_adds_a_note_and_reads_the_confirmation(
    app, login_as, make_user, make_team
):
    lead, weak, *_rest, first_key, first_name = _setup(app, make_user, make_team)
    plan_id, _goal_id = saved_plan(
        app, weak, lead, first_key, first_name, title="P", days=0, actions=""
    )
    client = login_as(user=_hungarian(app, lead))
    page = client.submit(
        f"/plans/{plan_id}/notes", {"text": "Hétfőn egyeztettünk."}, token_from="/"
    )
    assert page.status_code == 302
    body = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "A megjegyzés hozzáadva." in body and "Megjegyzés hozzáadása" in body
    assert '<p dir="auto" class="prose">Hétfőn egyeztettünk.</p>' in body
