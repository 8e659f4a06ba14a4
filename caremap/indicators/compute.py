"""Computing the indicators: one set-based SQL cohort per indicator, never a loop over people.

Each indicator's cohort is a SELECT of rows (person_id, num, den): one row per thing
counted (an episode, a referral, a concern, a person). The figures are sums over it in
one aggregate query, and the drill-down lists the people of the rows with num > 0 (the
numerator) or den > 0 (the denominator) from the very same SELECT, so the people shown
are always the people counted. Rates divide the numerator by a population from
`population_estimates`; medians are taken over the rows' `value` column.

What each cohort is, in words, is in seed/indicators.json; the functions below are
named after the codes there and follow those words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service, Strand
from caremap.cohorts.enums import Cohort
from caremap.cohorts.queries import latest_assessments
from caremap.core.extensions import db
from caremap.episodes.enums import (
    AVOIDABLE_CONDITIONS,
    BIG6_CONDITIONS,
    Day91Outcome,
    EpisodeKind,
    HomelessnessOutcome,
    SupportType,
)
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.definitions import Definition, definition, definitions
from caremap.indicators.models import PostcodeDistrict
from caremap.indicators.periods import Period
from caremap.indicators.populations import population_for
from caremap.indicators.results import Filters, IndicatorResult
from caremap.medicines.models import MedicationReview
from caremap.medicines.queries import people_with_at_least, thresholds
from caremap.people.enums import RecordStatus
from caremap.people.models import Person, RelatedPerson
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from caremap.safeguarding.enums import (
    CARE_HOME_LOCATIONS,
    EnquiryStatus,
    OutcomesAchieved,
    RiskOutcome,
    TriageDecision,
)
from caremap.safeguarding.models import Concern, Enquiry

REREFERRAL_DAYS = 183  # six months
REVIEW_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Context:
    period: Period
    filters: Filters
    today: dt.date

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def since(self) -> dt.datetime:
        return sql.start_of(self.period.start)

    @property
    def until(self) -> dt.datetime:
        """The first moment after the period."""
        return sql.start_of(self.period.end + dt.timedelta(days=1))

    @property
    def now(self) -> dt.datetime:
        return sql.start_of(self.today)


def _row(person_id, num, den=None, value=None):
    """The columns every cohort selects: who, counts towards the numerator / denominator,
    and a value to take the median of."""
    return (
        person_id.label("person_id"),
        sa.cast(num, sa.Integer).label("num"),
        sa.cast(den if den is not None else sa.literal(1), sa.Integer).label("den"),
        sa.cast(value if value is not None else sa.null(), sa.Float).label("value"),
    )


def _flag(condition) -> sa.Case:
    return sa.case((condition, 1), else_=0)


def _live(stmt: sa.Select, person_id) -> sa.Select:
    return stmt.join(Person, Person.id == person_id).where(Person.status == RecordStatus.LIVE)


def _area(stmt: sa.Select, ctx: Context) -> sa.Select:
    """Narrow to people living in the filter's area (by their postcode district)."""
    if not ctx.filters.area:
        return stmt
    districts = sa.select(PostcodeDistrict.district).where(
        PostcodeDistrict.area_code == ctx.filters.area
    )
    return stmt.where(sql.outward_code(Person.postcode).in_(districts))


def _service(stmt: sa.Select, service_id, ctx: Context) -> sa.Select:
    if ctx.filters.service:
        stmt = stmt.where(
            service_id.in_(sa.select(Service.id).where(Service.code == ctx.filters.service))
        )
    if ctx.filters.strand:
        stmt = stmt.where(
            service_id.in_(
                sa.select(Service.id).join(Strand).where(Strand.code == ctx.filters.strand)
            )
        )
    return stmt


def _episodes(ctx: Context, num, den, *where) -> sa.Select:
    stmt = _live(sa.select(*_row(Episode.person_id, num, den)), Episode.person_id).where(*where)
    return _area(_service(stmt, Episode.service_id, ctx), ctx)


def _open_on(day: dt.date):
    return sa.and_(
        Episode.started_on <= day, sa.or_(Episode.ended_on.is_(None), Episode.ended_on > day)
    )


# ---- urgent care and long-term support -------------------------------------------


