"""Staff users, their sign-in attempts and personal API tokens."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.enums import Role, TokenScope
from caremap.auth.permissions import can_administer
from caremap.catalogue.models import Team
from caremap.core.db import Base, CreatedAtMixin, enum_column


class User(CreatedAtMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    full_name: Mapped[str] = mapped_column(sa.String(160))
    role: Mapped[Role] = enum_column(Role)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    # A team lead sees the whole team's overdue work.
    is_team_lead: Mapped[bool] = mapped_column(default=False)
    # Part of the session cookie: bumping it ends every session of this user
    # (sign-out, password change), since the cookie itself lives on the client.
    session_version: Mapped[int] = mapped_column(default=1)
    password_changed_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    team: Mapped[Team] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_admin(self) -> bool:
        return can_administer(self)


class SignInAttempt(Base):
    """Every sign-in attempt, by the address typed, whether or not an account has it.

    Lock-out counts failures per address, so it works the same for addresses
    that have no account and tells an attacker nothing.
    """

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    attempted_at: Mapped[dt.datetime]
    succeeded: Mapped[bool]
    # Where the attempt came from, so a spray of guesses across many accounts from one
    # address is slowed as well as guesses at one account (None: not over HTTP).
    source_address: Mapped[str | None] = mapped_column(sa.String(45))

    __table_args__ = (
        sa.Index("ix_sign_in_attempts_email_attempted_at", "email", "attempted_at"),
        sa.Index(
            "ix_sign_in_attempts_source_address_attempted_at", "source_address", "attempted_at"
        ),
    )


class ApiToken(CreatedAtMixin, Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_prefix: Mapped[str] = mapped_column(sa.String(12))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Tokens made before scopes existed could do everything, and still can (the
    # migration fills them in as full).
    scope: Mapped[TokenScope] = enum_column(TokenScope, default=TokenScope.FULL)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()
