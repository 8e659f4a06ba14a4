"""What every dated event in a person's record must respect: their life."""

from __future__ import annotations

import datetime as dt

from caremap.core.errors import DomainError
from caremap.people.models import Person


def spoken(day: dt.date) -> str:
    """A day as a message says it: 3 November 2026."""
    return f"{day.day} {day:%B %Y}"


def check_within_life(person: Person, day: dt.date, *, field: str) -> None:
    """Nothing is done for a person before they were born or after they died: a date
    outside their life is a typing mistake that would put an event in the wrong period."""
    if day < person.date_of_birth:
        raise DomainError(
            f"must not be before the person was born ({spoken(person.date_of_birth)})",
            field=field,
        )
    if person.date_of_death is not None and day > person.date_of_death:
        raise DomainError(
            f"must not be after the person died ({spoken(person.date_of_death)})", field=field
        )
