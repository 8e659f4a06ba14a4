"""Cohorts of the urgent care strand: hospital admissions, discharges and reablement."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.episodes.enums import AVOIDABLE_CONDITIONS, BIG6_CONDITIONS, Day91Outcome, EpisodeKind
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, aged, episodes, flag
from caremap.people.models import Person


@cohort("ASCOF-2B")
def ascof_2b(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    if ctx.period.kind == "year":
        # the national collection's cohort: discharged 1 October – 31 December; a month
        # or a quarter takes its own discharges, for monitoring during the year
        first, last = dt.date(ctx.start.year, 10, 1), dt.date(ctx.start.year, 12, 31)
    else:
        first, last = ctx.start, ctx.end
    died_by_day_91 = sa.and_(
        Person.date_of_death.is_not(None),
        Person.date_of_death <= sql.add_days(Episode.discharged_on, 91),
    )
    # a death recorded by day 91 wins over an "at home" outcome recorded before it
    at_home = sa.and_(Episode.day91_outcome == Day91Outcome.AT_HOME, sa.not_(died_by_day_91))
    return episodes(
        flag(at_home),
        sa.literal(1),
        Episode.kind == EpisodeKind.REABLEMENT,
        Episode.discharged_on.between(first, last),
        aged(sql.age_on(Person.date_of_birth, Episode.discharged_on), ages),
    )


@cohort("BCF-DTOC")
def bcf_dtoc(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    after_period = ctx.end + dt.timedelta(days=1)
    # a stay not yet ended is delayed up to today, but never past the period
    still_in_until = min(after_period, ctx.today)
    left_on = sa.func.coalesce(Episode.ended_on, sql.date_value(still_in_until))
    delay_ends = sql.least(left_on, sql.date_value(after_period))
    delay_starts = sql.greatest(Episode.discharge_ready_on, sql.date_value(ctx.start))
    days = sql.days_between(delay_ends, delay_starts)
    return episodes(
        sql.greatest(days, sa.literal(0)),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOSPITAL_ADMISSION,
        Episode.discharge_ready_on.is_not(None),
        Episode.discharge_ready_on <= ctx.end,
        sa.or_(Episode.ended_on.is_(None), Episode.ended_on > ctx.start),
        aged(sql.age_on(Person.date_of_birth, Episode.discharge_ready_on), ages),
    )


def _emergency_admissions(ctx: Context, *where) -> sa.Select:
    return episodes(
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOSPITAL_ADMISSION,
        Episode.is_emergency.is_(True),
        Episode.started_on.between(ctx.start, ctx.end),
        *where,
    )


@cohort("LOCAL-AVOIDABLE-ADMISSIONS")
def local_avoidable_admissions(ctx: Context) -> sa.Select:
    return _emergency_admissions(ctx, Episode.admission_condition.in_(AVOIDABLE_CONDITIONS))


@cohort("PAED-BIG6")
def paed_big6(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    return _emergency_admissions(
        ctx,
        Episode.admission_condition.in_(BIG6_CONDITIONS),
        aged(sql.age_on(Person.date_of_birth, Episode.started_on), ages),
    )
