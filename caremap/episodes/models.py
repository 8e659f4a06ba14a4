"""Episodes of care: a spell of a service for a person, with what later indicators need."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.catalogue.models import Service
from caremap.core.db import Base, CreatedAtMixin, enum_column
from caremap.episodes.enums import (
    AdmissionCondition,
    CareHomeType,
    Day91Outcome,
    EpisodeKind,
    HomelessnessOutcome,
    SupportType,
)


class Episode(CreatedAtMixin, Base):
    __tablename__ = "episodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    service_id: Mapped[int] = mapped_column(sa.ForeignKey("services.id"))
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    kind: Mapped[EpisodeKind] = enum_column(EpisodeKind, default=EpisodeKind.GENERAL)
    started_on: Mapped[dt.date]
    ended_on: Mapped[dt.date | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # reablement after a hospital discharge (ASCOF 2B)
    discharged_on: Mapped[dt.date | None]
    follow_up_due_on: Mapped[dt.date | None]
    day91_outcome: Mapped[Day91Outcome | None] = enum_column(Day91Outcome, nullable=True)
    # the day it happened (a death, a hospital stay, a permanent care home move), or the
    # day "at home" was recorded: never before the follow-up date for "at home"
    day91_outcome_on: Mapped[dt.date | None]
    # hospital admission (emergency admissions; delayed days from ready to discharge)
    is_emergency: Mapped[bool | None]
    discharge_ready_on: Mapped[dt.date | None]
    admission_condition: Mapped[AdmissionCondition | None] = enum_column(
        AdmissionCondition, nullable=True
    )
    # permanent admission to residential or nursing care (ASCOF 2A/2C)
    care_home_type: Mapped[CareHomeType | None] = enum_column(CareHomeType, nullable=True)
    is_permanent: Mapped[bool | None]
    moved_from_care_home: Mapped[bool | None]
    # self-directed support (ASCOF 1C)
    support_type: Mapped[SupportType | None] = enum_column(SupportType, nullable=True)
    # homelessness prevention
    homelessness_outcome: Mapped[HomelessnessOutcome | None] = enum_column(
        HomelessnessOutcome, nullable=True
    )
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    service: Mapped[Service] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_episodes_person_id_ended_on", "person_id", "ended_on"),
        sa.Index("ix_episodes_service_id_started_on", "service_id", "started_on"),
        # Indicators read one kind of episode over a period.
        sa.Index("ix_episodes_kind_started_on", "kind", "started_on"),
    )

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
