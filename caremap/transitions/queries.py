"""The read side of transition planning."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.transitions.models import TransitionPlan


def plan_of(person_id: int) -> TransitionPlan | None:
    """The person's transition plan (there is at most one), or None."""
    return db.session.scalar(sa.select(TransitionPlan).where(TransitionPlan.person_id == person_id))
