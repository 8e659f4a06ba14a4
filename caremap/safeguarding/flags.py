"""The safeguarding flag: that a concern or enquiry is open (or was), never its detail."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.extensions import db
from caremap.flags import Flag, flag_provider
from caremap.safeguarding.enums import ConcernStatus
from caremap.safeguarding.models import Concern

_OPEN = (
    ConcernStatus.AWAITING_TRIAGE,
    ConcernStatus.SECTION_42_ENQUIRY,
    ConcernStatus.OTHER_ENQUIRY,
)


@flag_provider
def safeguarding_flag(person) -> list[Flag]:
    first_open, any_ever = db.session.execute(
        sa.select(
            sa.func.min(Concern.raised_at).filter(Concern.status.in_(_OPEN)),
            sa.func.count(Concern.id),
        ).where(Concern.person_id == person.id)
    ).one()
    if first_open is not None:
        return [
            Flag(
                "safeguarding",
                "Safeguarding: open",
                "high",
                first_open.date(),
                "Ask a safeguarding lead before acting",
            )
        ]
    if any_ever:
        return [Flag("safeguarding_history", "Safeguarding history", "info", None, None)]
    return []
