"""The safeguarding flag: that a concern or enquiry is open (or was), never its detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from caremap.flags import Among, Flag, FlagSource
from caremap.safeguarding.enums import ConcernStatus
from caremap.safeguarding.models import Concern

_OPEN = (
    ConcernStatus.AWAITING_TRIAGE,
    ConcernStatus.SECTION_42_ENQUIRY,
    ConcernStatus.OTHER_ENQUIRY,
)


def _concern_rows(among: Among, today: dt.date) -> sa.Select:
    return (
        sa.select(
            Concern.person_id,
            # Open since the day it was raised, not the day it was written up.
            # Each status its own bound value, not an IN list: the flags' statement keeps
            # one SQL text, with nothing to expand on every read (caremap/flags).
            sa.func.min(Concern.raised_on)
            .filter(sa.or_(*(Concern.status == status for status in _OPEN)))
            .label("day1"),
        )
        .where(among(Concern.person_id))
        .group_by(Concern.person_id)
    )


def _concern_flags(people: Sequence, rows: list) -> dict[int, list[Flag]]:
    found = {}
    for row in rows:
        if row.day1 is not None:
            found[row.person_id] = [
                Flag(
                    "safeguarding",
                    "Safeguarding: open",
                    "high",
                    row.day1,
                    "Ask a safeguarding lead before acting",
                )
            ]
        else:
            found[row.person_id] = [Flag("safeguarding_history", "Safeguarding history", "info")]
    return found


safeguarding_flags = FlagSource(_concern_rows, _concern_flags)
