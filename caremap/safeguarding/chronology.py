"""That a concern exists appears in the chronology for those who may see the record;
what it is about stays with safeguarding leads and the enquiry's workers."""

from __future__ import annotations

from caremap.people.chronology import ChronologyEntry, chronology_provider
from caremap.safeguarding.queries import person_concerns


@chronology_provider
def concern_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    entries = []
    for concern in person_concerns(person_ids):
        entries.append(
            ChronologyEntry(
                concern.raised_at,
                "safeguarding",
                f"Safeguarding concern {concern.reference} raised",
                None,
                None,
                "safeguarding",
            )
        )
        if concern.closed_at:
            entries.append(
                ChronologyEntry(
                    concern.closed_at,
                    "safeguarding",
                    f"Safeguarding concern {concern.reference} closed",
                    None,
                    None,
                    "safeguarding",
                )
            )
    return entries
