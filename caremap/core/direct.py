"""Statements the hottest requests send straight to the driver, with SQLAlchemy's types.

The record JSON and a search are the API's most frequent answers, and for each of them
SQLAlchemy's execution of a Core statement cost more CPU than the driver's own work:
about 0.2 ms a statement for the execution context, the result's metadata and its row
objects (0.53 ms against 0.18 ms on the driver, for the record's first statement at
454,500 people). A `DirectStatement` is compiled once per dialect, and each run:

- builds its parameters from the compiled statement's own defaults and what is given,
  through every bound type's bind processor (SQLAlchemy's `construct_expanded_state`
  when an IN list must be expanded), refusing a required one left out as SQLAlchemy
  does;
- sends the SQL on the session's own connection, in its transaction, through
  `Connection._cursor_execute`: the engine's cursor events fire as for any statement
  (the statement watchdog in core/faults.py, the tests' statement counters, the
  benchmarks' capture), and a driver error is handled as any other (wrapped, a dead
  connection invalidated, a 503 answered);
- returns plain named tuples, each value through its column type's result processor:
  UTC datetimes, enums, and SQLite's dates stored as text come back exactly as a Core
  execution would give them (tests/core/test_direct.py compares the two on both
  databases).

Only what SQLAlchemy's ORM would add is left out: identity map, autoflush (the caller
flushes first when something may be pending), and the lazy loading of related rows.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler


class _Compiled:
    """One statement compiled for one dialect, with what running it needs."""

    __slots__ = ("compiled", "positional", "processors", "fixed", "required", "row", "converters")

    def __init__(self, statement: sa.Executable, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.compiled = compiled
        self.positional = compiled.positional
        # A statement with no IN list to expand (nor a name to escape) has one text: its
        # parameters are its defaults and what is given, with no expansion to compute.
        self.fixed: tuple[str, dict[str, Any]] | None = None
        if not (
            compiled.post_compile_params
            or compiled.literal_execute_params
            or compiled.escaped_bind_names
        ):
            self.fixed = (compiled.string, dict(compiled.params))
        self.required = frozenset(
            name for bind, name in compiled.bind_names.items() if bind.required
        )
        # Each bound value's type's own processor (UTC for datetimes, JSON, enums' values).
        self.processors: dict[str, Callable[[Any], Any]] = {}
        for bind, name in compiled.bind_names.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self.processors[name] = processor
        columns = list(getattr(statement, "selected_columns", None) or ())  # none: a write
        self.row = namedtuple("Row", [c.key for c in columns], rename=True) if columns else None
        self.converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(columns):
            processor = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if processor is not None:
                self.converters.append((index, processor))

    def parameters(self, params: Mapping[str, Any] | None) -> tuple[str, Any]:
        missing = self.required.difference(params or ())
        if missing:
            raise sa.exc.InvalidRequestError(
                f"A value is required for bind parameter {sorted(missing)[0]!r}"
            )
        if self.fixed is not None:
            sql, defaults = self.fixed
            values = (
                {name: params.get(name, value) for name, value in defaults.items()}
                if params
                else dict(defaults)
            )
            order = self.compiled.positiontup
            expanded: Mapping[str, Callable[[Any], Any]] = {}
        else:
            state = self.compiled.construct_expanded_state(dict(params) if params else None)
            sql, values, order = state.statement, dict(state.parameters), state.positiontup
            expanded = state.processors  # the IN lists' own
        for processors in (self.processors, expanded):
            for name, process in processors.items():
                if name in values:
                    values[name] = process(values[name])
        if self.positional:
            return sql, tuple(values[name] for name in order or ())
        return sql, values

    def rows(self, fetched: list[Any]) -> list[Any]:
        converters, make = self.converters, self.row._make
        if not converters:
            return [make(row) for row in fetched]
        answer = []
        for row in fetched:
            values = list(row)
            for index, process in converters:
                values[index] = process(values[index])
            answer.append(make(values))
        return answer


class DirectStatement:
    """A Core statement run on the driver directly (see the module's docstring).

    Build it once, at import or once per shape, and run it as often as needed:
    `.all(session, params)`, `.first(...)`, or `.run(...)` for one that returns no rows.
    """

    def __init__(self, statement: sa.Executable) -> None:
        self.statement = statement
        self._by_dialect: dict[int, tuple[sa.Dialect, _Compiled]] = {}

    def _for(self, dialect: sa.Dialect) -> _Compiled:
        entry = self._by_dialect.get(id(dialect))
        if entry is None or entry[0] is not dialect:
            entry = self._by_dialect[id(dialect)] = (dialect, _Compiled(self.statement, dialect))
        return entry[1]

    def _execute(self, session: Session, params: Mapping[str, Any] | None) -> list[Any] | None:
        connection = session.connection()
        compiled = self._for(connection.dialect)
        sql, values = compiled.parameters(params)
        cursor = connection.connection.cursor()
        try:
            connection._cursor_execute(cursor, sql, values)
            if compiled.row is None:
                return None
            try:
                fetched = cursor.fetchall()
            except BaseException as error:
                connection._handle_dbapi_exception(error, sql, values, cursor, None)
            return compiled.rows(fetched)
        finally:
            cursor.close()

    def all(self, session: Session, params: Mapping[str, Any] | None = None) -> list[Any]:
        rows = self._execute(session, params)
        if rows is None:
            raise TypeError("this statement returns no rows: use .run()")
        return rows

    def first(self, session: Session, params: Mapping[str, Any] | None = None) -> Any | None:
        rows = self.all(session, params)
        return rows[0] if rows else None

    def run(self, session: Session, params: Mapping[str, Any] | None = None) -> None:
        self._execute(session, params)
