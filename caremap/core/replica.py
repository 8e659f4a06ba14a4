"""Reads that may come from a PostgreSQL streaming replica (CAREMAP_REPLICA_URL).

Indicators, returns, exports, search and the dashboards read a great deal and write
nothing, and a replica's lag (milliseconds) is no harm to them; they run their reads
inside `replica_reads()`. Within that block `db.session` is the replica's session: a
write there fails on the standby ("cannot execute INSERT in a read-only transaction"),
so code that writes — an operation, the audit trail — must run outside it, on the
primary, as everything else does.

Never put a read in the block that must see the request's own write: the replica has
not received it yet. Without a replica configured (SQLite, tests, one machine) the block
changes nothing, and when the replica cannot be reached the reads stay on the primary
(a slower dashboard is better than none).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

log = logging.getLogger(__name__)

# Set inside replica_reads(): core.db.Database.session answers with the replica's session.
on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("on_replica", default=False)


@contextmanager
def replica_reads(database) -> Iterator[bool]:
    """Route `database.session` to the replica for the block; yields whether it did."""
    replica = database.replica_session_or_none()
    if replica is None or on_replica.get():
        yield on_replica.get()
        return
    try:
        replica.connection()  # connect now, so an unreachable replica is found here
    except sa.exc.OperationalError as error:
        log.warning("replica unreachable, reading from the primary: %s", error.orig)
        replica.rollback()
        yield False
        return
    token = on_replica.set(True)
    try:
        yield True
    finally:
        on_replica.reset(token)
        # nothing to keep: end the replica's read transaction (a long one holds back
        # the primary's vacuum when hot_standby_feedback is on)
        replica.rollback()
