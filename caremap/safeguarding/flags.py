"""The safeguarding flag: that a concern or enquiry is open (or was), never its detail."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.flags import Flag
from caremap.safeguarding.enums import ConcernStatus
from caremap.safeguarding.models import Concern

_OPEN = (
    ConcernStatus.AWAITING_TRIAGE,
    ConcernStatus.SECTION_42_ENQUIRY,
    ConcernStatus.OTHER_ENQUIRY,
)


def safeguarding_flags(people: Sequence) -> dict[int, list[Flag]]:
    rows = db.session.execute(
        sa.select(
            Concern.person_id,
            # Open since the day it was raised, not the day it was written up.
            sa.func.min(Concern.raised_on).filter(Concern.status.in_(_OPEN)),
        )
        .where(Concern.person_id.in_([p.id for p in people]))
        .group_by(Concern.person_id)
    ).all()
    found = {}
    for person_id, first_open in rows:
        if first_open is not None:
            found[person_id] = [
                Flag(
                    "safeguarding",
                    "Safeguarding: open",
                    "high",
                    first_open,
                    "Ask a safeguarding lead before acting",
                )
            ]
        else:
            found[person_id] = [Flag("safeguarding_history", "Safeguarding history", "info")]
    return found
