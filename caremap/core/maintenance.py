"""Housekeeping after bulk writes: tell PostgreSQL's planner and visibility map about them.

Rows written in bulk (the synthetic city's COPY, an import of a whole extract) leave
PostgreSQL with no statistics and no visibility map until autovacuum gets round to the
tables. Until then the planner guesses row counts (the re-referral indicator took 9.5 s
instead of 0.2 s at 450,000 people) and an index-only scan has to visit the heap for
every row (the medicines counts did 2.3 million heap fetches). `VACUUM (ANALYZE)` fixes
both. SQLite needs neither: it has no visibility map, and its planner is not misled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool


def vacuum_analyze(engine: sa.Engine, tables: Iterable[str] | None = None) -> bool:
    """`VACUUM (ANALYZE)` the whole database, or only `tables`, on PostgreSQL.

    Run it after the bulk write has committed: VACUUM cannot run inside a transaction,
    so it takes a connection of its own in autocommit, outside the app's pool. That
    connection has no statement limit: a web engine's (4 s, and the watchdog that
    enforces it, core/faults.py) would cancel a vacuum of a city. Returns whether
    anything ran (False on SQLite, where there is nothing to do).
    """
    if engine.dialect.name != "postgresql":
        return False
    preparer = engine.dialect.identifier_preparer
    names = [preparer.quote(name) for name in (tables or ())]
    statement = "VACUUM (ANALYZE)" + (f" {', '.join(names)}" if names else "")
    unlimited = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with unlimited.connect() as connection:
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.exec_driver_sql(statement)
    finally:
        unlimited.dispose()
    return True


class StatisticsKeeper:
    """Keeps the planner's statistics in step with tables a long bulk write is filling.

    An import checks each batch against what earlier batches wrote (duplicates, source
    identifiers), so the planner must know the tables grew: with the statistics of an
    empty table it scans them whole for every batch, and the work grows with the square
    of the file (44 s of database CPU for 100,000 people, against 3 s for 20,000). So
    `ANALYZE` runs inside the caller's transaction each time the rows written double,
    a handful of times for any file: log2(rows / first). A no-op on SQLite.
    """

    def __init__(self, session: Any, tables: Iterable[str], *, first: int = 1_000) -> None:
        self.session = session
        self.tables = tuple(tables)
        self.next_at = first

    def written(self, rows: int) -> bool:
        """Say how many rows have been written so far; True if the tables were analysed."""
        if rows < self.next_at or self.session.get_bind().dialect.name != "postgresql":
            return False
        preparer = self.session.get_bind().dialect.identifier_preparer
        names = ", ".join(preparer.quote(name) for name in self.tables)
        self.session.execute(sa.text(f"ANALYZE {names}"))
        self.next_at = rows * 2
        return True
