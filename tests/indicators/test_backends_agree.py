"""The same data gives the same figures on PostgreSQL and SQLite, indicator by indicator.

Both databases are made afresh for this test, loaded with the same hand-counted city
(and a small synthetic city), and every indicator is computed on each for a financial
year, a quarter and a month. Person ids may differ between the databases, so the people
behind each figure are compared by their local reference.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.indicators.compute import compute_indicators, members
from caremap.indicators.periods import parse_period
from caremap.people.models import Person
from tests.conftest import PG_URL, fresh_database_url, load_base_data, make_app, migrate
from tests.indicators import hand_counted

PERIODS = ("2025-26", "2025-Q4", "2025-10", "2026-03")
SYNTHETIC_PEOPLE = 1500

pytestmark = pytest.mark.skipif(
    not PG_URL, reason="compares PostgreSQL with SQLite: runs in the PostgreSQL pass"
)


def _figures_of(url: str) -> dict:
    migrate(url)
    app = make_app(url)
    load_base_data(app)
    with app.app_context():
        hand_counted.build()
        try:
            from caremap.synthetic import generate_city
        except ImportError:  # the synthetic city is optional here
            generate_city = None
        if generate_city is not None:
            generate_city(people=SYNTHETIC_PEOPLE, years=2, seed=7, end_on=hand_counted.TODAY)
        db.session.commit()
        refs = dict(db.session.execute(sa.select(Person.id, Person.local_ref)).all())
        figures = {}
        for code in PERIODS:
            period = parse_period(code)
            for result in compute_indicators(period=period, today=hand_counted.TODAY):
                people = {
                    part: sorted(
                        refs[i]
                        for i in members(
                            code=result.code, period=period, part=part, today=hand_counted.TODAY
                        )
                    )
                    for part in ("numerator", "denominator")
                }
                figures[(code, result.code)] = (
                    result.numerator,
                    result.denominator,
                    None if result.value is None else round(result.value, 9),
                    result.rag,
                    people,
                )
    db.state(app).engine.dispose()
    return figures


def test_every_indicator_is_the_same_on_both_databases():
    postgresql = _figures_of(fresh_database_url("backends"))
    sqlite_file = Path(tempfile.mkdtemp(prefix="caremap-backends-")) / "backends.sqlite3"
    sqlite = _figures_of(f"sqlite:///{sqlite_file}")
    assert postgresql.keys() == sqlite.keys()
    different = {
        key: (postgresql[key], sqlite[key]) for key in postgresql if postgresql[key] != sqlite[key]
    }
    assert different == {}
    # and the comparison is not vacuous: most indicators have something in them
    nonzero = [key for key, figure in postgresql.items() if figure[0]]
    assert len(nonzero) >= len(PERIODS) * 15, nonzero
