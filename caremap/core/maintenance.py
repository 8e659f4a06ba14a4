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
