"""A person's care team and its lead key worker."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, CreatedAtMixin, utcnow


class CareTeamMember(CreatedAtMixin, Base):
    """A worker in a person's care team for a period; at most one active lead key worker."""

    __tablename__ = "care_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    # every membership of a person, ended ones too (the record, the key-worker indicator)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(60))
    is_lead: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    assigned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # The database, not only the code, keeps a person to one active lead key worker.
        sa.Index(
            "uq_care_team_members_one_active_lead",
            "person_id",
            unique=True,
            sqlite_where=sa.text("is_lead AND ended_at IS NULL"),
            postgresql_where=sa.text("is_lead AND ended_at IS NULL"),
        ),
        sa.Index(
            "uq_care_team_members_active_member",
            "person_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
