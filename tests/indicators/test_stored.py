"""Stored figures of closed periods equal live ones, the job is idempotent, and the
dashboard's reads take them (and compute live only what is open or missing)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.cli import cli
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.indicators import queries
from caremap.indicators.compute import compute_indicators
from caremap.indicators.definitions import definitions
from caremap.indicators.models import IndicatorFigure, PopulationEstimate
from caremap.indicators.operations import update_population
from caremap.indicators.periods import parse_period, period_containing
from caremap.indicators.results import Filters
from caremap.indicators.stored import (
    SETTLING_DAYS,
    close_periods,
    closed_periods,
    filters_key,
    plan,
    stored_results,
)
from tests.conftest import user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD, TODAY

FILTERS = Filters(area=AREA)
SINCE = dt.date(2025, 4, 1)
FIELDS = ("value", "numerator", "denominator", "rag", "note")


def _figures(result) -> tuple:
    return tuple(getattr(result, name) for name in FIELDS)


@pytest.fixture
def city(ctx):
    return hand_counted.build()


def _stored_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(IndicatorFigure)
        .where(IndicatorFigure.filters_key == filters_key(FILTERS))
    )


def test_every_closed_period_is_stored_and_equals_the_live_figures(city):
    work = close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    periods = closed_periods(today=TODAY, since=SINCE)
    # April 2025 to May 2026: 14 months, 4 quarters, one financial year
    assert [p.kind for p in periods].count("month") == 14
    assert [p.code for p in periods if p.kind != "month"] == [
        "2025-26-Q1",
        "2025-26-Q2",
        "2025-26-Q3",
        "2025-26-Q4",
        "2025-26",
    ]
    applicable = [d for d in definitions() if FILTERS.applies_to(d)]
    assert work.figures == len(periods) * len(applicable) == _stored_count()
    stored = stored_results(periods, FILTERS, today=TODAY)
    for period in periods:
        live = compute_indicators(period=period, filters=FILTERS, today=TODAY)
        kept = stored[period.code]
        assert {r.code: _figures(r) for r in live if r.code in kept} == {
            code: _figures(r) for code, r in kept.items()
        }, period.code
    year = stored[PERIOD]
    for code, (numerator, denominator, value) in hand_counted.EXPECTED.items():
        assert (year[code].numerator, year[code].denominator) == (numerator, denominator), code
        assert year[code].value == pytest.approx(value), code


def test_running_again_changes_nothing_and_recomputes_only_what_still_settles(city):
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    before = {
        (r.period, r.code): (r.value, r.numerator, r.denominator, r.id)
        for r in db.session.scalars(sa.select(IndicatorFigure))
    }
    again = plan(today=TODAY, since=SINCE, filters=FILTERS)
    settling = {p.code for p, _ in again.work}
    cutoff = TODAY - dt.timedelta(days=SETTLING_DAYS)
    assert settling == {p.code for p in closed_periods(today=TODAY, since=SINCE) if p.end >= cutoff}
    assert "2025-06" not in settling and "2026-05" in settling and PERIOD in settling
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    after = {
        (r.period, r.code): (r.value, r.numerator, r.denominator, r.id)
        for r in db.session.scalars(sa.select(IndicatorFigure))
    }
    assert after == before  # the same rows, updated in place, with the same figures
    runs = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "indicators.close_periods")
    ).all()
    assert [r.changes["periods"] for r in runs] == [19, len(settling)]


def test_the_dashboard_reads_stored_figures_and_a_late_record_arrives_with_the_next_run(city):
    period = parse_period(PERIOD)
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    shown = queries.figures(period=period, filters=FILTERS, today=TODAY)
    assert shown.live_codes == () and shown.snapshot is None
    assert _figures(next(r for r in shown.results if r.code == "ASCOF-2B"))[:3] == (37.5, 3, 8)

    late = db.session.scalar(
        sa.select(Episode).where(Episode.person_id == city.names["notrecorded"])
    )
    late.day91_outcome = "at_home"
    db.session.flush()

    def ascof_2b(**kwargs):
        figures = queries.figures(period=period, filters=FILTERS, today=TODAY, **kwargs)
        return next(r.value for r in figures.results if r.code == "ASCOF-2B")

    assert ascof_2b() == 37.5  # stored: the page did not compute it
    assert ascof_2b(live=True) == 50.0
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)  # the year is still settling
    assert ascof_2b() == 50.0


def test_the_open_period_is_live_and_a_trend_reads_closed_periods_stored(city):
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    open_month = period_containing(TODAY, "month")
    shown = queries.figures(period=open_month, filters=FILTERS, today=TODAY)
    assert set(shown.live_codes) == {d.code for d in definitions()}

    year = parse_period(PERIOD)
    trend = queries.trend(code="REF-NEW", period=year, kind="month", filters=FILTERS, today=TODAY)
    assert [r.period.code for r in trend][0] == "2025-04" and len(trend) == 12
    live = [
        compute_indicators(period=r.period, filters=FILTERS, codes=["REF-NEW"], today=TODAY)[0]
        for r in trend
    ]
    assert [_figures(r) for r in trend] == [_figures(r) for r in live]
    assert sum(r.value for r in trend) == hand_counted.EXPECTED["REF-NEW"][0]
    every = queries.trends(period=year, kind="quarter", filters=FILTERS, today=TODAY)
    assert set(every) == {d.code for d in definitions()}
    assert all(len(results) == 8 for results in every.values())


def test_a_changed_definition_is_computed_live_until_the_job_stores_it_again(city):
    period = parse_period(PERIOD)
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    db.session.execute(
        sa.update(IndicatorFigure)
        .where(IndicatorFigure.code == "REF-NEW")
        .values(definition_key="computed from an older definition", value=999)
    )
    shown = queries.figures(period=period, filters=FILTERS, today=TODAY)
    assert shown.live_codes == ("REF-NEW",)
    assert next(r.value for r in shown.results if r.code == "REF-NEW") == 6
    old_month = parse_period("2025-06")  # settled long ago: redone only because it is stale
    redo = {p.code: codes for p, codes in plan(today=TODAY, since=SINCE, filters=FILTERS).work}
    assert redo[old_month.code] == ("REF-NEW",)


def test_a_corrected_population_moves_stored_rates_at_once(city):
    period = parse_period(PERIOD)
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    band = db.session.scalar(
        sa.select(PopulationEstimate).where(
            PopulationEstimate.area_code == AREA, PopulationEstimate.age_from == 65
        )
    )
    update_population(
        actor=user("admin"),
        estimate_id=band.id,
        population=band.population * 2,
        source="ONS correction",
        version=band.version,
    )
    shown = queries.figures(period=period, filters=FILTERS, today=TODAY)
    assert shown.live_codes == ()
    live = compute_indicators(period=period, filters=FILTERS, today=TODAY)
    assert [_figures(r) for r in shown.results] == [_figures(r) for r in live]


def test_the_command_stores_and_a_second_run_stores_only_what_is_due(app, city):
    runner = app.test_cli_runner()
    first = runner.invoke(
        cli, ["indicators", "close-periods", "--since", "2025-04-01", "--area", AREA]
    )
    assert first.exit_code == 0, first.output
    assert "closed periods" in first.output
    stored = _stored_count()
    assert stored > 0
    second = runner.invoke(
        cli, ["indicators", "close-periods", "--since", "2025-04-01", "--area", AREA]
    )
    assert second.exit_code == 0, second.output
    assert _stored_count() == stored
    wrong = runner.invoke(cli, ["indicators", "close-periods", "--area", "E00000000"])
    assert wrong.exit_code == 2 and "area" in wrong.output
