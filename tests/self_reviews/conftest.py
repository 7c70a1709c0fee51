"""The evaluations' small organisation, plus helpers to score and ask for a self-review."""

from __future__ import annotations

from tests.evaluations.conftest import Org, form_values, org  # noqa: F401 (fixture)

REVIEWER = [5, 4, 4, "na", 5, 4, 3, 5]
SELF = [4, 4, 5, "na", 5, 2, 3, 4]


def evaluate(client, people: Org, values=REVIEWER):
    """The reviewer scores the agent's interaction through the scoring page."""
    data = {**form_values(people, values), "action": "submit"}
    return client.submit(
        f"/evaluations/new?interaction={people.interaction_id}", data, token_from="/"
    )


def ask(client, people: Org):
    """A reviewer asks the agent for a self-review of the interaction."""
    path = f"/interactions/{people.interaction_id}/self-review"
    return client.submit(path, {"scorecard_id": people.version_id}, token_from="/")


def score(client, people: Org, review_id: int, values=SELF, action="submit", lock_version=1):
    data = {**form_values(people, values), "action": action, "lock_version": lock_version}
    data["strengths"] = "I listened"
    return client.submit(f"/self-reviews/{review_id}/score", data, token_from="/")
