"""The append-only audit trail: who did what, when, to whose record, and why."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.core.db import Base, utcnow

if TYPE_CHECKING:  # the audit trail sits below auth: it names its actor's class, no more
    from caremap.auth.models import User


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(80))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("people.id"))
    reason: Mapped[str | None] = mapped_column(sa.String(2000))
    changes: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    request_id: Mapped[str | None] = mapped_column(sa.String(32))
    # HMAC of the row's content (audit.integrity), written with the row: an edit shows.
    mac: Mapped[str | None] = mapped_column(sa.String(64))

    actor: Mapped[User | None] = relationship("User", lazy="joined")

    __table_args__ = (
        sa.Index("ix_audit_events_person_id_at", "person_id", "at"),
        # A worker's newest rows of one action ("recently viewed"), read backwards from
        # the end, however many other rows (a caseload read adds 200) they have written.
        sa.Index("ix_audit_events_actor_id_action_id", "actor_id", "action", "id"),
    )


class AuditSeal(Base):
    """The audit trail's chain, one link per audit row in id order, written by
    `audit.integrity.seal` once the row has settled. A deleted row leaves its link
    behind; a row slipped in has none; each link's HMAC covers the one before it."""

    __tablename__ = "audit_seals"

    # No foreign key on purpose: the link must outlive a deleted row, to name it.
    event_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    prev_event_id: Mapped[int | None]
    chain_mac: Mapped[str] = mapped_column(sa.String(64))
    sealed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
