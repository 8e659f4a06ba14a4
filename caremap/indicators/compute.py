"""Figures from cohorts: what the dashboard, exports and snapshots show.

Each indicator's cohort (caremap/indicators/cohorts/, found by its code) is a SELECT of
rows (person_id, num, den, value): one row per thing counted. The figures are sums over
it in one aggregate query, never a loop over people, and the drill-down lists the people
of the rows with num > 0 (the numerator) or den > 0 (the denominator) from the very
same SELECT, so the people shown are always the people counted. Rates divide the
numerator by a population from `population_estimates`; medians are taken over the
rows' `value` column.

Both read from the streaming replica when one is configured (core/replica.py): figures
for a period may lag the primary by the replica's delay, and nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import sqlalchemy as sa

from caremap.core import clock
from caremap.core.extensions import db
from caremap.indicators.cohorts import Context, cohort_select
from caremap.indicators.definitions import Definition, definition, definitions
from caremap.indicators.periods import Period
from caremap.indicators.populations import population_for
from caremap.indicators.results import Filters, IndicatorResult


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


def _sums(chosen: list[Definition], ctx: Context, filters: Filters) -> dict[str, tuple]:
    """Each indicator's numerator and denominator (sums over its cohort), all in one
    statement: an intermediate the cohorts share (`Context.shared`: everyone's count
    of medicines) is a CTE of that statement, so the database computes it once."""
    branches = []
    for definition_ in chosen:
        cohort = cohort_select(definition_, ctx, filters).subquery()
        branches.append(
            sa.select(
                sa.cast(sa.literal(definition_.code), sa.String).label("code"),
                sa.func.sum(cohort.c.num).label("num"),
                sa.func.sum(cohort.c.den).label("den"),
            )
        )
    if not branches:
        return {}
    statement = branches[0] if len(branches) == 1 else sa.union_all(*branches)
    return {code: (num, den) for code, num, den in db.session.execute(statement)}


def _result(
    definition_: Definition, ctx: Context, filters: Filters, sums: dict[str, tuple]
) -> IndicatorResult:
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

    if not filters.applies_to(definition_):
        return result(None, None, None, "Not available for this filter.")
    if definition_.unit == "median_days":
        median, answered = _median(cohort_select(definition_, ctx, filters).subquery())
        return result(median, None, answered, None if answered else "Nothing to measure yet.")
    # a cohort with no rows at all has no sums (nothing to add up): 0
    numerator, denominator = sums.get(definition_.code, (None, None))
    numerator, denominator = _number(numerator), _number(denominator)
    if definition_.unit == "count":
        return result(numerator, numerator, None)
    if definition_.unit == "rate_per_100000":
        youngest, oldest = definition_.population_ages
        population = population_for(
            youngest=youngest, oldest=oldest, area=filters.area, period=ctx.period
        )
        if not population:
            return result(None, numerator, None, "No population estimate for this area.")
        return result(100_000 * numerator / population, numerator, population)
    if not denominator:
        return result(None, numerator, denominator, "Nobody in the cohort for this period.")
    if definition_.unit == "mean":
        return result(numerator / denominator, numerator, denominator)
    return result(100 * numerator / denominator, numerator, denominator)


# What PostgreSQL assumes an index probe costs against reading a table through: its
# default (4) is a spinning disk's. The cohorts join tens of thousands of rows to
# people, whose index sits in memory; at 4 the planner hashes all 450,000 people (or
# reads the whole table) instead of probing the index for each row, several times a
# statement. At 1.1 (the usual figure for SSDs and cached data) the one statement of
# every indicator's sums took 18% less database CPU at 454,500 people.
RANDOM_PAGE_COST = 1.1


def _without_jit() -> None:
    """Planner settings for this read-only transaction (SET LOCAL: they end with it).
    PostgreSQL compiles these aggregates to machine code when it thinks them costly: at
    450,000 people that took about 60 ms a query to save a few, so no JIT; and index
    probes costed as the cached, SSD-backed reads they are (RANDOM_PAGE_COST)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))
        db.session.execute(sa.text(f"SET LOCAL random_page_cost = {RANDOM_PAGE_COST}"))


