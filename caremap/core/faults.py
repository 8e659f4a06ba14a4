"""A database that is gone, slow or unreachable is answered honestly: 503 within seconds.

Three limits, each configurable (config.py): connecting (DATABASE_CONNECT_TIMEOUT), a
statement (DATABASE_STATEMENT_TIMEOUT_MS, enforced by PostgreSQL), and waiting for a
pooled connection (DATABASE_POOL_TIMEOUT). A statement timeout is the server's: it does
nothing when the network itself stops answering (a frozen proxy, a dead link that still
acknowledges packets). So a watchdog thread also watches every statement on the client
side and, past its deadline, shuts the connection's socket: the blocked read returns,
the driver raises, SQLAlchemy discards the connection, and the request answers 503.
The pool looks at a connection before lending it (a readable idle socket is one the
server closed) and pings only one that looks closed, under the same watchdog, so the
app recovers by itself once the database is back without a round trip per request.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event


class StatementWatchdog:
    """One thread per engine; each statement registers its socket and a deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._watched: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
        self._thread.start()

    def arm(self, key: int, fd: int) -> None:
        with self._lock:
            self._watched[key] = (time.monotonic() + self.seconds, fd)

    def disarm(self, key: int) -> None:
        with self._lock:
            self._watched.pop(key, None)

    def _run(self) -> None:
        while True:
            time.sleep(min(0.1, self.seconds / 4))
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _) in self._watched.items() if deadline < now]
                sockets = [self._watched.pop(key)[1] for key in late]
            for fd in sockets:
                _shut(fd)


def _shut(fd: int) -> None:
    try:
        sock = socket.socket(fileno=socket.dup(fd))
    except OSError:
        return  # already closed
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def _socket_of(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3
    try:
        return pgconn.socket if pgconn is not None else None
    except Exception:  # a connection already broken has no socket to watch
        return None


def guard_postgresql(engine: sa.Engine, *, statement_timeout_ms: int) -> None:
    """Watch every statement and every pool check on `engine` (PostgreSQL)."""
    if statement_timeout_ms <= 0:
        return
    # A little past the server's own limit, so the server's cancel is the usual answer.
    watchdog = StatementWatchdog(statement_timeout_ms / 1000 + 0.5)

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        fd = _socket_of(dbapi_connection)
        if fd is not None:
            watchdog.arm(id(dbapi_connection), fd)

    @event.listens_for(engine, "after_cursor_execute")
    def _disarm(conn, cursor, statement, parameters, context, executemany) -> None:
        watchdog.disarm(id(conn.connection.dbapi_connection))

    @event.listens_for(engine, "handle_error")
    def _disarm_on_error(context) -> None:
        # A statement that failed for any reason (a constraint, a timeout) must not leave
        # its connection armed: the watchdog would later cut a healthy pooled connection.
        with contextlib.suppress(AttributeError):  # no connection yet: connecting failed
            watchdog.disarm(id(context.connection.connection.dbapi_connection))

    @event.listens_for(engine, "checkin")
    def _disarm_on_return(dbapi_connection, connection_record) -> None:
        watchdog.disarm(id(dbapi_connection))

    check_on_checkout(engine, watchdog)


def looks_closed(dbapi_connection: Any) -> bool:
    """Whether an idle pooled connection may be dead, without a round trip.

    A healthy idle connection has nothing to read: the server speaks only when asked.
    A readable socket means the server closed it (a restart, a proxy dropping it, an
    idle timeout) or sent something unasked (a notice), so only then is it pinged.
    """
    if getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False):
        return True
    fd = _socket_of(dbapi_connection)
    if fd is None:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def check_on_checkout(engine: sa.Engine, watchdog: StatementWatchdog | None = None) -> None:
    """Instead of pool_pre_ping's round trip on every checkout (a SELECT 1 and a rollback
    before each request's first statement), look at the socket: ping only a connection
    that looks closed, under the watchdog, and let the pool replace it if the ping fails.
    A connection that dies unseen (a frozen network) fails its first statement within
    the watchdog's limit, which answers 503, as the ping did before."""

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection, connection_record, connection_proxy) -> None:
        if not looks_closed(dbapi_connection):
            return
        fd = _socket_of(dbapi_connection)
        key = id(dbapi_connection)
        if fd is not None and watchdog is not None:
            watchdog.arm(key, fd)
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            if not dbapi_connection.autocommit:
                dbapi_connection.rollback()
        except Exception as error:
            raise sa.exc.DisconnectionError(str(error)) from error
        finally:
            if watchdog is not None:
                watchdog.disarm(key)


def is_database_unavailable(error: BaseException) -> bool:
    """A lost, refused, timed-out or cancelled database, as against a bug of ours."""
    if isinstance(error, sa.exc.TimeoutError | sa.exc.DisconnectionError):
        return True
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        return isinstance(error, sa.exc.OperationalError)
    return False
