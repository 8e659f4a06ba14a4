"""Needs assessments for the multiple-needs cohort (Making Every Adult Matter)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.core.db import Base, enum_column, utcnow


class NeedsAssessment(Base):
    __tablename__ = "needs_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    assessed_on: Mapped[dt.date]
    assessed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    homelessness: Mapped[bool]
    substance_misuse: Mapped[bool]
    offending: Mapped[bool]
    mental_health: Mapped[bool]
    domestic_abuse: Mapped[bool]
    engagement: Mapped[Engagement] = enum_column(Engagement)
    stability: Mapped[Stability] = enum_column(Stability)
    # What the rule (seed/cohort_rules.json) derived when the assessment was saved …
    derived_cohort: Mapped[Cohort | None] = enum_column(Cohort, nullable=True)
    # … and a worker's override of it, with the reason.
    override_cohort: Mapped[Cohort | None] = enum_column(Cohort, nullable=True)
    override_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    assessed_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_needs_assessments_person_id_recorded_at", "person_id", "recorded_at"),
    )

    @property
    def cohort(self) -> Cohort | None:
        return self.override_cohort or self.derived_cohort
