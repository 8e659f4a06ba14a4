"""Safeguarding concerns (Care Act 2014), their triage, and section 42 enquiries."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, enum_column, utcnow
from caremap.people.models import Person
from caremap.safeguarding.dates import local_day
from caremap.safeguarding.enums import (
    AbuseCategory,
    ActionResult,
    Capacity,
    ConcernStatus,
    EnquiryStatus,
    LackedCapacity,
    MeetingKind,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    Substantiated,
    TriageDecision,
)
from caremap.worktasks.models import Task


def _day_raised(context) -> dt.date:
    """A concern written without the day it was raised (an import, a test's hand-made
    row) was raised the day it was entered: the same rule the migration used for the
    concerns entered before the day was asked for."""
    return local_day(context.get_current_parameters()["raised_at"])


class Concern(Base):
    __tablename__ = "safeguarding_concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    raised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # When it was entered (raised_at) and the day it was raised (raised_on): a concern
    # written up later counts on the day it happened.
    raised_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    raised_on: Mapped[dt.date] = mapped_column(default=_day_raised)
    categories: Mapped[list[str]] = mapped_column(sa.JSON)
    risk_location: Mapped[RiskLocation] = enum_column(RiskLocation)
    risk_source: Mapped[RiskSource] = enum_column(RiskSource)
    immediate_actions: Mapped[str] = mapped_column(sa.String(4000))
    what_happened: Mapped[str] = mapped_column(sa.String(4000))
    # Making Safeguarding Personal: what the person wants, or why they could not be asked.
    person_wishes: Mapped[str | None] = mapped_column(sa.String(2000))
    wishes_not_asked_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    needs_advocate: Mapped[bool]
    capacity: Mapped[Capacity] = enum_column(Capacity)
    capacity_note: Mapped[str | None] = mapped_column(sa.String(2000))
    status: Mapped[ConcernStatus] = enum_column(
        ConcernStatus, default=ConcernStatus.AWAITING_TRIAGE
    )
    triage_due_at: Mapped[dt.datetime]
    lead_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Section 42(1): all three must hold for the duty to make enquiries.
    test_care_and_support_needs: Mapped[bool | None]
    test_abuse_or_neglect: Mapped[bool | None]
    test_unable_to_protect_self: Mapped[bool | None]
    decision: Mapped[TriageDecision | None] = enum_column(TriageDecision, nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    signposting: Mapped[str | None] = mapped_column(sa.String(2000))
    triaged_at: Mapped[dt.datetime | None]  # when the decision was entered
    decided_on: Mapped[dt.date | None]  # the day the lead decided
    triaged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id], lazy="joined")
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    enquiry: Mapped[Enquiry | None] = relationship(back_populates="concern", uselist=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_safeguarding_concerns_status_triage_due_at", "status", "triage_due_at"),
        sa.Index("ix_safeguarding_concerns_raised_at", "raised_at"),
        sa.Index("ix_safeguarding_concerns_raised_on", "raised_on"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in (
            ConcernStatus.AWAITING_TRIAGE,
            ConcernStatus.SECTION_42_ENQUIRY,
            ConcernStatus.OTHER_ENQUIRY,
        )


class Enquiry(Base):
    __tablename__ = "safeguarding_enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_concerns.id"), unique=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    is_section_42: Mapped[bool]
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    started_on: Mapped[dt.date]  # the day it started (entered with the triage decision)
    # What the lead chooses to share with the workers who own an action: they read this,
    # not the concern's detail.
    shared_summary: Mapped[str | None] = mapped_column(sa.String(2000))
    status: Mapped[EnquiryStatus] = enum_column(EnquiryStatus, default=EnquiryStatus.OPEN)
    substantiated: Mapped[Substantiated | None] = enum_column(Substantiated, nullable=True)
    # What the Safeguarding Adults Collection counts of a concluded enquiry (SG2c, SG2e,
    # SG3a, SG4a): empty while it is open, asked when a section 42 enquiry concludes.
    action_result: Mapped[ActionResult | None] = enum_column(ActionResult, nullable=True)
    risk_outcome: Mapped[RiskOutcome | None] = enum_column(RiskOutcome, nullable=True)
    risk_remains_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    lacked_capacity: Mapped[LackedCapacity | None] = enum_column(LackedCapacity, nullable=True)
    # Of those who lacked capacity: supported by an advocate, family member or friend?
    capacity_support: Mapped[bool | None]
    msp_asked: Mapped[MspAsked | None] = enum_column(MspAsked, nullable=True)
    outcomes_achieved: Mapped[OutcomesAchieved | None] = enum_column(
        OutcomesAchieved, nullable=True
    )
    conclusion: Mapped[str | None] = mapped_column(sa.String(4000))
    closed_on: Mapped[dt.date | None]  # the day it concluded
    concluded_at: Mapped[dt.datetime | None]  # when the conclusion was entered
    version: Mapped[int] = mapped_column(default=1)

    concern: Mapped[Concern] = relationship(back_populates="enquiry")
    lead: Mapped[User] = relationship(lazy="joined")
    meetings: Mapped[list[EnquiryMeeting]] = relationship(order_by="EnquiryMeeting.held_on")
    actions: Mapped[list[EnquiryAction]] = relationship(
        order_by="EnquiryAction.due_on", back_populates="enquiry"
    )
    risks: Mapped[list[EnquiryRisk]] = relationship(
        order_by="EnquiryRisk.id", back_populates="enquiry", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (sa.Index("ix_safeguarding_enquiries_closed_on", "closed_on"),)


class EnquiryMeeting(Base):
    """A strategy discussion, strategy meeting or case conference."""

    __tablename__ = "safeguarding_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_enquiries.id"), index=True)
    kind: Mapped[MeetingKind] = enum_column(MeetingKind)
    held_on: Mapped[dt.date]
    notes: Mapped[str] = mapped_column(sa.String(4000))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))


class EnquiryAction(Base):
    __tablename__ = "safeguarding_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_enquiries.id"), index=True)
    description: Mapped[str] = mapped_column(sa.String(2000))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    due_on: Mapped[dt.date]
    done_at: Mapped[dt.datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The task on the owner's own list (none for actions given before tasks were set).
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("tasks.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    task: Mapped[Task | None] = relationship()
    enquiry: Mapped[Enquiry] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}


class EnquiryRisk(Base):
    """One risk an enquiry looked into: its type, where it was and whom it came from.
    An enquiry may have several (SAC counts one for each different category that
    applies: SG2a type by source, SG2b location by source)."""

    __tablename__ = "safeguarding_enquiry_risks"

    id: Mapped[int] = mapped_column(primary_key=True)
    enquiry_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_enquiries.id"), index=True)
    risk_type: Mapped[AbuseCategory] = enum_column(AbuseCategory)
    risk_location: Mapped[RiskLocation] = enum_column(RiskLocation)
    risk_source: Mapped[RiskSource] = enum_column(RiskSource)

    enquiry: Mapped[Enquiry] = relationship(back_populates="risks")

    __table_args__ = (
        sa.UniqueConstraint("enquiry_id", "risk_type", "risk_location", "risk_source"),
    )
