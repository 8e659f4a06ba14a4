"""Emergency (break-glass) access: the one relationship a worker may give themselves, for a
few hours, with a reason, and reviewed afterwards."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.access.enums import ReviewOutcome
from caremap.auth.models import User
from caremap.core.db import Base, enum_column, utcnow


class BreakGlass(Base):
    """Emergency access to a record without a relationship: time-limited, reasoned, reviewed."""

    __tablename__ = "break_glass"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    reason: Mapped[str] = mapped_column(sa.String(2000))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(sa.String(2000))
    review_outcome: Mapped[ReviewOutcome | None] = enum_column(ReviewOutcome, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __table_args__ = (
        sa.Index(
            "ix_break_glass_user_id_person_id_expires_at", "user_id", "person_id", "expires_at"
        ),
        sa.Index("ix_break_glass_reviewed_at", "reviewed_at"),
    )
