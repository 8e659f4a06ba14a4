"""Cohorts of the urgent care strand: hospital admissions, discharges (at weekends too)
and reablement (the 91-day measure, and ASCOF 2A from the reablement services)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.episodes.enums import AVOIDABLE_CONDITIONS, BIG6_CONDITIONS, Day91Outcome, EpisodeKind
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.cohorts.long_term_support import LONG_TERM
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, aged, episodes, flag, live, row
from caremap.longterm.models import CarePackage
from caremap.people.models import Person
from caremap.safeguarding.deadlines import is_working_day


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


def _weekends_and_bank_holidays(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every Saturday, Sunday and England bank holiday from first to last, as dates: the
    same list on both databases (no weekday arithmetic in SQL)."""
    days = (last - first).days + 1
    return [
        day
        for day in (first + dt.timedelta(days=n) for n in range(days))
        if not is_working_day(day)
    ]


@cohort("NHS-WEEKEND-DISCHARGES")
def weekend_discharges(ctx: Context) -> sa.Select:
    """Discharges from hospital (a hospital admission episode ending) in the period; the
    numerator those on a Saturday, Sunday or bank holiday in England."""
    off_days = _weekends_and_bank_holidays(ctx.start, ctx.end)
    return episodes(
        flag(Episode.ended_on.in_(off_days)),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOSPITAL_ADMISSION,
        Episode.ended_on.between(ctx.start, ctx.end),
    )


# ASCOF 2A by DHSC's central method, simplified (docs/indicators.md): reablement (ST-Max)
# services ending in the period for new clients, classified by what followed within a week
# (Create_ASCOF_2A_2425_Onwards.sql: sequel steps 1-4 and its numerator and denominator lists)
ST_MAX = "Short term support: ST-Max"
SHORT_TERM_SEQUELS = (
    "Short term support: Ongoing low level",
    "Short term support: Other short term",
)
SEQUEL_DAYS = 7
NEW_CLIENT_DAYS = 91
NO_FURTHER_SUPPORT = (
    "NFA: Information and advice or signposting",
    "NFA: Support ended as planned",
    "NFA: Responsibility moved to another local authority",
    "NFA: Other",
    "NFA: No services offered for other reason",
    "NFA: Support ended for other reason",
    "NFA: Referral to other service within the local authority",
)


@cohort("ASCOF23-2A")
def short_term_support_outcome(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    """One row per reablement service that ended in the period, of a person aged 18 or
    over then who had no long-term support in the 91 days before it began. Counted out:
    those who died within a week of its end or were admitted to hospital (its outcome);
    in the denominator only: those who went on to long-term support within a week; in
    both: a short-term service within a week, or an outcome of no further support."""
    later = sa.orm.aliased(CarePackage)

    def followed_by(service_types) -> sa.ColumnElement[bool]:
        return sa.exists().where(
            later.person_id == CarePackage.person_id,
            later.id != CarePackage.id,
            later.service_type.in_(service_types),
            later.started_on >= CarePackage.started_on,
            later.started_on <= sql.add_days(CarePackage.ended_on, SEQUEL_DAYS),
            sa.or_(later.ended_on.is_(None), later.ended_on > CarePackage.ended_on),
        )

    earlier = sa.orm.aliased(CarePackage)
    had_long_term_support = sa.exists().where(
        earlier.person_id == CarePackage.person_id,
        earlier.service_type.in_(LONG_TERM),
        earlier.started_on < CarePackage.started_on,
        sa.or_(
            earlier.ended_on.is_(None),
            sql.days_between(CarePackage.started_on, earlier.ended_on) < NEW_CLIENT_DAYS,
        ),
    )
    died_soon = sa.and_(
        Person.date_of_death.is_not(None),
        Person.date_of_death <= sql.add_days(CarePackage.ended_on, SEQUEL_DAYS),
    )
    long_term = followed_by(LONG_TERM)
    short_term = followed_by(SHORT_TERM_SEQUELS)
    no_further = sa.func.coalesce(CarePackage.outcome, "").in_(NO_FURTHER_SUPPORT)
    stmt = sa.select(*row(CarePackage.person_id, flag(~long_term & (short_term | no_further))))
    return live(stmt, CarePackage.person_id).where(
        CarePackage.service_type == ST_MAX,
        CarePackage.ended_on.between(ctx.start, ctx.end),
        aged(sql.age_on(Person.date_of_birth, CarePackage.ended_on), ages),
        ~had_long_term_support,
        ~died_soon,
        sa.func.coalesce(CarePackage.outcome, "") != "Admitted to hospital",
        long_term | short_term | no_further,
    )
