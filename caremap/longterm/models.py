"""Long-term support on the record, shaped as CLD counts it: the social care profile and
the Assessment, Service and Review events. Coded columns hold the CLD Release 2 text
(lists.py); a referral is the CLD Request, so there is no request table here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, CreatedAtMixin, enum_column, utcnow
from caremap.longterm.enums import AssessmentKind

CODE = sa.String(120)  # the longest CLD value is about 100 characters


def event_checks() -> tuple[sa.CheckConstraint, ...]:
    """What every event keeps in the database too, whoever writes it (a page, the API, the
    synthetic city's bulk COPY): it ends on or after it starts, and has an outcome only
    once it has ended."""
    return (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        sa.CheckConstraint("outcome IS NULL OR ended_on IS NOT NULL", name="outcome_when_ended"),
    )


class SocialCareProfile(Base):
    """The CLD person fields the record does not already hold (it holds NHS number, LA
    person ID, GP practice, gender, birth and death dates and postcode). One per person."""

    __tablename__ = "social_care_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), unique=True)
    client_type: Mapped[str | None] = mapped_column(CODE)
    primary_support_reason: Mapped[str | None] = mapped_column(CODE)
    accommodation_status: Mapped[str | None] = mapped_column(CODE)
    employment_status: Mapped[str | None] = mapped_column(CODE)
    ethnicity: Mapped[str | None] = mapped_column(CODE)
    visual_impairment: Mapped[str | None] = mapped_column(CODE)
    hearing_impairment: Mapped[str | None] = mapped_column(CODE)
    # None = not known; CLD's Yes/No (and its blank) are the return's to spell
    dementia: Mapped[bool | None]
    autism: Mapped[bool | None]
    has_unpaid_carer: Mapped[bool | None]
    client_funding_status: Mapped[str | None] = mapped_column(CODE)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    updated_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class CareAssessment(CreatedAtMixin, Base):
    """A CLD Assessment event: a Care Act needs assessment or a carer's assessment."""

    __tablename__ = "care_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[AssessmentKind] = enum_column(AssessmentKind)
    assessment_type: Mapped[str] = mapped_column(CODE)
    method: Mapped[str] = mapped_column(CODE)
    eligible_needs_identified: Mapped[bool | None]
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    outcome: Mapped[str | None] = mapped_column(CODE)
    description: Mapped[str | None] = mapped_column(sa.String(2000))
    # the CLD Request it answers
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    # a carer's assessment: CLD's carer module
    hours_caring_per_week: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    adults_cared_for: Mapped[int | None]
    cared_for_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # Warwick-Edinburgh Mental Wellbeing Scale total (14-70), when the person completed it
    wemwbs_score: Mapped[int | None]
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_care_assessments_person_id_started_on", "person_id", "started_on"),
        # returns read the events that ended in a period
        sa.Index("ix_care_assessments_ended_on", "ended_on"),
        *event_checks(),
    )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CarePackage(CreatedAtMixin, Base):
    """A CLD Service event: a care package or placement, with what it costs and who pays.

    `episode_id` names the episode of care that IS this service (a care home admission is
    the residential or nursing placement, reablement the ST-Max service): the package is
    made from the episode when the episode starts, never entered twice."""

    __tablename__ = "care_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    service_type: Mapped[str] = mapped_column(CODE)
    service_component: Mapped[str] = mapped_column(CODE)
    delivery_mechanism: Mapped[str | None] = mapped_column(CODE)
    provider_name: Mapped[str | None] = mapped_column(sa.String(200))
    provider_cqc_location_id: Mapped[str | None] = mapped_column(sa.String(20))
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    outcome: Mapped[str | None] = mapped_column(CODE)
    planned_units_per_week: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    unit_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    cost_frequency: Mapped[str | None] = mapped_column(CODE)
    funded_by: Mapped[str | None] = mapped_column(CODE)  # CLD Client Funding Status list
    description: Mapped[str | None] = mapped_column(sa.String(2000))
    assessment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_assessments.id"), index=True
    )
    episode_id: Mapped[int | None] = mapped_column(sa.ForeignKey("episodes.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_care_packages_person_id_started_on", "person_id", "started_on"),
        # long-term support by setting at a date: the type, then the dates
        sa.Index("ix_care_packages_service_type_started_on", "service_type", "started_on"),
        *event_checks(),
    )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class CareReview(CreatedAtMixin, Base):
    """A CLD Review event: planned or unplanned (the reason's prefix), its method and, for a
    planned review, whether the outcomes were achieved."""

    __tablename__ = "care_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    care_package_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("care_packages.id"), index=True
    )
    review_reason: Mapped[str] = mapped_column(CODE)
    method: Mapped[str] = mapped_column(CODE)
    outcomes_achieved: Mapped[str | None] = mapped_column(CODE)
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    outcome: Mapped[str | None] = mapped_column(CODE)
    description: Mapped[str | None] = mapped_column(sa.String(2000))
    wemwbs_score: Mapped[int | None]  # as on CareAssessment
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_care_reviews_person_id_started_on", "person_id", "started_on"),
        sa.Index("ix_care_reviews_ended_on", "ended_on"),
        *event_checks(),
    )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
