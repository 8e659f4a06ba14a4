"""Referrals through the single point of access, their routing decisions and status history."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.catalogue.models import Need, Service
from caremap.core.db import Base, CreatedAtMixin, enum_column, utcnow
from caremap.people.models import Person
from caremap.referrals.enums import ReferralStatus
from caremap.routing.enums import ReferralSource, Urgency
from caremap.routing.models import RoutingDecision

referral_needs = sa.Table(
    "referral_needs",
    Base.metadata,
    sa.Column("referral_id", sa.ForeignKey("referrals.id"), primary_key=True),
    sa.Column("need_code", sa.ForeignKey("needs.code"), primary_key=True),
)


class ReferralSubmission(CreatedAtMixin, Base):
    """One referral as the referrer sent it; routing may fan it out to several services."""

    __tablename__ = "referral_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # A key names one request of one caller, and two callers may pick the same key: what
    # is kept is sha256 of (caller, key) (retries.scoped_key), unique across callers.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    # sha256 of the request as sent (retries.fingerprint): the same key with another
    # body is a mistake to refuse, not a retry to answer. None before it was kept.
    request_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    referrals: Mapped[list[Referral]] = relationship(
        back_populates="submission", order_by="Referral.id"
    )


class Referral(CreatedAtMixin, Base):
    """A referral of one person to one service, and where it has got to."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("referral_submissions.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"))
    source: Mapped[ReferralSource] = enum_column(ReferralSource)
    referrer_name: Mapped[str] = mapped_column(sa.String(160))
    referrer_organisation: Mapped[str | None] = mapped_column(sa.String(160))
    referrer_contact: Mapped[str] = mapped_column(sa.String(160))
    details: Mapped[str | None] = mapped_column(sa.String(5000))
    # Leaving hospital: the questions the receiving team would otherwise ring the ward for.
    discharge_on: Mapped[dt.date | None]
    discharge_ward: Mapped[str | None] = mapped_column(sa.String(80))
    urgency: Mapped[Urgency] = enum_column(Urgency)
    consent_to_share: Mapped[bool]
    received_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    status: Mapped[ReferralStatus] = enum_column(ReferralStatus)
    status_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Each event is kept twice: when it happened (what figures count) and when it was
    # entered (created_at for receipt): a back-entered answer must not look late or early.
    responded_at: Mapped[dt.datetime | None]  # answered (accepted, declined, redirected)
    response_recorded_at: Mapped[dt.datetime | None]
    first_contact_at: Mapped[dt.datetime | None]  # the service first reached the person
    first_contact_recorded_at: Mapped[dt.datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    outcome: Mapped[str | None] = mapped_column(sa.String(2000))
    redirected_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referrals.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person] = relationship()
    service: Mapped[Service] = relationship(lazy="joined")
    submission: Mapped[ReferralSubmission] = relationship(back_populates="referrals")
    needs: Mapped[list[Need]] = relationship(secondary=referral_needs, order_by=Need.code)
    created_by: Mapped[User] = relationship()
    decisions: Mapped[list[RoutingDecision]] = relationship(order_by=RoutingDecision.id)
    status_changes: Mapped[list[ReferralStatusChange]] = relationship(
        back_populates="referral", order_by="ReferralStatusChange.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_referrals_person_id_status", "person_id", "status"),
        sa.Index(
            "ix_referrals_service_id_status_received_at", "service_id", "status", "received_at"
        ),
        # Re-referral: the same person's earlier referrals to the same service.
        sa.Index(
            "ix_referrals_person_id_service_id_received_at",
            "person_id",
            "service_id",
            "received_at",
        ),
    )

    @property
    def need_codes(self) -> list[str]:
        return [need.code for need in self.needs]


class ReferralStatusChange(Base):
    """One step of a referral's flow: `at` is when it happened, which the history and the
    chronology go by; `recorded_at` is when someone entered it (None where unknown)."""

    __tablename__ = "referral_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # when it happened
    recorded_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)  # when entered
    from_status: Mapped[ReferralStatus | None] = enum_column(ReferralStatus, nullable=True)
    to_status: Mapped[ReferralStatus] = enum_column(ReferralStatus)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.String(2000))

    referral: Mapped[Referral] = relationship(back_populates="status_changes")
    actor: Mapped[User] = relationship(lazy="joined")
