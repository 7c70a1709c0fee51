"""Users, roles, teams and the sign-in log."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import UTCDateTime, string_enum, utcnow
from ..extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    LEAD = "lead"
    AGENT = "agent"


team_members = sa.Table(
    "team_members",
    db.metadata,
    sa.Column("team_id", sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    # An agent belongs to at most one team.
    sa.Column("agent_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.UniqueConstraint("agent_id", name="uq_team_members_agent_id"),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and deactivation: every older session cookie dies.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A code from qa_app.i18n.LANGUAGES; None follows the browser's Accept-Language.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # A reviewer an admin trusts to review other reviewers' evaluations (docs/reviewer-quality.md).
    is_senior_reviewer: Mapped[bool] = mapped_column(default=False)
    # Signs in through single sign-on only; a password is refused (docs/sso.md).
    is_sso_only: Mapped[bool] = mapped_column(default=False)
    # An admin who keeps password sign-in when it is off for the site (docs/sso.md).
    is_break_glass: Mapped[bool] = mapped_column(default=False)

    teams: Mapped[list[Team]] = relationship(secondary=team_members, back_populates="agents")
    led_teams: Mapped[list[Team]] = relationship(back_populates="lead", order_by="Team.name")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def team(self) -> Team | None:
        return self.teams[0] if self.teams else None

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    lead_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lead: Mapped[User | None] = relationship(back_populates="led_teams")
    agents: Mapped[list[User]] = relationship(
        secondary=team_members, back_populates="teams", order_by="User.display_name"
    )


class SignInPolicy(db.Model):
    """How people may sign in, for the whole site: one row, absent until an admin changes it.

    With password sign-in off, only break-glass admins may use a password (docs/sso.md).
    """

    __tablename__ = "sign_in_policy"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    allow_password_sign_in: Mapped[bool] = mapped_column(default=True)


class LoginAttempt(db.Model):
    """Every sign-in attempt: the throttle counts failures here, and it is the audit trail."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        sa.Index("ix_login_attempts_email_at", "email", "attempted_at"),
        sa.Index("ix_login_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    is_success: Mapped[bool] = mapped_column(default=False)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TwoFactor(db.Model):
    """A user's authenticator-app secret (docs/two-factor.md); no row means two-factor is off.

    The secret is sealed (``qa_app/sealed.py``). ``enabled_at`` stays None while the user has
    not yet confirmed a code from the app; only then is the second step asked for at sign-in.
    """

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret_sealed: Mapped[str] = mapped_column(sa.Text)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The 30-second step of the last code accepted: that code and older ones are refused.
    last_used_step: Mapped[int | None] = mapped_column(sa.BigInteger)


class RecoveryCode(db.Model):
    """A one-time code for signing in without the phone; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
