"""The polypharmacy flag: four or more active medicines (configurable), high risk at ten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from caremap.flags import Among, Flag, FlagSource
from caremap.medicines.models import MedicationReview, Medicine, PolypharmacyThresholds
from caremap.medicines.queries import active_on


def _polypharmacy_rows(among: Among, today: dt.date) -> sa.Select:
    """People taking at least the flag threshold of medicines today, how many, the high
    threshold, and their last review. The thresholds are read in the same statement:
    a change shows at once and costs no statement of its own."""
    limits = sa.select(PolypharmacyThresholds).where(PolypharmacyThresholds.id == 1).subquery()
    counts = (
        sa.select(Medicine.person_id, sa.func.count().label("taken"))
        .where(among(Medicine.person_id), active_on(today))
        .group_by(Medicine.person_id)
        .subquery()
    )
    last_review = (
        sa.select(sa.func.max(MedicationReview.reviewed_on))
        .where(MedicationReview.person_id == counts.c.person_id)
        .scalar_subquery()
    )
    return sa.select(
        counts.c.person_id,
        counts.c.taken.label("number1"),
        limits.c.high_at.label("number2"),
        last_review.label("day1"),
    ).where(counts.c.taken >= limits.c.flag_at)


def _polypharmacy_flags(people: Sequence, rows: list) -> dict[int, list[Flag]]:
    found = {}
    for row in rows:
        n = row.number1
        severity = "high" if n >= row.number2 else "warning"
        label = f"{'High-risk p' if severity == 'high' else 'P'}olypharmacy: {n} medicines"
        detail = f"Last reviewed {row.day1:%-d %B %Y}" if row.day1 else "Not reviewed yet"
        found[row.person_id] = [
            Flag(
                "polypharmacy", label, severity, None, detail, f"/people/{row.person_id}/medicines"
            )
        ]
    return found


polypharmacy_flags = FlagSource(_polypharmacy_rows, _polypharmacy_flags)
