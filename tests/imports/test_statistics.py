"""The planner learns that the tables an import fills have grown, a few times a file."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from caremap.core.extensions import db
from caremap.core.maintenance import StatisticsKeeper
from tests.conftest import PG_URL


def test_the_tables_are_analysed_each_time_the_rows_double(ctx):
    keeper = StatisticsKeeper(db.session, ["people"], first=3)
    on_postgresql = bool(PG_URL)
    assert keeper.written(2) is False
    assert keeper.written(3) is on_postgresql
    assert keeper.written(5) is False  # the next is at 6
    assert keeper.written(6) is on_postgresql
    # SQLite's planner needs no statistics: nothing ran, so the threshold did not move
    assert keeper.next_at == (12 if on_postgresql else 3)


@pytest.mark.skipif(not PG_URL, reason="statistics are PostgreSQL's")
def test_a_grown_table_is_known_to_the_planner(ctx):
    # As the tables' owner (a large import runs with the owner's URL: docs/import.md);
    # the suite's application role may not analyse.
    owner_url = db.engine.url.set(username=sa.engine.make_url(PG_URL).username, password=None)
    engine = sa.create_engine(owner_url)
    try:
        with Session(engine) as session:
            session.execute(
                sa.text("CREATE TEMP TABLE growing AS SELECT generate_series(1, 5000) n")
            )
            estimate = "SELECT reltuples FROM pg_class WHERE relname = 'growing'"
            assert session.execute(sa.text(estimate)).scalar_one() < 5000  # never analysed
            assert StatisticsKeeper(session, ["growing"], first=1).written(5000)
            assert session.execute(sa.text(estimate)).scalar_one() == 5000
    finally:
        engine.dispose()
