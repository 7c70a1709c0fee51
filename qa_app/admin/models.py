"""Organisation-wide settings an admin can change."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.models import AuditAction
from ..audit.services import record_event
from ..extensions import db

DEFAULTS = {"dispute_window_days": "14", "calibration_tolerance": "0.5"}
DEFAULTS["email_shows_score"] = "0"  # "1": a new evaluation's email shows its score
DEFAULTS["acknowledge_within_days"] = "7"  # notifications remind agents, leads see who is late
DEFAULTS["transcript_retention_months"] = "0"  # "0": for ever (docs/privacy.md)
DEFAULTS["appeals_per_evaluation"] = "1"  # disputes an agent may raise on one evaluation in all
DEFAULTS["require_two_factor"] = "0"  # "1": admins and reviewers must use two-factor sign-in


class AppSetting(db.Model):
    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


def get_setting(key: str) -> str:
    """The stored value, or the default."""
    row = db.session.get(AppSetting, key)
    return row.value if row is not None else DEFAULTS[key]


def set_setting(key: str, value: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(AppSetting, key)
    before = row.value if row is not None else DEFAULTS[key]
    if before != value:  # a change of an organisation-wide rule is in the audit log
        detail = {"setting": key, "from": before, "to": value}
        record_event(AuditAction.SETTINGS_CHANGED, target=f"setting {key}", detail=detail)
    if row is None:
        db.session.add(AppSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()


def dispute_window_days() -> int:
    """How many days after submission an agent may dispute an evaluation."""
    return int(get_setting("dispute_window_days"))


def retention_months() -> int | None:
    """How many months transcripts and recording links are kept; None: for ever."""
    return int(get_setting("transcript_retention_months")) or None


def appeals_per_evaluation() -> int:
    """How many disputes one evaluation may have in all, decided ones included."""
    return int(get_setting("appeals_per_evaluation"))


def calibration_tolerance() -> float:
    """The largest mean absolute deviation from the benchmark a reviewer may show unflagged."""
    return float(get_setting("calibration_tolerance"))


def two_factor_required() -> bool:
    """Admins and reviewers who sign in with a password must set up two-factor sign-in."""
    return get_setting("require_two_factor") == "1"


class ModelServer(db.Model):
    """The team's own model server for Auto QA model rules: one row, off until an admin says so.

    The API key is stored encrypted (``admin/services.py``) and never shown again.
    """

    __tablename__ = "model_server"
    __table_args__ = (
        sa.CheckConstraint("id = 1", name="single_row"),
        sa.CheckConstraint("timeout_seconds BETWEEN 1 AND 120", name="timeout_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    enabled: Mapped[bool] = mapped_column(default=False)
    base_url: Mapped[str] = mapped_column(sa.String(500), default="")
    model: Mapped[str] = mapped_column(sa.String(200), default="")
    # Fernet token of the key, under a key derived from SECRET_KEY; None when there is none.
    api_key_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    timeout_seconds: Mapped[int] = mapped_column(default=20)
