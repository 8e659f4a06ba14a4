"""A person's medicines (kept when stopped), medication reviews, and the polypharmacy thresholds."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, CreatedAtMixin, enum_column, utcnow
from caremap.medicines.enums import MedicineSource, Route


class Medicine(CreatedAtMixin, Base):
    __tablename__ = "medicines"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    dmd_code: Mapped[str | None] = mapped_column(sa.String(18))
    dose: Mapped[str] = mapped_column(sa.String(100))
    route: Mapped[Route] = enum_column(Route)
    frequency: Mapped[str] = mapped_column(sa.String(100))
    started_on: Mapped[dt.date]
    stopped_on: Mapped[dt.date | None]
    stop_reason: Mapped[str | None] = mapped_column(sa.String(500))
    source: Mapped[MedicineSource] = enum_column(MedicineSource)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    # Counting who took how many on a date reads by person and the dates.
    __table_args__ = (
        sa.Index(
            "ix_medicines_person_id_started_on_stopped_on", "person_id", "started_on", "stopped_on"
        ),
    )

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.stopped_on is None or self.stopped_on > day)


class MedicationReview(Base):
    __tablename__ = "medication_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    reviewed_on: Mapped[dt.date]
    reviewed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    stopped: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    changes: Mapped[str | None] = mapped_column(sa.String(2000))
    outcome: Mapped[str] = mapped_column(sa.String(2000))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    reviewed_by: Mapped[User] = relationship(lazy="joined")


class PolypharmacyThresholds(Base):
    """One row: the active-medicine counts that raise the flag and its high-risk tier."""

    __tablename__ = "polypharmacy_thresholds"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_at: Mapped[int] = mapped_column(default=4)
    high_at: Mapped[int] = mapped_column(default=10)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.CheckConstraint("flag_at >= 2 AND high_at > flag_at", name="ordered"),)
