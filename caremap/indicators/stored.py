"""Stored figures of closed periods: computed once by `caremap indicators close-periods`,
read by the dashboard, trends and the API instead of computing months live.

A closed period (one that ended before today) is stored for every indicator, every
month, quarter and financial year since `since`; the open period is always computed
live. The figures stored are exactly what `compute_indicators` gives for that period
on the day the job ran (tests hold them equal), with two things left to the reader:

- the RAG rating, taken from the definition's comparator when read, so a new
  comparator rates old figures without recomputing them;
- a rate's population: the numerator is stored and divided by the population estimate
  when read, so an admin's correction of an estimate moves every stored rate at once.

Records move after a period closes (a day-91 outcome is written up to three months
later, a merge moves history), so the job recomputes the periods that ended within
`SETTLING_DAYS` every time it runs, and fills any period or indicator missing. A
figure computed from a definition since changed (its cohort, parameters or unit) does
not match its `definition_key` and is computed live until the job stores it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from caremap.audit import operations as audit
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.indicators import recent
from caremap.indicators.compute import compute_indicators
from caremap.indicators.definitions import Definition, definitions
from caremap.indicators.models import IndicatorFigure
from caremap.indicators.periods import Period, period_containing
from caremap.indicators.populations import all_bands, estimate_year, population_among
from caremap.indicators.results import Filters, IndicatorResult
from caremap.medicines.queries import thresholds

KINDS = ("month", "quarter", "year")
# Periods that ended this recently are recomputed on every run: a day-91 outcome is
# recorded up to 91 days after discharge, and corrections trail it.
SETTLING_DAYS = 120
# How far back the job stores by default: the dashboard offers this financial year and
# the four before it, and a quarterly trend reaches eight quarters behind the oldest.
DEFAULT_YEARS_BACK = 6


def filters_key(filters: Filters) -> str:
    """The filters as one canonical string ("" for the whole system)."""
    return "&".join(f"{name}={value}" for name, value in sorted(filters.as_dict().items()))


def definition_key(definition: Definition) -> str:
    """What a stored figure was computed from: a change to any of it makes the figure
    stale. The comparator, baseline and wording are not in it (read fresh each time).
    For the medicines indicators that includes the threshold's number of medicines."""
    computing = {
        "code": definition.code,
        "cohort": definition.cohort,
        "unit": definition.unit,
        "population_ages": definition.population_ages,
        "parameters": definition.parameters,
        "filters": definition.filters,
    }
    threshold = dict(definition.parameters).get("threshold")
    if threshold is not None:
        # the number it stands at is an admin's setting (the medicines page), not the
        # definition's: a figure counted at the old number is stale once it moves
        computing["threshold_at"] = _threshold_at(threshold)
    return hashlib.sha256(json.dumps(computing, sort_keys=True).encode()).hexdigest()


def _threshold_at(name: str) -> int:
    settings = thresholds()  # one row, from the session's identity map after the first
    return {"polypharmacy": settings.flag_at, "high_risk": settings.high_at}[name]


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


class _Populations:
    """Population estimates asked for by many stored rates: the bands read once (on
    first use), each answer worked out once."""

    def __init__(self) -> None:
        self._bands: list | None = None
        self._known: dict[tuple, int | None] = {}

    def __call__(self, definition: Definition, area: str | None, period: Period) -> int | None:
        youngest, oldest = definition.population_ages
        key = (youngest, oldest, area, estimate_year(period))
        if key not in self._known:
            if self._bands is None:
                self._bands = all_bands()
            self._known[key] = population_among(
                self._bands, youngest=youngest, oldest=oldest, area=area, period=period
            )
        return self._known[key]


def _result(
    definition: Definition,
    period: Period,
    row: IndicatorFigure,
    filters: Filters,
    populations: _Populations,
) -> IndicatorResult:
    value, numerator, denominator, note = (
        _number(row.value),
        _number(row.numerator),
        _number(row.denominator),
        row.note,
    )
    if definition.unit == "rate_per_100000" and filters.applies_to(definition):
        population = populations(definition, filters.area, period)
        if population:
            value, denominator, note = 100_000 * numerator / population, population, None
        else:
            value, denominator, note = None, None, "No population estimate for this area."
    return IndicatorResult(
        definition=definition,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        rag=definition.rag(value),
        note=note,
        computed_at=row.computed_at,
    )


def is_closed(period: Period, *, today: dt.date | None = None) -> bool:
    return period.end < (today or clock.today())


def stored_results(
    periods: Iterable[Period],
    filters: Filters,
    *,
    codes: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, dict[str, IndicatorResult]]:
    """{period code: {indicator code: result}} of the closed periods among `periods`,
    in one query; an indicator with no fresh stored figure is simply absent."""
    closed = {p.code: p for p in periods if is_closed(p, today=today)}
    if not closed:
        return {}
    wanted = set(codes) if codes is not None else None
    current = {d.code: d for d in definitions() if wanted is None or d.code in wanted}
    keys = {code: definition_key(d) for code, d in current.items()}
    stmt = sa.select(IndicatorFigure).where(
        IndicatorFigure.period.in_(closed), IndicatorFigure.filters_key == filters_key(filters)
    )
    if wanted is not None:
        stmt = stmt.where(IndicatorFigure.code.in_(wanted))
    populations = _Populations()
    out: dict[str, dict[str, IndicatorResult]] = {code: {} for code in closed}
    for row in db.session.scalars(stmt):
        definition = current.get(row.code)
        if definition is None or keys[row.code] != row.definition_key:
            continue  # no longer defined, or defined differently since: computed live
        out[row.period][row.code] = _result(
            definition, closed[row.period], row, filters, populations
        )
    return out


