"""The transition flag: from the transition age until the service's responsibility ends."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from caremap.core import clock
from caremap.core.extensions import db
from caremap.flags import Flag
from caremap.transitions.models import TransitionPlan
from caremap.transitions.operations import ADULT_AGE, known_to_services, start_age


def transition_flags(people: Sequence) -> dict[int, list[Flag]]:
    today = clock.today()
    starts = today - start_age()
    candidates = [
        p
        for p in people
        if p.date_of_birth <= starts
        and not p.date_of_death
        and p.date_of_birth > today - relativedelta(years=25)
    ]
    if not candidates:
        return {}
    ids = [p.id for p in candidates]
    known = known_to_services()
    known_ids = set(
        db.session.scalars(sa.select(known.c.person_id).where(known.c.person_id.in_(ids)))
    )
    plans = {
        p.person_id: p
        for p in db.session.scalars(
            sa.select(TransitionPlan).where(TransitionPlan.person_id.in_(ids))
        )
    }
    found = {}
    for person in candidates:
        plan = plans.get(person.id)
        if plan is not None:
            if plan.responsibility_ends_on > today:
                basis = plan.basis.value.replace("_", " ")
                label = f"Transition: support to {plan.responsibility_ends_on:%-d %B %Y} ({basis})"
                found[person.id] = [Flag("transition", label, "info", plan.recorded_at.date())]
        elif person.id in known_ids and person.date_of_birth > today - relativedelta(
            years=ADULT_AGE
        ):
            found[person.id] = [
                Flag(
                    "transition",
                    "Transition planning due",
                    "warning",
                    person.date_of_birth + start_age(),
                )
            ]
    return found
