"""The shared person record: identity, my story, consent, carers and next of kin."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.catalogue.models import Team
from caremap.core.db import Base, CreatedAtMixin, enum_column, utcnow
from caremap.people.enums import ConsentStatus, RecordStatus, Sex


class Person(CreatedAtMixin, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_ref: Mapped[str] = mapped_column(sa.String(12), unique=True)
    nhs_number: Mapped[str | None] = mapped_column(sa.String(10))
    given_name: Mapped[str] = mapped_column(sa.String(100))
    family_name: Mapped[str] = mapped_column(sa.String(100))
    preferred_name: Mapped[str | None] = mapped_column(sa.String(100))
    date_of_birth: Mapped[dt.date]
    date_of_death: Mapped[dt.date | None]
    sex: Mapped[Sex] = enum_column(Sex, default=Sex.UNKNOWN)
    address_line_1: Mapped[str | None] = mapped_column(sa.String(120))
    address_line_2: Mapped[str | None] = mapped_column(sa.String(120))
    town: Mapped[str | None] = mapped_column(sa.String(80))
    postcode: Mapped[str | None] = mapped_column(sa.String(8), index=True)
    no_fixed_abode: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    gp_practice_code: Mapped[str | None] = mapped_column(sa.String(10))
    gp_practice_name: Mapped[str | None] = mapped_column(sa.String(160))
    language: Mapped[str | None] = mapped_column(sa.String(60))
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    communication_needs: Mapped[str | None] = mapped_column(sa.String(2000))
    # Lower case, accents and punctuation removed: what name search compares.
    search_name: Mapped[str] = mapped_column(sa.String(320))
    registered_by_team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    registered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[RecordStatus] = enum_column(RecordStatus, default=RecordStatus.LIVE)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    merged_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    registered_by_team: Mapped[Team] = relationship(lazy="joined")
    registered_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # An NHS number identifies one live record; merged records keep theirs for history.
        sa.Index(
            "uq_people_nhs_number_live",
            "nhs_number",
            unique=True,
            sqlite_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
            postgresql_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
        ),
        sa.Index("ix_people_date_of_birth", "date_of_birth"),
        # Name search reads the word tables (people/search_models.py), not search_name.
    )

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_live(self) -> bool:
        return self.status == RecordStatus.LIVE

    def age_on(self, day: dt.date) -> int:
        end = min(day, self.date_of_death) if self.date_of_death else day
        years = end.year - self.date_of_birth.year
        if (end.month, end.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years


class StoryVersion(Base):
    """'My story', in the person's words; a new version is added, none is overwritten."""

    __tablename__ = "story_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_story_versions_person_id_recorded_at", "person_id", "recorded_at"),
    )


class ConsentRecord(Base):
    """An information-sharing consent decision; the latest one is in force."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    status: Mapped[ConsentStatus] = enum_column(ConsentStatus)
    decided_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (
        sa.Index("ix_consent_records_person_id_recorded_at", "person_id", "recorded_at"),
    )


class RelatedPerson(CreatedAtMixin, Base):
    """A carer or next of kin of the person (or both)."""

    __tablename__ = "related_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    relationship_to_person: Mapped[str] = mapped_column(sa.String(60))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    is_carer: Mapped[bool] = mapped_column(default=False)
    is_next_of_kin: Mapped[bool] = mapped_column(default=False)
    # For carers: were they included or consulted in discussions about the person?
    involved_in_care: Mapped[bool | None]
    # When the carer has a record of their own (an unpaid carer known to services).
    carer_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    notes: Mapped[str | None] = mapped_column(sa.String(1000))
    is_active: Mapped[bool] = mapped_column(default=True)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class IdentityCheck(Base):
    """A worker's answer when a new record shares its name and date of birth with a live
    one: these are two people, and why. Kept so no one asks again, and shown on both
    records; a merge of the pair is refused while it stands."""

    __tablename__ = "identity_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    other_person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(2000))
    checked_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    checked_by: Mapped[User] = relationship(lazy="joined")

    __table_args__ = (sa.CheckConstraint("person_id <> other_person_id", name="two_records"),)


class PersonIdentifier(CreatedAtMixin, Base):
    """The person's identifier in another system (a council's or trust's record id), kept
    so a bulk import finds its own earlier rows again and a second run changes nothing.
    One system's identifier names one person; a person may have several."""

    __tablename__ = "person_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    system: Mapped[str] = mapped_column(sa.String(200))
    value: Mapped[str] = mapped_column(sa.String(100))

    __table_args__ = (sa.UniqueConstraint("system", "value", name="uq_person_identifiers_system"),)
