"""That a concern exists appears in the chronology for those who may see the record;
what it is about stays with safeguarding leads and the enquiry's workers."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.chronology import ChronologyEntry
from caremap.safeguarding.models import Concern


def concern_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    # Only what the entry shows: the reference and two times, never the concern's detail.
    rows = db.session.execute(
        sa.select(Concern.reference, Concern.raised_at, Concern.closed_at).where(
            Concern.person_id.in_(person_ids)
        )
    )
    entries = []
    for reference, raised_at, closed_at in rows:
        entries.append(
            ChronologyEntry(
                raised_at,
                "safeguarding",
                f"Safeguarding concern {reference} raised",
                None,
                None,
                "safeguarding",
            )
        )
        if closed_at:
            entries.append(
                ChronologyEntry(
                    closed_at,
                    "safeguarding",
                    f"Safeguarding concern {reference} closed",
                    None,
                    None,
                    "safeguarding",
                )
            )
    return entries
