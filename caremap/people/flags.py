"""The person record's own flags: deceased, consent not given, interpreter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from caremap.flags import Among, Flag, FlagSource
from caremap.people.enums import ConsentStatus
from caremap.people.models import ConsentRecord, Person, RelatedPerson


def _consent_rows(among: Among, today: dt.date) -> sa.Select:
    """Each person's consent decision in force, when it is not "given"."""
    ranked = (
        sa.select(
            ConsentRecord.person_id,
            ConsentRecord.status,
            ConsentRecord.decided_on,
            sa.func.row_number()
            .over(
                partition_by=ConsentRecord.person_id,
                order_by=(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc()),
            )
            .label("rank"),
        )
        .where(among(ConsentRecord.person_id))
        .subquery()
    )
    return sa.select(
        ranked.c.person_id,
        ranked.c.status.label("text1"),
        ranked.c.decided_on.label("day1"),
    ).where(ranked.c.rank == 1, ranked.c.status != ConsentStatus.GIVEN.value)


def _record_flags(people: Sequence[Person], rows: list) -> dict[int, list[Flag]]:
    consents = {row.person_id: row for row in rows}
    found: dict[int, list[Flag]] = {}
    for person in people:
        flags = found.setdefault(person.id, [])
        if person.date_of_death:
            flags.append(Flag("deceased", "Died", "high", person.date_of_death))
        consent = consents.get(person.id)
        if consent is not None:
            flags.append(
                Flag(
                    "consent",
                    f"Consent to share {ConsentStatus(consent.text1).value}",
                    "warning",
                    consent.day1,
                    "Check what may be shared before sharing anything",
                    f"/people/{person.id}/consent",
                )
            )
        if person.interpreter_needed:
            flags.append(Flag("interpreter", f"Interpreter: {person.language or 'needed'}", "info"))
    return found


# The person record's own flags: deceased, consent not given, interpreter.
record_flags = FlagSource(_consent_rows, _record_flags)


def _carer_rows(among: Among, today: dt.date) -> sa.Select:
    return (
        sa.select(
            RelatedPerson.carer_person_id.label("person_id"),
            sa.func.count().label("number1"),
            sa.func.min(RelatedPerson.created_at).label("at"),
        )
        .where(
            among(RelatedPerson.carer_person_id),
            RelatedPerson.is_carer.is_(True),
            RelatedPerson.is_active.is_(True),
        )
        .group_by(RelatedPerson.carer_person_id)
    )


def _carer_flags(people: Sequence[Person], rows: list) -> dict[int, list[Flag]]:
    return {
        row.person_id: [
            Flag(
                "carer",
                "Unpaid carer" + (f" for {row.number1} people" if row.number1 > 1 else ""),
                "info",
                row.at.date(),
                "Include them in discussions about the person they care for",
            )
        ]
        for row in rows
    }


# An unpaid carer: someone's carer record points at this person's own record.
carer_flags = FlagSource(_carer_rows, _carer_flags)
