"""The transition flag: from the transition age until the service's responsibility ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from caremap.core import clock
from caremap.flags import Among, Flag, FlagSource
from caremap.people.models import Person
from caremap.transitions.models import TransitionBasis, TransitionPlan
from caremap.transitions.operations import ADULT_AGE, is_known_to_services, start_age


def _transition_rows(among: Among, today: dt.date) -> sa.Select:
    """From the transition age until 25, alive: the only people a transition flag can
    concern; their plan, if any, and whether they are known to services."""
    return (
        sa.select(
            Person.id.label("person_id"),
            TransitionPlan.responsibility_ends_on.label("day1"),
            TransitionPlan.basis.label("text1"),
            TransitionPlan.recorded_at.label("at"),
            sa.case((is_known_to_services(Person.id), 1), else_=0).label("number1"),
        )
        .outerjoin(TransitionPlan, TransitionPlan.person_id == Person.id)
        .where(
            among(Person.id),
            Person.date_of_birth <= today - start_age(),
            Person.date_of_birth > today - relativedelta(years=25),
            Person.date_of_death.is_(None),
        )
    )


def _transition_flags(people: Sequence, rows: list) -> dict[int, list[Flag]]:
    today = clock.today()
    by_id = {p.id: p for p in people}
    found = {}
    for row in rows:
        person = by_id[row.person_id]
        if row.day1 is not None:  # a plan
            if row.day1 > today:
                basis = TransitionBasis(row.text1).value.replace("_", " ")
                label = f"Transition: support to {row.day1:%-d %B %Y} ({basis})"
                found[person.id] = [Flag("transition", label, "info", row.at.date())]
        elif row.number1 and person.date_of_birth > today - relativedelta(years=ADULT_AGE):
            found[person.id] = [
                Flag(
                    "transition",
                    "Transition planning due",
                    "warning",
                    person.date_of_birth + start_age(),
                )
            ]
    return found


# The transition flag: from the transition age until the service's responsibility ends.
transition_flags = FlagSource(_transition_rows, _transition_flags)
