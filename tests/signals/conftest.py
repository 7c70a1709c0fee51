"""The Auto QA tests' published chat scorecard with two rules, shared by the signals tests."""

from tests.autoqa.conftest import rules_card  # noqa: F401
