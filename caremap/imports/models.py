"""Import runs, the problems found in their rows, and the rows held for a person to decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, enum_column, utcnow
from caremap.imports.enums import HeldStatus, ImportKind, RunStatus


class ImportRun(Base):
    """One file imported: who, when, its checksum (every record it touched is audited with
    it), and the summary (read, created, linked, held, rejected, events by kind)."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = enum_column(ImportKind)
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    status: Mapped[RunStatus] = enum_column(RunStatus, default=RunStatus.RUNNING)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Why the file was refused whole (a wrong header); rows' problems are import_problems.
    refusal: Mapped[str | None] = mapped_column(sa.String(2000))

    actor: Mapped[User] = relationship(lazy="joined")


class ImportProblem(Base):
    """A row not imported: its line in the file, the field and the reason (the error
    report a user downloads, fixes and imports again)."""

    __tablename__ = "import_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id"), index=True)
    line: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(60))
    reason: Mapped[str] = mapped_column(sa.String(500))


class HeldMatch(Base):
    """A person row that looks like someone already on caremap, but not surely: held until
    an admin links it to that record, creates a new one, or rejects it."""

    __tablename__ = "held_matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id"), index=True)
    line: Mapped[int]
    source_system: Mapped[str] = mapped_column(sa.String(200))
    source_id: Mapped[str] = mapped_column(sa.String(100))
    # The row as validated (identity fields, dates as ISO strings).
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # [{"person_id": .., "reasons": [..]}]: the live records it may be, and why.
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    status: Mapped[HeldStatus] = enum_column(HeldStatus, default=HeldStatus.WAITING)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.String(2000))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # A source row is held once however often its file is imported again.
        sa.Index(
            "uq_held_matches_source_waiting",
            "source_system",
            "source_id",
            unique=True,
            sqlite_where=sa.text("status = 'waiting'"),
            postgresql_where=sa.text("status = 'waiting'"),
        ),
        sa.Index("ix_held_matches_status", "status"),
    )


class ImportedEvent(Base):
    """An event row imported (a referral, episode, medicine or concern), by its identifier
    in the source system: the same row imported again is found here and changes nothing."""

    __tablename__ = "imported_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_runs.id"), index=True)
    source_system: Mapped[str] = mapped_column(sa.String(200))
    event_id: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(30))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # The row made: referral submission, episode, medicine or concern id, by kind.
    record_id: Mapped[int]

    __table_args__ = (
        sa.UniqueConstraint("source_system", "event_id", name="uq_imported_events_source_system"),
    )
