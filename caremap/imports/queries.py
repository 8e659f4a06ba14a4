"""The read side: import history, a run's problems, the held rows waiting."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.imports.enums import HeldStatus
from caremap.imports.models import HeldMatch, ImportProblem, ImportRun
from caremap.people.models import Person, PersonIdentifier


def recent_runs(limit: int = 50) -> list[ImportRun]:
    return list(db.session.scalars(sa.select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)))


def problems_of(run: ImportRun, *, limit: int | None = None) -> list[ImportProblem]:
    stmt = (
        sa.select(ImportProblem)
        .where(ImportProblem.import_run_id == run.id)
        .order_by(ImportProblem.line, ImportProblem.id)
    )
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def problem_report(run: ImportRun) -> Iterator[str]:
    """The error report as CSV (line, field, reason), streamed a row at a time."""
    stmt = (
        sa.select(ImportProblem.line, ImportProblem.field, ImportProblem.reason)
        .where(ImportProblem.import_run_id == run.id)
        .order_by(ImportProblem.line, ImportProblem.id)
        .execution_options(yield_per=1000)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["line", "field", "reason"])
    for row in db.session.execute(stmt):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def waiting_held(limit: int = 50) -> list[HeldMatch]:
    stmt = (
        sa.select(HeldMatch)
        .where(HeldMatch.status == HeldStatus.WAITING)
        .order_by(HeldMatch.import_run_id, HeldMatch.line)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def count_waiting() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(HeldMatch.status == HeldStatus.WAITING)
    )


def candidates_of(held: list[HeldMatch]) -> dict[int, Person]:
    """The live records the held rows may be, in one query."""
    ids = {c["person_id"] for h in held for c in h.candidates}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(ids)))}


def identifiers_of(person_ids: list[int]) -> list[PersonIdentifier]:
    """The record's identifiers in other systems (of merged records too), for its page."""
    stmt = (
        sa.select(PersonIdentifier)
        .where(PersonIdentifier.person_id.in_(person_ids))
        .order_by(PersonIdentifier.system, PersonIdentifier.value)
    )
    return list(db.session.scalars(stmt))
