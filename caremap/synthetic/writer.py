"""Writing many rows fast, inside the caller's transaction.

Primary keys are allocated here (from the table's current max(id)), so child rows can
name their parents without a round trip. Rows wait in a buffer per table and go out in
batches: PostgreSQL through psycopg's COPY, anything else through one SQLAlchemy Core
executemany per batch. A table's buffer is written only after the buffers of every table
before it in ORDER, so a foreign key never points at a row not yet written.

COPY bypasses SQLAlchemy, so every value must be given as the database stores it: Python
defaults (created_at, version, status …) are filled in by the generator, JSON columns are
serialised here, and timestamps must be timezone-aware UTC.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from caremap.models import Base  # every model registered, so every table is known

# Parents before children: a table is flushed only after every table above it.
ORDER = [
    "users",
    "people",
    "related_people",
    "consent_records",
    "needs_assessments",
    "referral_submissions",
    "referrals",
    "referral_needs",
    "routing_decisions",
    "referral_status_changes",
    "episodes",
    "social_care_profiles",
    "care_assessments",
    "care_packages",
    "care_reviews",
    "tasks",
    "care_team_members",
    "safeguarding_concerns",
    "safeguarding_enquiries",
    "safeguarding_enquiry_risks",
    "medicines",
    "medication_reviews",
    "audit_events",
]


class BulkWriter:
    """Rows by the hundred thousand without the ORM: the ORM's per-object bookkeeping
    would be most of the time of a large city, and nothing here needs it."""

    def __init__(self, connection: sa.Connection, *, batch: int = 5000) -> None:
        self.connection = connection
        self.tables = Base.metadata.tables
        self.batch = batch
        self.is_postgresql = connection.dialect.name == "postgresql"
        # Tuples follow the models' column order unless a caller declares another.
        self._columns: dict[str, tuple[str, ...]] = {
            name: tuple(c.name for c in self.tables[name].columns) for name in ORDER
        }
        self._rows: dict[str, list[tuple]] = {name: [] for name in ORDER}
        self._next_id: dict[str, int] = {}
        self.written: dict[str, int] = {name: 0 for name in ORDER}

    # ---- ids ---------------------------------------------------------------------------
    def allocate(self, table: str, n: int = 1) -> int:
        """The first of n fresh ids for the table."""
        if table not in self._next_id:
            t = self.tables[table]
            top = self.connection.execute(sa.select(sa.func.max(t.c.id))).scalar()
            self._next_id[table] = (top or 0) + 1
        first = self._next_id[table]
        self._next_id[table] += n
        return first

    # ---- rows --------------------------------------------------------------------------
    def columns(self, table: str, names: Sequence[str]) -> None:
        """Declare the column order of the tuples given to add() for a table."""
        self._columns[table] = tuple(names)

    def add_row(self, table: str, values: dict[str, Any]) -> None:
        """A row by column name. Every column must be given: COPY fills in no defaults, so
        a missing one fails here rather than as a NULL in PostgreSQL only."""
        self.add(table, tuple(values[n] for n in self._columns[table]))

    def row(self, table: str, **values: Any) -> None:
        """add_row with keywords (the same, without a dict literal at each caller)."""
        self.add(table, tuple(values[n] for n in self._columns[table]))

    def add(self, table: str, row: tuple) -> None:
        """A row as a tuple in the declared column order (the fastest way in)."""
        rows = self._rows[table]
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        """Write the table's buffer (and, first, every buffer of a table before it)."""
        last = ORDER.index(table) if table else len(ORDER) - 1
        for name in ORDER[: last + 1]:
            if self._rows[name]:
                self._write(name, self._rows[name])
                self.written[name] += len(self._rows[name])
                self._rows[name] = []

    def finish(self) -> dict[str, int]:
        """Write what is left and move each sequence past the ids used."""
        self.flush()
        if self.is_postgresql:
            for name in self._next_id:
                # The table names are the writer's own, never input.
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # nosec B608
                    f"(SELECT COALESCE(max(id), 1) FROM {name}))"
                )
        return {name: count for name, count in self.written.items() if count}

    def _write(self, name: str, rows: list[tuple]) -> None:
        names = self._columns[name]
        table = self.tables[name]
        if self.is_postgresql:
            json_at = [i for i, c in enumerate(names) if isinstance(table.c[c].type, sa.JSON)]
            raw = self.connection.connection.driver_connection
            statement = f"COPY {name} ({', '.join(names)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                if json_at:
                    for row in rows:
                        row = list(row)
                        for i in json_at:
                            if row[i] is not None:
                                row[i] = json.dumps(row[i])
                        copy.write_row(row)
                else:
                    for row in rows:
                        copy.write_row(row)
        else:
            self.connection.execute(
                table.insert(), [dict(zip(names, row, strict=True)) for row in rows]
            )
