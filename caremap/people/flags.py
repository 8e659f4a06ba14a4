"""The person record's own flags: deceased, consent not given, interpreter."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.flags import Flag
from caremap.people.enums import ConsentStatus
from caremap.people.models import ConsentRecord, Person, RelatedPerson


def latest_consents(person_ids: list[int]) -> dict[int, ConsentRecord]:
    """Each person's consent decision in force, in one query."""
    ranked = (
        sa.select(
            ConsentRecord.id,
            sa.func.row_number()
            .over(
                partition_by=ConsentRecord.person_id,
                order_by=(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc()),
            )
            .label("rank"),
        )
        .where(ConsentRecord.person_id.in_(person_ids))
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(ConsentRecord)
        .join(ranked, ranked.c.id == ConsentRecord.id)
        .where(ranked.c.rank == 1)
    )
    return {row.person_id: row for row in rows}


def record_flags(people: Sequence[Person]) -> dict[int, list[Flag]]:
    consents = latest_consents([p.id for p in people])
    found: dict[int, list[Flag]] = {}
    for person in people:
        flags = found.setdefault(person.id, [])
        if person.date_of_death:
            flags.append(Flag("deceased", "Died", "high", person.date_of_death))
        consent = consents.get(person.id)
        if consent and consent.status != ConsentStatus.GIVEN:
            flags.append(
                Flag(
                    "consent",
                    f"Consent to share {consent.status.value}",
                    "warning",
                    consent.decided_on,
                    "Check what may be shared before sharing anything",
                    f"/people/{person.id}/consent",
                )
            )
        if person.interpreter_needed:
            flags.append(Flag("interpreter", f"Interpreter: {person.language or 'needed'}", "info"))
    return found


def carer_flags(people: Sequence[Person]) -> dict[int, list[Flag]]:
    """An unpaid carer: someone's carer record points at this person's own record."""
    rows = db.session.execute(
        sa.select(
            RelatedPerson.carer_person_id, sa.func.count(), sa.func.min(RelatedPerson.created_at)
        )
        .where(
            RelatedPerson.carer_person_id.in_([p.id for p in people]),
            RelatedPerson.is_carer.is_(True),
            RelatedPerson.is_active.is_(True),
        )
        .group_by(RelatedPerson.carer_person_id)
    ).all()
    return {
        person_id: [
            Flag(
                "carer",
                "Unpaid carer" + (f" for {n} people" if n > 1 else ""),
                "info",
                since.date(),
                "Include them in discussions about the person they care for",
            )
        ]
        for person_id, n, since in rows
    }