def ascof_2b(ctx: Context) -> sa.Select:
    if ctx.period.kind == "year":  # the ASCOF cohort: discharged 1 October – 31 December
        first, last = dt.date(ctx.start.year, 10, 1), dt.date(ctx.start.year, 12, 31)
    else:
        first, last = ctx.start, ctx.end
    died_by_day_91 = sa.and_(
        Person.date_of_death.is_not(None),
        Person.date_of_death <= sql.add_days(Episode.discharged_on, 91),
    )
    at_home = sa.and_(Episode.day91_outcome == Day91Outcome.AT_HOME, sa.not_(died_by_day_91))
    return _episodes(
        ctx,
        _flag(at_home),
        sa.literal(1),
        Episode.kind == EpisodeKind.REABLEMENT,
        Episode.discharged_on.between(first, last),
        sql.age_on(Person.date_of_birth, Episode.discharged_on) >= 65,
    )


def _permanent_admissions(ctx: Context, youngest: int, oldest: int | None) -> sa.Select:
    age = sql.age_on(Person.date_of_birth, Episode.started_on)
    ages = age >= youngest if oldest is None else age.between(youngest, oldest)
    return _episodes(
        ctx,
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.CARE_HOME_ADMISSION,
        Episode.is_permanent.is_(True),
        sa.func.coalesce(Episode.moved_from_care_home, sa.false()).is_(False),
        Episode.started_on.between(ctx.start, ctx.end),
        ages,
    )


def ascof_2a_65(ctx: Context) -> sa.Select:
    return _permanent_admissions(ctx, 65, None)


def ascof_2a_18_64(ctx: Context) -> sa.Select:
    return _permanent_admissions(ctx, 18, 64)


def bcf_dtoc(ctx: Context) -> sa.Select:
    after_period = ctx.end + dt.timedelta(days=1)
    still_in_until = min(after_period, ctx.today)
    left_on = sa.func.coalesce(Episode.ended_on, sql.date_value(still_in_until))
    delay_ends = sql.least(left_on, sql.date_value(after_period))
    delay_starts = sql.greatest(Episode.discharge_ready_on, sql.date_value(ctx.start))
    days = sql.days_between(delay_ends, delay_starts)
    return _episodes(
        ctx,
        sql.greatest(days, sa.literal(0)),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOSPITAL_ADMISSION,
        Episode.discharge_ready_on.is_not(None),
        Episode.discharge_ready_on <= ctx.end,
        sa.or_(Episode.ended_on.is_(None), Episode.ended_on > ctx.start),
        sql.age_on(Person.date_of_birth, Episode.discharge_ready_on) >= 18,
    )


def _emergency_admissions(ctx: Context, *where) -> sa.Select:
    return _episodes(
        ctx,
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOSPITAL_ADMISSION,
        Episode.is_emergency.is_(True),
        Episode.started_on.between(ctx.start, ctx.end),
        *where,
    )


def local_avoidable_admissions(ctx: Context) -> sa.Select:
    return _emergency_admissions(ctx, Episode.admission_condition.in_(AVOIDABLE_CONDITIONS))


def paed_big6(ctx: Context) -> sa.Select:
    return _emergency_admissions(
        ctx,
        Episode.admission_condition.in_(BIG6_CONDITIONS),
        sql.age_on(Person.date_of_birth, Episode.started_on) < 18,
    )


def _self_directed(ctx: Context, support_types: tuple[SupportType, ...]) -> sa.Select:
    long_term = sa.select(Service.id).join(Strand).where(Strand.code == "long_term_support")
    receives = sa.and_(
        Episode.kind == EpisodeKind.SELF_DIRECTED_SUPPORT, Episode.support_type.in_(support_types)
    )
    stmt = (
        sa.select(*_row(Episode.person_id, sa.func.max(_flag(receives))))
        .join(Person, Person.id == Episode.person_id)
        .where(
            Person.status == RecordStatus.LIVE,
            _open_on(ctx.end),
            sa.or_(
                Episode.kind == EpisodeKind.SELF_DIRECTED_SUPPORT,
                Episode.service_id.in_(long_term),
            ),
            # community-based support: living in a care home is not in the cohort
            Episode.kind != EpisodeKind.CARE_HOME_ADMISSION,
        )
        .group_by(Episode.person_id)
    )
    return _area(stmt, ctx)


def ascof_1c_sds(ctx: Context) -> sa.Select:
    return _self_directed(ctx, (SupportType.PERSONAL_BUDGET, SupportType.DIRECT_PAYMENT))


