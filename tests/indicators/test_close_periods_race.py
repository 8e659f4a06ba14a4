"""Two close-periods runs at once (the daily job and one on demand) both finish, and
every figure is stored once: real commits from several connections."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.maintenance import vacuum_analyze
from caremap.indicators.definitions import definitions
from caremap.indicators.models import IndicatorFigure
from caremap.indicators.stored import close_periods, closed_periods
from tests.conftest import app_with_its_own_database

TODAY = dt.date(2026, 6, 1)
SINCE = dt.date(2025, 4, 1)
RUNS = 3


@pytest.fixture(scope="module")
def committed_app():
    yield from app_with_its_own_database("close_periods_race")


def test_runs_at_once_store_each_figure_once(committed_app):
    barrier = threading.Barrier(RUNS)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with committed_app.app_context():
                barrier.wait()
                close_periods(today=TODAY, since=SINCE, commit=True)
        except BaseException as error:  # reported below, with the others
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert failures == []
    with committed_app.app_context():
        rows = db.session.execute(
            sa.select(IndicatorFigure.period, IndicatorFigure.code, sa.func.count()).group_by(
                IndicatorFigure.period, IndicatorFigure.code
            )
        ).all()
        assert {count for _, _, count in rows} == {1}
        periods = closed_periods(today=TODAY, since=SINCE)
        assert len(rows) == len(periods) * len(definitions())


def test_vacuum_analyze_runs_on_postgresql_only(committed_app):
    with committed_app.app_context():
        engine = db.engine
        ran = vacuum_analyze(engine, ["indicator_figures"])
        assert ran is (engine.dialect.name == "postgresql")
        if ran:
            vacuumed = db.session.scalar(
                sa.text(
                    "SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
                    " FROM pg_stat_user_tables WHERE relname = 'indicator_figures'"
                )
            )
            assert vacuumed is True
