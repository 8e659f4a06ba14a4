"""Counting medicines: exact at any date, set-based, for one person or the whole city."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.medicines.models import MedicationReview, Medicine, PolypharmacyThresholds


def active_on(day: dt.date):
    """Taken on `day`: started on or before it, not stopped by then."""
    return sa.and_(
        Medicine.started_on <= day, sa.or_(Medicine.stopped_on.is_(None), Medicine.stopped_on > day)
    )


def thresholds() -> PolypharmacyThresholds:
    """The one row of thresholds (the migration writes the defaults, 4 and 10)."""
    return db.session.get(PolypharmacyThresholds, 1)


def active_counts(person_ids: list[int], *, on: dt.date) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Medicine.person_id, sa.func.count())
        .where(Medicine.person_id.in_(person_ids), active_on(on))
        .group_by(Medicine.person_id)
    ).all()
    return dict(rows)


def people_with_at_least(count: int, *, on: dt.date) -> sa.Select:
    """The ids of everyone taking `count` or more medicines on a date (for indicators)."""
    return (
        sa.select(Medicine.person_id)
        .where(active_on(on))
        .group_by(Medicine.person_id)
        .having(sa.func.count() >= count)
    )


def count_people_with_at_least(count: int, *, on: dt.date) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(people_with_at_least(count, on=on).subquery())
    )


def medicines_of(person_id: int) -> list[Medicine]:
    return list(
        db.session.scalars(
            sa.select(Medicine)
            .where(Medicine.person_id == person_id)
            .order_by(Medicine.stopped_on.is_not(None), Medicine.name, Medicine.id)
        )
    )


def last_reviews(person_ids: list[int]) -> dict[int, dt.date]:
    return dict(
        db.session.execute(
            sa.select(MedicationReview.person_id, sa.func.max(MedicationReview.reviewed_on))
            .where(MedicationReview.person_id.in_(person_ids))
            .group_by(MedicationReview.person_id)
        ).all()
    )


def reviews_of(person_id: int) -> list[MedicationReview]:
    return list(
        db.session.scalars(
            sa.select(MedicationReview)
            .where(MedicationReview.person_id == person_id)
            .order_by(MedicationReview.reviewed_on.desc(), MedicationReview.id.desc())
        )
    )
