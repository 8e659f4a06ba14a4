"""The current assessment of each person, and counts by cohort in one query."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.cohorts.enums import Cohort
from caremap.cohorts.models import NeedsAssessment
from caremap.core.extensions import db
from caremap.people.enums import RecordStatus
from caremap.people.models import Person


def latest_assessments(*, recorded_before: dt.datetime | None = None):
    """A subquery of each person's newest assessment (id, person_id, cohort in force),
    or the newest recorded before a moment (what was in force then)."""
    ranked = sa.select(
        NeedsAssessment.id,
        NeedsAssessment.person_id,
        sa.func.coalesce(NeedsAssessment.override_cohort, NeedsAssessment.derived_cohort).label(
            "cohort"
        ),
        sa.func.row_number()
        .over(
            partition_by=NeedsAssessment.person_id,
            order_by=(NeedsAssessment.recorded_at.desc(), NeedsAssessment.id.desc()),
        )
        .label("rank"),
    )
    if recorded_before is not None:
        ranked = ranked.where(NeedsAssessment.recorded_at < recorded_before)
    ranked = ranked.subquery()
    return (
        sa.select(ranked.c.id, ranked.c.person_id, ranked.c.cohort)
        .where(ranked.c.rank == 1)
        .subquery()
    )


def cohort_counts() -> dict[str, int]:
    """How many live people are in each cohort now: one query."""
    latest = latest_assessments()
    rows = db.session.execute(
        sa.select(latest.c.cohort, sa.func.count())
        .join(Person, Person.id == latest.c.person_id)
        .where(Person.status == RecordStatus.LIVE, latest.c.cohort.is_not(None))
        .group_by(latest.c.cohort)
    ).all()
    counts = {cohort.value: 0 for cohort in Cohort}
    counts.update({str(cohort): n for cohort, n in rows})
    return counts


def cohorts_of(person_ids: list[int]) -> dict[int, str]:
    latest = latest_assessments()
    return dict(
        db.session.execute(
            sa.select(latest.c.person_id, latest.c.cohort).where(
                latest.c.person_id.in_(person_ids), latest.c.cohort.is_not(None)
            )
        ).all()
    )


def assessments_of(person_id: int) -> list[NeedsAssessment]:
    return list(
        db.session.scalars(
            sa.select(NeedsAssessment)
            .where(NeedsAssessment.person_id == person_id)
            .order_by(NeedsAssessment.recorded_at.desc(), NeedsAssessment.id.desc())
        )
    )
