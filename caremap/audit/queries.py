"""The read side of the audit trail."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from caremap.people.models import Person


def record_ids(person: Person) -> list[int]:
    """The person's id and the ids of every record merged into it."""
    merged = db.session.scalars(sa.select(Person.id).where(Person.merged_into_id == person.id))
    return [person.id, *merged]


def access_log(
    person: Person, *, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEvent], int]:
    """Every read and write of the person's record, newest first ("who has looked at my record")."""
    ids = record_ids(person)
    where = AuditEvent.person_id.in_(ids)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(where))
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(events), total or 0
