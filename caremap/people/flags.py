"""The person record's own flags: deceased, consent not given, interpreter."""

from __future__ import annotations

from caremap.flags import Flag, flag_provider
from caremap.people.enums import ConsentStatus
from caremap.people.models import Person
from caremap.people.queries import current_consent


@flag_provider
def record_flags(person: Person) -> list[Flag]:
    flags = []
    if person.date_of_death:
        flags.append(Flag("deceased", "Died", "high", person.date_of_death))
    consent = current_consent(person)
    if consent and consent.status != ConsentStatus.GIVEN:
        flags.append(
            Flag(
                "consent",
                f"Consent to share {consent.status.value}",
                "warning",
                consent.decided_on,
                "Check what may be shared before sharing anything",
            )
        )
    if person.interpreter_needed:
        flags.append(Flag("interpreter", f"Interpreter: {person.language or 'needed'}", "info"))
    return flags
