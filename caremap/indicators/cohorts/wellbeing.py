"""Cohorts of the wellbeing strand: carers on people's records, carers' assessments, and
medicines."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, flag, live, row
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.models import CareAssessment, CareReview
from caremap.medicines.models import MedicationReview, Medicine
from caremap.medicines.queries import active_on, thresholds
from caremap.people.models import Person, RelatedPerson


@cohort("ASCOF-3C")
def ascof_3c(ctx: Context) -> sa.Select:
    involved = RelatedPerson.involved_in_care.is_(True)
    stmt = sa.select(*row(RelatedPerson.person_id, flag(involved)))
    return live(stmt, RelatedPerson.person_id).where(
        RelatedPerson.is_carer.is_(True),
        RelatedPerson.is_active.is_(True),
        # a carer nobody asked about is not a carer left out
        RelatedPerson.involved_in_care.is_not(None),
        RelatedPerson.created_at < ctx.until,
    )


@cohort("CARERS-ASSESSED")
def carers_assessed(ctx: Context) -> sa.Select:
    """Carers whose statutory carer's assessment (Care Act s10) was completed in the
    period: one row per carer, however many assessments they had."""
    assessed = (
        sa.select(CareAssessment.person_id.label("person_id"))
        .where(
            CareAssessment.kind == AssessmentKind.CARERS,
            CareAssessment.ended_on.between(ctx.start, ctx.end),
        )
        .distinct()
        .subquery()
    )
    stmt = sa.select(*row(assessed.c.person_id, sa.literal(1))).select_from(assessed)
    return live(stmt, assessed.c.person_id)


def _scores(model, ctx: Context) -> sa.Select:
    """The WEMWBS totals recorded in the period on one kind of event, each on its day:
    the event's end, or its start while it is open."""
    day = sa.func.coalesce(model.ended_on, model.started_on)
    return sa.select(
        model.person_id.label("person_id"),
        model.id.label("event_id"),
        day.label("day"),
        model.wemwbs_score.label("score"),
    ).where(model.wemwbs_score.is_not(None), day.between(ctx.start, ctx.end))


@cohort("WEMWBS-AVERAGE")
def wemwbs_average(ctx: Context) -> sa.Select:
    """One row per person scored in the period, with their latest score (the later
    day; a review after an assessment on the same day; then the later row)."""
    scores = sa.union_all(
        _scores(CareAssessment, ctx).add_columns(sa.literal(0).label("kind")),
        _scores(CareReview, ctx).add_columns(sa.literal(1).label("kind")),
    ).subquery()
    ranked = sa.select(
        scores.c.person_id,
        scores.c.score,
        sa.func.row_number()
        .over(
            partition_by=scores.c.person_id,
            order_by=(scores.c.day.desc(), scores.c.kind.desc(), scores.c.event_id.desc()),
        )
        .label("n"),
    ).subquery()
    latest = sa.select(ranked.c.person_id, ranked.c.score).where(ranked.c.n == 1).subquery()
    stmt = sa.select(*row(latest.c.person_id, latest.c.score)).select_from(latest)
    return live(stmt, latest.c.person_id)


def _medicines_threshold(name: str) -> int:
    """The number of medicines a threshold stands at: admins change them on the
    medicines page, so the definition names the threshold and the database holds it."""
    stored = thresholds()
    return {"polypharmacy": stored.flag_at, "high_risk": stored.high_at}[name]


def _active_medicines(day: dt.date) -> sa.Select:
    """Live people taking at least the polypharmacy threshold (the lower one) of
    medicines on a day, with their number of medicines and their district: joined to
    live records once here rather than once by each of the three cohorts reading it."""
    counts = (
        sa.select(Medicine.person_id, sa.func.count().label("medicines"))
        .where(active_on(day))
        .group_by(Medicine.person_id)
        .having(sa.func.count() >= _medicines_threshold("polypharmacy"))
        .subquery()
    )
    stmt = sa.select(
        counts.c.person_id, counts.c.medicines, sql.outward_code(Person.postcode).label("district")
    )
    return live(stmt, counts.c.person_id)


def _taking_at_least(ctx: Context, threshold: str):
    """The people taking at least the threshold's number of medicines on the last day:
    the three medicines indicators read one shared count of everyone's medicines."""
    counts = ctx.shared("active_medicines", lambda: _active_medicines(ctx.end))
    at_least = _medicines_threshold(threshold)
    return (
        sa.select(counts.c.person_id, counts.c.district)
        .where(counts.c.medicines >= at_least)
        .subquery()
    )


@cohort("MED-POLYPHARMACY")
@cohort("MED-HIGH-RISK")
def taking_at_least(ctx: Context, *, threshold: str) -> sa.Select:
    taking = _taking_at_least(ctx, threshold)
    return sa.select(*row(taking.c.person_id, sa.literal(1), district=taking.c.district))


@cohort("MED-REVIEWED")
def med_reviewed(ctx: Context, *, threshold: str, within_days: int) -> sa.Select:
    since = ctx.end - dt.timedelta(days=within_days)
    taking = _taking_at_least(ctx, threshold)
    # the people reviewed in the window, once each: one pass over the window's reviews
    # rather than a probe of the reviews for each person taking medicines
    reviewed = sa.select(MedicationReview.person_id).where(
        MedicationReview.reviewed_on > since, MedicationReview.reviewed_on <= ctx.end
    )
    return sa.select(
        *row(taking.c.person_id, flag(taking.c.person_id.in_(reviewed)), district=taking.c.district)
    )
