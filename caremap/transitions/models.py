"""Transition to adult services: the basis of a young person's support and when it ends."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caremap.core.db import Base, enum_column, utcnow


class TransitionBasis(enum.StrEnum):
    LEAVING_CARE = "leaving_care"  # support to 21
    SEND = "send"  # special educational needs and disability: support to 25
    NONE = "none"  # adult services from 18

    @property
    def ends_at_age(self) -> int:
        return {"leaving_care": 21, "send": 25, "none": 18}[self.value]


class TransitionPlan(Base):
    __tablename__ = "transition_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), unique=True)
    basis: Mapped[TransitionBasis] = enum_column(TransitionBasis)
    responsibility_ends_on: Mapped[dt.date]
    notes: Mapped[str | None] = mapped_column(sa.String(2000))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
