"""Database plumbing: the declarative base, types, and the per-app session."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import flask
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    scoped_session,
    sessionmaker,
)

from caremap.core.faults import check_on_checkout, guard_postgresql
from caremap.core.replica import on_replica, replica_reads
from caremap.core.trigrams import similarity

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.TypeDecorator):
    """A timestamp that is always stored and returned as UTC, on both backends.

    SQLite keeps no time zone, so without this a value read back would be naive
    and compare wrongly with aware values.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> Any:
    """An enum stored as its string value (readable in SQL, no native enum type)."""
    length = max(len(m.value) for m in enum_cls)
    return mapped_column(
        sa.Enum(
            enum_cls,
            native_enum=False,
            length=max(length, 20),
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kwargs,
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime}


class CreatedAtMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Database:
    """Engine and session per Flask app; one session per app context.

    Operations flush; the request commits once (see `commit_or_rollback`).
    """

    extension_key = "caremap.db"

    def init_app(self, app: flask.Flask) -> None:
        url = app.config["DATABASE_URL"]
        engine = make_engine(
            url,
            echo=app.config.get("SQL_ECHO", False),
            connect_timeout=app.config.get("DATABASE_CONNECT_TIMEOUT", 0),
            statement_timeout_ms=app.config.get("DATABASE_STATEMENT_TIMEOUT_MS", 0),
            pool_timeout=app.config.get("DATABASE_POOL_TIMEOUT", 30),
        )
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        scoped = scoped_session(factory, scopefunc=_app_context_id)
        replica = None
        if app.config.get("REPLICA_URL"):  # reads that may lag (core/replica.py)
            replica_engine = make_engine(
                app.config["REPLICA_URL"],
                connect_timeout=app.config.get("DATABASE_CONNECT_TIMEOUT", 0),
                statement_timeout_ms=app.config.get("DATABASE_STATEMENT_TIMEOUT_MS", 0),
                pool_timeout=app.config.get("DATABASE_POOL_TIMEOUT", 30),
            )
            replica = scoped_session(
                sessionmaker(bind=replica_engine, expire_on_commit=False),
                scopefunc=_app_context_id,
            )
        app.extensions[self.extension_key] = _DatabaseState(engine, factory, scoped, replica)

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            state = app.extensions[self.extension_key]
            try:
                if exc is not None:
                    state.scoped.rollback()
                state.scoped.remove()
            except sa.exc.SQLAlchemyError:
                # The connection died under the request (core/faults.py): let it go.
                state.scoped.invalidate()
                state.scoped.remove()
            if state.replica is not None:
                try:
                    state.replica.remove()
                except sa.exc.SQLAlchemyError:
                    state.replica.invalidate()
                    state.replica.remove()

    def state(self, app: flask.Flask | None = None) -> _DatabaseState:
        app = app or flask.current_app
        return app.extensions[self.extension_key]

    @property
    def session(self) -> Session:
        state = self.state()
        if state.replica is not None and on_replica.get():
            return state.replica()
        return state.scoped()

    def replica_session_or_none(self) -> Session | None:
        """The replica's session, when one is configured (core/replica.py)."""
        replica = self.state().replica
        return replica() if replica is not None else None

    def primary_session(self) -> Session:
        """The primary's session even inside replica_reads(): writes and the audit."""
        return self.state().scoped()

    def reads_from_replica(self):
        """`with db.reads_from_replica():` reads that may lag go to the replica, when one
        is configured (core/replica.py says which reads may)."""
        return replica_reads(self)

    @property
    def engine(self) -> sa.Engine:
        return self.state().engine


class _DatabaseState:
    def __init__(
        self,
        engine: sa.Engine,
        factory: sessionmaker,
        scoped: scoped_session,
        replica: scoped_session | None = None,
    ) -> None:
        self.engine = engine
        self.factory = factory
        self.scoped = scoped
        self.replica = replica


def _app_context_id() -> int:
    return id(flask.globals.app_ctx._get_current_object())  # type: ignore[attr-defined]


def make_engine(
    url: str,
    *,
    echo: bool = False,
    connect_timeout: float = 0,
    statement_timeout_ms: int = 0,
    pool_timeout: float = 30,
) -> sa.Engine:
    """The engine, with the limits that keep a request from hanging on the database
    (core/faults.py); 0 means no limit (migrations and batch commands)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, echo=echo, connect_args={"timeout": 30})
        configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if connect_timeout:
        connect_args["connect_timeout"] = max(2, int(connect_timeout))  # libpq's least
    if statement_timeout_ms:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    # No pool_pre_ping: a round trip before every request's first statement. The pool
    # looks at the socket instead and pings only a connection that looks closed
    # (core/faults.py), under the watchdog when there is a statement limit.
    engine = sa.create_engine(url, echo=echo, pool_timeout=pool_timeout, connect_args=connect_args)
    if statement_timeout_ms:
        guard_postgresql(engine, statement_timeout_ms=statement_timeout_ms)
    else:
        check_on_checkout(engine)
    return engine


def configure_sqlite(engine: sa.Engine) -> None:
    """Foreign keys on, real transactions and savepoints, and the search function.

    pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy documents
    taking it over like this.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        dbapi_connection.create_function("similarity", 2, similarity, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # IMMEDIATE: nearly every request writes (an audit row at least), so take the
        # write lock up front; a reader turned writer would otherwise fail mid-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