def ascof_1c_dp(ctx: Context) -> sa.Select:
    return _self_directed(ctx, (SupportType.DIRECT_PAYMENT,))


def ascof_3c(ctx: Context) -> sa.Select:
    stmt = _live(
        sa.select(*_row(RelatedPerson.person_id, _flag(RelatedPerson.involved_in_care.is_(True)))),
        RelatedPerson.person_id,
    ).where(
        RelatedPerson.is_carer.is_(True),
        RelatedPerson.is_active.is_(True),
        RelatedPerson.involved_in_care.is_not(None),
        RelatedPerson.created_at < ctx.until,
    )
    return _area(stmt, ctx)


def housing_prevented(ctx: Context) -> sa.Select:
    return _episodes(
        ctx,
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOMELESSNESS_PREVENTION,
        Episode.ended_on.between(ctx.start, ctx.end),
        Episode.homelessness_outcome == HomelessnessOutcome.PREVENTED,
    )


# ---- safeguarding ----------------------------------------------------------------


def _concerns(ctx: Context, num) -> sa.Select:
    stmt = _live(sa.select(*_row(Concern.person_id, num)), Concern.person_id).where(
        Concern.raised_at >= ctx.since, Concern.raised_at < ctx.until
    )
    return _area(stmt, ctx)


def sg_concerns(ctx: Context) -> sa.Select:
    return _concerns(ctx, sa.literal(1))


def sg_s42(ctx: Context) -> sa.Select:
    return _concerns(ctx, _flag(Concern.decision == TriageDecision.SECTION_42_ENQUIRY))


def sg_community(ctx: Context) -> sa.Select:
    return _concerns(ctx, _flag(Concern.risk_location.not_in(CARE_HOME_LOCATIONS)))


def _completed_enquiries(ctx: Context, num, *where) -> sa.Select:
    stmt = _live(sa.select(*_row(Enquiry.person_id, num)), Enquiry.person_id).where(
        Enquiry.status == EnquiryStatus.CONCLUDED,
        Enquiry.is_section_42.is_(True),
        Enquiry.closed_on.between(ctx.start, ctx.end),
        *where,
    )
    return _area(stmt, ctx)


def sg_enquiries_completed(ctx: Context) -> sa.Select:
    return _completed_enquiries(ctx, sa.literal(1))


def sg_risk_reduced(ctx: Context) -> sa.Select:
    reduced = Enquiry.risk_outcome.in_((RiskOutcome.REMOVED, RiskOutcome.REDUCED))
    return _completed_enquiries(ctx, _flag(reduced), Enquiry.risk_outcome.is_not(None))


def sg_outcomes_achieved(ctx: Context) -> sa.Select:
    achieved = Enquiry.outcomes_achieved.in_((OutcomesAchieved.FULLY, OutcomesAchieved.PARTLY))
    return _completed_enquiries(ctx, _flag(achieved), Enquiry.outcomes_achieved.is_not(None))


# ---- referrals -------------------------------------------------------------------


def _referrals(ctx: Context, num, *where, value=None) -> sa.Select:
    stmt = _live(sa.select(*_row(Referral.person_id, num, value=value)), Referral.person_id).where(
        Referral.received_at >= ctx.since, Referral.received_at < ctx.until, *where
    )
    return _area(_service(stmt, Referral.service_id, ctx), ctx)


def ref_new(ctx: Context) -> sa.Select:
    return _referrals(ctx, sa.literal(1), Referral.redirected_from_id.is_(None))


def ref_on_time(ctx: Context) -> sa.Select:
    on_time = sa.and_(Referral.responded_at.is_not(None), Referral.responded_at <= Referral.due_at)
    return _referrals(
        ctx,
        _flag(on_time),
        sa.or_(Referral.responded_at.is_not(None), Referral.due_at < ctx.now),
    )


def ref_days_to_contact(ctx: Context) -> sa.Select:
    days = sql.fractional_days_between(Referral.responded_at, Referral.received_at)
    return _referrals(ctx, sa.literal(1), Referral.responded_at.is_not(None), value=days)


def ref_redirected(ctx: Context) -> sa.Select:
    return _referrals(ctx, _flag(Referral.status == ReferralStatus.REDIRECTED))