def _context(period: Period, today: dt.date | None) -> Context:
    return Context(period=period, today=today or clock.today())


def compute_indicators(
    *,
    period: Period,
    filters: Filters | None = None,
    codes: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> list[IndicatorResult]:
    """The figures of every indicator (or of `codes`) for a period, in definition order."""
    ctx = _context(period, today)
    filters = filters or Filters()
    wanted = set(codes) if codes is not None else None
    chosen = [d for d in definitions() if wanted is None or d.code in wanted]
    summed = [d for d in chosen if filters.applies_to(d) and d.unit != "median_days"]
    with db.reads_from_replica():
        _without_jit()
        sums = _sums(summed, ctx, filters)
        return [_result(d, ctx, filters, sums) for d in chosen]


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
    ctx = _context(period, today)
    filters = filters or Filters()
    if not filters.applies_to(definition_):
        return []
    if part == "denominator" and definition_.unit in ("count", "rate_per_100000"):
        return []
    with db.reads_from_replica():
        _without_jit()
        cohort = cohort_select(definition_, ctx, filters).subquery()
        column = cohort.c.num if part == "numerator" else cohort.c.den
        return list(
            db.session.scalars(
                sa.select(cohort.c.person_id)
                .where(column > 0)
                .group_by(cohort.c.person_id)
                .order_by(cohort.c.person_id)
            )
        )


def figures_and_people(
    *,
    period: Period,
    filters: Filters | None = None,
    today: dt.date | None = None,
) -> tuple[list[IndicatorResult], dict[str, dict[str, list[int]]]]:
    """Every indicator's figures, and the people behind each ({code: {"numerator": ids,
    "denominator": ids}}), from one statement that reads each cohort once: a row per
    person of each cohort with their flags and their share of the sums, which add up to
    the very sums `compute_indicators` takes over the rows. What a snapshot keeps."""
    ctx = _context(period, today)
    filters = filters or Filters()
    chosen = definitions()
    people = {d.code: {"numerator": [], "denominator": []} for d in chosen}
    branches = []
    for definition_ in chosen:
        if not filters.applies_to(definition_):
            continue
        cohort = cohort_select(definition_, ctx, filters).subquery()
        in_numerator = sa.func.max(sa.case((cohort.c.num > 0, 1), else_=0))
        # a rate's denominator is a population and a count has none: nobody behind them
        no_people = definition_.unit in ("count", "rate_per_100000")
        in_denominator = (
            sa.literal(0) if no_people else sa.func.max(sa.case((cohort.c.den > 0, 1), else_=0))
        )
        branches.append(
            sa.select(
                sa.cast(sa.literal(definition_.code), sa.String).label("code"),
                cohort.c.person_id,
                in_numerator.label("in_numerator"),
                in_denominator.label("in_denominator"),
                sa.func.sum(cohort.c.num).label("num"),
                sa.func.sum(cohort.c.den).label("den"),
            ).group_by(cohort.c.person_id)
        )
    sums: dict[str, tuple] = {}
    with db.reads_from_replica():
        _without_jit()
        if branches:
            statement = branches[0] if len(branches) == 1 else sa.union_all(*branches)
            totals: dict[str, list] = {}
            for code, person_id, numerator, denominator, num, den in db.session.execute(statement):
                if numerator:
                    people[code]["numerator"].append(person_id)
                if denominator:
                    people[code]["denominator"].append(person_id)
                total = totals.setdefault(code, [0, 0])
                total[0] += num or 0
                total[1] += den or 0
            sums = {code: tuple(total) for code, total in totals.items()}
        results = [_result(d, ctx, filters, sums) for d in chosen]
    for parts in people.values():
        for ids in parts.values():
            ids.sort()
    return results, people


def everyone_behind(
    *,
    period: Period,
    filters: Filters | None = None,
    today: dt.date | None = None,
) -> dict[str, dict[str, list[int]]]:
    """{code: {"numerator": ids, "denominator": ids}} for every indicator: what
    `members` gives one part of one indicator at a time, here in one statement, so each
    cohort is read once (not once a part) and a shared intermediate once in all."""
    return figures_and_people(period=period, filters=filters, today=today)[1]