# ---- writing: the close-periods job ------------------------------------------------


def closed_periods(*, today: dt.date, since: dt.date) -> list[Period]:
    """Every month, quarter and financial year starting on or after `since` and ended
    before `today`, oldest first within each kind."""
    out = []
    for kind in KINDS:
        period = period_containing(today, kind).previous()
        found = []
        while period.start >= since:
            found.append(period)
            period = period.previous()
        out.extend(reversed(found))
    return out


def default_since(today: dt.date) -> dt.date:
    year = period_containing(today, "year")
    for _ in range(DEFAULT_YEARS_BACK):
        year = year.previous()
    return year.start


@dataclass
class ClosePlan:
    """What one run will compute: each period with the indicators it needs."""

    today: dt.date
    filters: Filters
    work: list[tuple[Period, tuple[str, ...]]] = field(default_factory=list)

    @property
    def figures(self) -> int:
        return sum(len(codes) for _, codes in self.work)


def plan(
    *,
    today: dt.date | None = None,
    since: dt.date | None = None,
    filters: Filters | None = None,
    everything: bool = False,
) -> ClosePlan:
    """The periods to compute: those still settling (ended within SETTLING_DAYS), every
    indicator of them; and of the older ones, only indicators with no fresh stored
    figure (new definitions, changed ones, periods never stored). `everything`
    recomputes all of them."""
    today = today or clock.today()
    filters = filters or Filters()
    periods = closed_periods(today=today, since=since or default_since(today))
    keys = {d.code: definition_key(d) for d in definitions() if filters.applies_to(d)}
    fresh: dict[str, set[str]] = {}
    rows = db.session.execute(
        sa.select(IndicatorFigure.period, IndicatorFigure.code, IndicatorFigure.definition_key)
        .where(IndicatorFigure.filters_key == filters_key(filters))
        .where(IndicatorFigure.period.in_([p.code for p in periods]))
    )
    for period_code, code, key in rows:
        if keys.get(code) == key:
            fresh.setdefault(period_code, set()).add(code)
    settled_before = today - dt.timedelta(days=SETTLING_DAYS)
    result = ClosePlan(today=today, filters=filters)
    for period in periods:
        if everything or period.end >= settled_before:
            codes = tuple(keys)
        else:
            codes = tuple(c for c in keys if c not in fresh.get(period.code, set()))
        if codes:
            result.work.append((period, codes))
    return result


LOCK_POLL_SECONDS = 0.2


def _lock() -> None:
    """Two runs at once (the daily job and one on demand) take turns per period rather
    than both inserting the same figures. SQLite's writer lock already serialises them.

    The lock is tried, not waited on in one statement: the app's engine limits every
    statement (DATABASE_STATEMENT_TIMEOUT_MS, and core/faults.py's watchdog cuts the
    socket just past it), and a run waits as long as another run takes to compute a
    period, which is a batch job's time, not a web request's. Each try returns at once."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    try_lock = sa.text("SELECT pg_try_advisory_xact_lock(hashtext('indicator_figures'))")
    while not db.session.scalar(try_lock):
        time.sleep(LOCK_POLL_SECONDS)


def store_period(period: Period, codes: Iterable[str], *, filters: Filters, today: dt.date) -> int:
    """Compute the figures of one closed period and store them (insert or update):
    repeating it changes nothing but `computed_at`. Returns how many were stored."""
    if not is_closed(period, today=today):
        raise ValueError(f"{period.code} has not ended by {today}: it is computed live")
    _lock()
    key = filters_key(filters)
    results = compute_indicators(period=period, filters=filters, codes=codes, today=today)
    existing = {
        row.code: row
        for row in db.session.scalars(
            sa.select(IndicatorFigure).where(
                IndicatorFigure.period == period.code,
                IndicatorFigure.filters_key == key,
                IndicatorFigure.code.in_([r.code for r in results]),
            )
        )
    }
    # before any row is added: reading a threshold's number would flush a half-made one
    keys = {result.code: definition_key(result.definition) for result in results}
    now = utcnow()
    for result in results:
        row = existing.get(result.code)
        if row is None:
            row = IndicatorFigure(code=result.code, period=period.code, filters_key=key)
            db.session.add(row)
        row.kind = period.kind
        row.period_start, row.period_end = period.start, period.end
        row.value, row.numerator, row.denominator = (
            result.value,
            result.numerator,
            result.denominator,
        )
        row.note = result.note
        row.definition_key = keys[result.code]
        row.computed_at = now
    db.session.flush()
    return len(results)


def close_periods(
    *,
    today: dt.date | None = None,
    since: dt.date | None = None,
    filters: Filters | None = None,
    everything: bool = False,
    commit: bool = False,
    progress=None,
) -> ClosePlan:
    """Store the figures of every closed period that needs them (see `plan`).

    With `commit`, each period is committed as it is stored, so a run stopped half way
    keeps what it did and the next run carries on from there.
    """
    work = plan(today=today, since=since, filters=filters, everything=everything)
    for done, (period, codes) in enumerate(work.work, start=1):
        store_period(period, codes, filters=work.filters, today=work.today)
        if commit:
            db.session.commit()
        if progress is not None:
            progress(period, done, len(work.work))
    recent.forget()  # the live figures this process kept: periods may have closed since
    audit.record(
        None,
        "indicators.close_periods",
        changes={
            "today": work.today.isoformat(),
            "filters": work.filters.as_dict(),
            "periods": len(work.work),
            "figures": work.figures,
        },
    )
    if commit:
        db.session.commit()
    return work