def ref_rereferral_6m(ctx: Context) -> sa.Select:
    earlier = sa.orm.aliased(Referral)
    again = (
        sa.select(earlier.id)
        .where(
            earlier.person_id == Referral.person_id,
            earlier.service_id == Referral.service_id,
            earlier.received_at < Referral.received_at,
            earlier.received_at >= sql.timestamp_minus_days(Referral.received_at, REREFERRAL_DAYS),
        )
        .exists()
    )
    return _referrals(ctx, _flag(again), Referral.redirected_from_id.is_(None))


# ---- medicines and multiple needs --------------------------------------------------


def _taking_at_least(ctx: Context, count: int, num) -> sa.Select:
    taking = people_with_at_least(count, on=ctx.end).subquery()
    stmt = _live(sa.select(*_row(taking.c.person_id, num)), taking.c.person_id)
    return _area(stmt, ctx)


def med_polypharmacy(ctx: Context) -> sa.Select:
    return _taking_at_least(ctx, thresholds().flag_at, sa.literal(1))


def med_high_risk(ctx: Context) -> sa.Select:
    return _taking_at_least(ctx, thresholds().high_at, sa.literal(1))


def med_reviewed(ctx: Context) -> sa.Select:
    since = ctx.end - dt.timedelta(days=REVIEW_WINDOW_DAYS)
    taking = people_with_at_least(thresholds().flag_at, on=ctx.end).subquery()
    reviewed = (
        sa.select(MedicationReview.id)
        .where(
            MedicationReview.person_id == taking.c.person_id,
            MedicationReview.reviewed_on > since,
            MedicationReview.reviewed_on <= ctx.end,
        )
        .exists()
    )
    stmt = _live(sa.select(*_row(taking.c.person_id, _flag(reviewed))), taking.c.person_id)
    return _area(stmt, ctx)


def _cohort(ctx: Context, cohorts: tuple[Cohort, ...], num) -> sa.Select:
    latest = latest_assessments(recorded_before=ctx.until)
    stmt = _live(sa.select(*_row(latest.c.person_id, num)), latest.c.person_id).where(
        latest.c.cohort.in_(cohorts)
    )
    return _area(stmt, ctx)


def mn_core(ctx: Context) -> sa.Select:
    return _cohort(ctx, (Cohort.CORE,), sa.literal(1))


def mn_edge(ctx: Context) -> sa.Select:
    return _cohort(ctx, (Cohort.EDGE,), sa.literal(1))


def mn_stable(ctx: Context) -> sa.Select:
    return _cohort(ctx, (Cohort.STABLE,), sa.literal(1))


def mn_key_worker(ctx: Context) -> sa.Select:
    latest = latest_assessments(recorded_before=ctx.until)
    has_lead = (
        sa.select(CareTeamMember.id)
        .where(
            CareTeamMember.person_id == latest.c.person_id,
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.started_at < ctx.until,
            sa.or_(CareTeamMember.ended_at.is_(None), CareTeamMember.ended_at >= ctx.until),
        )
        .exists()
    )
    stmt = _live(sa.select(*_row(latest.c.person_id, _flag(has_lead))), latest.c.person_id).where(
        latest.c.cohort.in_(tuple(Cohort))
    )
    return _area(stmt, ctx)


COHORTS: dict[str, Callable[[Context], sa.Select]] = {
    "ASCOF-2B": ascof_2b,
    "ASCOF-2A-65": ascof_2a_65,
    "ASCOF-2A-18-64": ascof_2a_18_64,
    "BCF-DTOC": bcf_dtoc,
    "LOCAL-AVOIDABLE-ADMISSIONS": local_avoidable_admissions,
    "ASCOF-1C-SDS": ascof_1c_sds,
    "ASCOF-1C-DP": ascof_1c_dp,
    "ASCOF-3C": ascof_3c,
    "SG-CONCERNS": sg_concerns,
    "SG-S42": sg_s42,
    "SG-ENQUIRIES-COMPLETED": sg_enquiries_completed,
    "SG-RISK-REDUCED": sg_risk_reduced,
    "SG-OUTCOMES-ACHIEVED": sg_outcomes_achieved,
    "SG-COMMUNITY": sg_community,
    "REF-NEW": ref_new,
    "REF-ON-TIME": ref_on_time,
    "REF-DAYS-TO-CONTACT": ref_days_to_contact,
    "REF-REDIRECTED": ref_redirected,
    "REF-REREFERRAL-6M": ref_rereferral_6m,
    "MED-POLYPHARMACY": med_polypharmacy,
    "MED-HIGH-RISK": med_high_risk,
    "MED-REVIEWED": med_reviewed,
    "MN-CORE": mn_core,
    "MN-EDGE": mn_edge,
    "MN-STABLE": mn_stable,
    "MN-KEY-WORKER": mn_key_worker,
    "HOUSING-PREVENTED": housing_prevented,
    "PAED-BIG6": paed_big6,
}


