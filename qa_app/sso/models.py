"""The OpenID Connect provider an admin set up, and the claim values that give a role."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..accounts.models import Role
from ..database import string_enum
from ..extensions import db


class SsoProvider(db.Model):
    """The one provider: off until an admin switches it on (docs/sso.md).

    The client secret is stored encrypted (the model server key's helper, ``admin/services.py``)
    and never shown again.
    """

    __tablename__ = "sso_provider"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    is_enabled: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(sa.String(60), default="")  # "Sign in with <name>"
    issuer: Mapped[str] = mapped_column(sa.String(500), default="")
    client_id: Mapped[str] = mapped_column(sa.String(255), default="")
    client_secret_encrypted: Mapped[str | None] = mapped_column(sa.Text)
    # The role of a user made at their first sign-in when no mapping matches.
    default_role: Mapped[Role] = mapped_column(string_enum(Role, "role"), default=Role.AGENT)
    # The claim the mappings read, e.g. "groups"; empty: every new user gets the default role.
    role_claim: Mapped[str] = mapped_column(sa.String(100), default="")


class SsoRoleMapping(db.Model):
    """A value of the role claim that makes a new user's role; the most rights win."""

    __tablename__ = "sso_role_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_value: Mapped[str] = mapped_column(sa.String(200), unique=True)
    role: Mapped[Role] = mapped_column(string_enum(Role, "role"))
