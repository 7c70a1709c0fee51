"""Every slice's models, loaded by one explicit call so Alembic sees the whole schema."""

from __future__ import annotations

from importlib import import_module

# The slices that own tables; tests/test_architecture.py checks the list is complete.
SLICES_WITH_MODELS = (
    "audit",
    "accounts",
    "admin",
    "scorecards",
    "rootcauses",
    "interactions",
    "autoqa",
    "evaluations",
    "self_reviews",
    "disputes",
    "reviews",
    "signals",
    "calibration",
    "jobs",
    "results",
    "plans",
    "sampling",
    "notifications",
    "webhooks",
    "connectors",
)


def import_models() -> None:
    """Import each slice's models module, so every table is mapped before migrations or queries."""
    for name in SLICES_WITH_MODELS:
        import_module(f"{__package__}.{name}.models")