# ---- figures from cohorts -----------------------------------------------------------


def _number(value) -> float:
    value = value or 0
    return int(value) if float(value).is_integer() else float(value)


def _median(cohort: sa.Subquery) -> tuple[float | None, int]:
    """The median of the rows' values, in portable SQL (window functions, no percentile_cont)."""
    ranked = sa.select(
        cohort.c.value,
        sa.func.row_number().over(order_by=cohort.c.value).label("n"),
        sa.func.count().over().label("total"),
    ).subquery()
    middle = sa.select(sa.func.avg(ranked.c.value), sa.func.max(ranked.c.total)).where(
        ranked.c.n.in_(
            # floor division: SQLAlchemy's `/` is true division (and PostgreSQL rounds a cast)
            [(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2]
        )
    )
    median, total = db.session.execute(middle).one()
    return (round(float(median), 2) if median is not None else None), int(total or 0)


def _result(definition_: Definition, ctx: Context) -> IndicatorResult:
    def result(value, numerator, denominator, note=None) -> IndicatorResult:
        return IndicatorResult(
            definition=definition_,
            period=ctx.period,
            value=value,
            numerator=numerator,
            denominator=denominator,
            rag=definition_.rag(value),
            note=note,
        )

    if not ctx.filters.applies_to(definition_):
        return result(None, None, None, "Not available for this filter.")
    cohort = COHORTS[definition_.code](ctx).subquery()
    if definition_.unit == "median_days":
        median, answered = _median(cohort)
        return result(median, None, answered, None if answered else "Nothing to measure yet.")
    numerator, denominator = db.session.execute(
        sa.select(sa.func.sum(cohort.c.num), sa.func.sum(cohort.c.den))
    ).one()
    numerator, denominator = _number(numerator), _number(denominator)
    if definition_.unit == "count":
        return result(numerator, numerator, None)
    if definition_.unit == "rate_per_100000":
        youngest, oldest = definition_.population_ages
        population = population_for(
            youngest=youngest, oldest=oldest, area=ctx.filters.area, period=ctx.period
        )
        if not population:
            return result(None, numerator, None, "No population estimate for this area.")
        return result(100_000 * numerator / population, numerator, population)
    if not denominator:
        return result(None, numerator, denominator, "Nobody in the cohort for this period.")
    return result(100 * numerator / denominator, numerator, denominator)


def _without_jit() -> None:
    """PostgreSQL compiles these aggregates to machine code when it thinks them costly:
    at 450,000 people that took about 60 ms a query to save a few, so not for this
    transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))


def _context(period: Period, filters: Filters | None, today: dt.date | None) -> Context:
    return Context(period=period, filters=filters or Filters(), today=today or dt.date.today())


def compute_indicators(
    *,
    period: Period,
    filters: Filters | None = None,
    codes: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> list[IndicatorResult]:
    """The figures of every indicator (or of `codes`) for a period, in definition order."""
    ctx = _context(period, filters, today)
    _without_jit()
    wanted = set(codes) if codes is not None else None
    return [_result(d, ctx) for d in definitions() if wanted is None or d.code in wanted]


def members(
    *,
    code: str,
    period: Period,
    filters: Filters | None = None,
    part: str = "denominator",
    today: dt.date | None = None,
) -> list[int]:
    """The people behind an indicator's numerator or denominator (ids, ascending).

    A rate's denominator is a population, not people, and a count has none: both [].
    """
    definition_ = definition(code)
    if definition_ is None:
        raise KeyError(code)
    ctx = _context(period, filters, today)
    if not ctx.filters.applies_to(definition_):
        return []
    if part == "denominator" and definition_.unit in ("count", "rate_per_100000"):
        return []
    _without_jit()
    cohort = COHORTS[code](ctx).subquery()
    column = cohort.c.num if part == "numerator" else cohort.c.den
    return list(
        db.session.scalars(
            sa.select(cohort.c.person_id)
            .where(column > 0)
            .group_by(cohort.c.person_id)
            .order_by(cohort.c.person_id)
        )
    )
