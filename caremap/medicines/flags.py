"""The polypharmacy flag: four or more active medicines (configurable), high risk at ten."""

from __future__ import annotations

from collections.abc import Sequence

from caremap.core import clock
from caremap.flags import Flag
from caremap.medicines.queries import active_counts, last_reviews, thresholds


def polypharmacy_flags(people: Sequence) -> dict[int, list[Flag]]:
    limits = thresholds()
    ids = [p.id for p in people]
    counts = active_counts(ids, on=clock.today())
    flagged = [pid for pid, n in counts.items() if n >= limits.flag_at]
    reviewed = last_reviews(flagged) if flagged else {}
    found = {}
    for person_id in flagged:
        n = counts[person_id]
        severity = "high" if n >= limits.high_at else "warning"
        label = f"{'High-risk p' if severity == 'high' else 'P'}olypharmacy: {n} medicines"
        detail = (
            f"Last reviewed {reviewed[person_id]:%-d %B %Y}"
            if person_id in reviewed
            else "Not reviewed yet"
        )
        found[person_id] = [
            Flag("polypharmacy", label, severity, None, detail, f"/people/{person_id}/medicines")
        ]
    return found
