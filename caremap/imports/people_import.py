"""Importing people from another system's extract, in batches.

Each row is checked by the app's own identity rules (formats.PersonRow), then, a batch at
a time, put through the people domain's duplicate check against live records, fetched
for the whole batch in one query:

- its source identifier is already on a person (or held): nothing changes (idempotent);
- the same NHS number, or the very same name, date of birth and postcode: linked to that
  record (the source identifier is added to it);
- a likely match as people.queries.find_likely_duplicates defines one (a similar name
  with the same or a day-and-month-swapped date of birth, or the same postcode): held
  for an admin to decide (link, create new, reject);
- none: created, as complete as people.operations.register_person makes a record.

Rows are inserted a batch per statement; a batch the database refuses as a whole (a
record registered meanwhile with the same NHS number) is retried row by row, each in
its own savepoint, so every row goes in whole or is reported, never half.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caremap.audit.integrity import audit_key, row_mac
from caremap.audit.models import AuditEvent
from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.core.trigrams import normalise_name
from caremap.imports.enums import HeldStatus, ImportKind
from caremap.imports.formats import (
    PEOPLE_COLUMNS,
    CheckedRow,
    Problem,
    check_person_row,
    iso,
    required_people_columns,
)
from caremap.imports.models import HeldMatch, ImportRun
from caremap.imports.runs import (
    Progress,
    file_sha256,
    import_in_batches,
    insert_rows,
    keep_problems,
    read_rows,
    start_run,
)
from caremap.people.enums import RecordStatus, Sex
from caremap.people.models import Person, PersonIdentifier
from caremap.people.operations import IDENTITY_FIELDS, new_local_ref
from caremap.people.queries import close_names, folded_name, transposed

BATCH_SIZE = 1000
TOUCHED_TABLES = ("people", "person_identifiers", "held_matches", "audit_events")
CREATE, LINK, HOLD, UNCHANGED, DEFER = "created", "linked", "held", "unchanged", "defer"
REJECTED = "rejected"
SUMMARY_KEYS = ("read", CREATE, LINK, HOLD, UNCHANGED, REJECTED)


@dataclass
class _Known:
    """A live record as the duplicate check compares it (columns, not ORM objects), its
    names folded once as close_names compares them."""

    id: int
    given: str
    family: str
    date_of_birth: dt.date
    postcode: str | None
    nhs_number: str | None
    local_ref: str = ""
    folded: tuple[str, str] = ("", "")

    def __post_init__(self) -> None:
        self.folded = (normalise_name(self.given), normalise_name(self.family))

    @classmethod
    def of(cls, values: dict[str, Any], person_id: int = 0) -> _Known:
        return cls(
            person_id,
            values["given_name"],
            values["family_name"],
            values["date_of_birth"],
            values.get("postcode"),
            values.get("nhs_number"),
        )


class _Pool:
    """Records indexed by what the duplicate check fetches them by: date of birth,
    postcode, NHS number."""

    def __init__(self) -> None:
        self.birth: dict[dt.date, list[_Known]] = defaultdict(list)
        self.postcode: dict[str, list[_Known]] = defaultdict(list)
        self.nhs: dict[str, list[_Known]] = defaultdict(list)

    def add(self, known: _Known) -> None:
        self.birth[known.date_of_birth].append(known)
        if known.postcode:
            self.postcode[known.postcode].append(known)
        if known.nhs_number:
            self.nhs[known.nhs_number].append(known)

    def near(self, me: _Known) -> dict[int, _Known]:
        """Those sharing a date of birth (or its swap), a postcode or an NHS number."""
        found: dict[int, _Known] = {}
        for day in (me.date_of_birth, transposed(me.date_of_birth)):
            for known in self.birth.get(day, ()) if day else ():
                found[id(known)] = known
        for known in self.postcode.get(me.postcode, ()) if me.postcode else ():
            found[id(known)] = known
        for known in self.nhs.get(me.nhs_number, ()) if me.nhs_number else ():
            found[id(known)] = known
        return found


@dataclass
class _Decision:
    row: CheckedRow
    outcome: str
    person_id: int | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


def import_people(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    checker: Executor | None = None,
) -> ImportRun:
    """Import a people extract (CSV, schemas/import-people.schema.json); each batch is
    committed, so memory stays flat and a large file's progress is kept as it goes."""
    run = start_run(
        actor=actor, kind=ImportKind.PEOPLE, filename=filename, sha256=file_sha256(file)
    )
    db.session.commit()
    counts: Counter = Counter(dict.fromkeys(SUMMARY_KEYS, 0))
    rows = read_rows(
        run=run,
        file=file,
        columns=PEOPLE_COLUMNS,
        required=required_people_columns(),
        check=check_person_row,
        progress=progress,
        checker=checker,
    )
    return import_in_batches(
        run,
        rows,
        counts=counts,
        batch_size=batch_size,
        import_batch=lambda batch: _import_batch(run, actor, batch, counts),
        tables=TOUCHED_TABLES,
    )


def _import_batch(
    run: ImportRun, actor: User, rows: list[CheckedRow], counts: Counter
) -> list[CheckedRow]:
    """Import what the batch can; returns the rows deferred to the next batch (a row that
    may be the same person as one created earlier in this batch is checked again once
    that one is in the database)."""
    good = [r for r in rows if not r.problems]
    _repeats_in_file(good)
    counts[REJECTED] += keep_problems(run, [r for r in rows if r.problems])
    good = [r for r in good if not r.problems]
    decisions = _decide(run, good)
    deferred = [d.row for d in decisions if d.outcome == DEFER]
    repeats = [d.row for d in decisions if d.outcome == REJECTED]
    counts[REJECTED] += keep_problems(run, repeats)
    decisions = [d for d in decisions if d.outcome not in (DEFER, REJECTED)]
    try:
        with db.session.begin_nested():
            _write(run, actor, decisions)
    except IntegrityError:
        for decision in decisions:  # one at a time: the rows the database refuses are reported
            try:
                with db.session.begin_nested():
                    _write(run, actor, [decision])
            except IntegrityError:
                field, what = (
                    ("nhs_number", "NHS number")
                    if decision.outcome == CREATE
                    else ("source_id", "source identifier")
                )
                problem = Problem(
                    decision.row.line,
                    field,
                    f"another record has taken this {what} while the file was being "
                    "imported: import the file again to check the row against it",
                )
                decision.row.problems.append(problem)
                decision.outcome = REJECTED
                keep_problems(run, [decision.row])
    for decision in decisions:
        counts[decision.outcome] += 1
    return deferred


def _repeats_in_file(rows: list[CheckedRow]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.values["source_system"], row.values["source_id"])
        if key in seen:
            reason = f"repeats the source identifier of line {seen[key]}"
            row.problems.append(Problem(row.line, "source_id", reason))
        else:
            seen[key] = row.line


def _decide(run: ImportRun, rows: list[CheckedRow]) -> list[_Decision]:
    """Each row's outcome, from two queries for the whole batch: the source identifiers
    already known, and the live records that could be the same people."""
    if not rows:
        return []
    keys = {(r.values["source_system"], r.values["source_id"]) for r in rows}
    known_ids, this_run = _known_source_ids(run, keys)
    pool = _candidates(rows)
    pending = _Pool()  # created earlier in this batch, not in the database yet
    decisions = []
    for row in rows:
        values = row.values
        key = (values["source_system"], values["source_id"])
        if key in this_run:  # an earlier batch of this very file had it
            reason = "repeats the source identifier of an earlier row of this file"
            row.problems.append(Problem(row.line, "source_id", reason))
            decisions.append(_Decision(row, REJECTED))
            continue
        if key in known_ids:
            decisions.append(_Decision(row, UNCHANGED))
            continue
        me = _Known.of(values)
        if any(_reasons(me, other) for other in pending.near(me).values()):
            decisions.append(_Decision(row, DEFER))
            continue
        decision = _match(row, me, pool)
        if decision.outcome == CREATE:
            pending.add(me)
        decisions.append(decision)
    return decisions


def _known_source_ids(
    run: ImportRun, keys: set[tuple[str, str]]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The batch's source identifiers already on a record, held or rejected, and those of
    them this run put there (a row repeating one of an earlier batch of the same file).
    Asked as `system IN (..) AND value IN (..)` (an extract names one system or a few),
    which walks the unique index; a list of (system, value) pairs is slower."""
    systems = sorted({system for system, _ in keys})
    values = sorted({value for _, value in keys})
    on_people = sa.select(
        PersonIdentifier.system,
        PersonIdentifier.value,
        PersonIdentifier.created_at >= run.started_at,
    ).where(PersonIdentifier.system.in_(systems), PersonIdentifier.value.in_(values))
    held = sa.select(
        HeldMatch.source_system, HeldMatch.source_id, HeldMatch.import_run_id == run.id
    ).where(
        HeldMatch.source_system.in_(systems),
        HeldMatch.source_id.in_(values),
        HeldMatch.status.in_([HeldStatus.WAITING, HeldStatus.REJECTED]),
    )
    found, this_run = set(), set()
    for system, value, ours in [*db.session.execute(on_people), *db.session.execute(held)]:
        if (system, value) in keys:
            found.add((system, value))
            if ours:
                this_run.add((system, value))
    return found, this_run


def _candidates(rows: list[CheckedRow]) -> _Pool:
    """Live records sharing a date of birth (or its swap), a postcode or an NHS number
    with any row of the batch, in one query, indexed each of those ways."""
    births, postcodes, numbers = set(), set(), set()
    for row in rows:
        born = row.values["date_of_birth"]
        births.add(born)
        if swapped := transposed(born):
            births.add(swapped)
        if row.values.get("postcode"):
            postcodes.add(row.values["postcode"])
        if row.values.get("nhs_number"):
            numbers.add(row.values["nhs_number"])
    near = [Person.date_of_birth.in_(births)]
    if postcodes:
        near.append(Person.postcode.in_(postcodes))
    if numbers:
        near.append(Person.nhs_number.in_(numbers))
    stmt = sa.select(
        Person.id,
        Person.given_name,
        Person.family_name,
        Person.date_of_birth,
        Person.postcode,
        Person.nhs_number,
        Person.local_ref,
    ).where(Person.status == RecordStatus.LIVE, sa.or_(*near))
    pool = _Pool()
    for found in db.session.execute(stmt):
        pool.add(_Known(*found))
    return pool


def _match(row: CheckedRow, me: _Known, pool: _Pool) -> _Decision:
    if me.nhs_number and pool.nhs.get(me.nhs_number):
        return _Decision(row, LINK, person_id=pool.nhs[me.nhs_number][0].id)
    likely = []
    for known in pool.near(me).values():
        if _same_person(me, known):
            return _Decision(row, LINK, person_id=known.id)
        if reasons := _reasons(me, known):
            likely.append({"person_id": known.id, "reasons": reasons})
    if likely:
        likely.sort(key=lambda c: c["person_id"])
        return _Decision(row, HOLD, candidates=likely[:20])
    return _Decision(row, CREATE)


def _same_person(me: _Known, known: _Known) -> bool:
    """The very same name, date of birth and postcode (case and spacing aside), and no
    NHS number that says otherwise: confident enough to link without asking."""
    return (
        bool(me.postcode)
        and me.postcode == known.postcode
        and me.date_of_birth == known.date_of_birth
        and folded_name(me.given) == folded_name(known.given)
        and folded_name(me.family) == folded_name(known.family)
        and not (me.nhs_number and known.nhs_number and me.nhs_number != known.nhs_number)
    )


def _reasons(me: _Known, known: _Known) -> list[str]:
    """Why `known` may be the same person, as people.queries.find_likely_duplicates says
    it (the same NHS number; a similar name with the same or swapped date of birth, or
    the same postcode), through the same name comparison (close_names)."""
    reasons = []
    if me.nhs_number and me.nhs_number == known.nhs_number:
        reasons.append("same NHS number")
    given, family = me.folded
    theirs = known.folded
    similar = (close_names(theirs[0], given) and close_names(theirs[1], family)) or (
        close_names(theirs[0], family) and close_names(theirs[1], given)
    )
    if similar:
        if known.date_of_birth == me.date_of_birth:
            reasons.append("similar name, same date of birth")
        elif known.date_of_birth == transposed(me.date_of_birth):
            reasons.append("similar name, date of birth with day and month swapped")
        if me.postcode and me.postcode == known.postcode:
            reasons.append("similar name, same postcode")
    return reasons


def _write(run: ImportRun, actor: User, decisions: list[_Decision]) -> None:
    """Insert the batch's new records, identifiers, held rows and audit rows, a table at a
    time (runs.insert_rows: COPY on PostgreSQL); new records' ids are read back by their
    local references, which are unique."""
    now = utcnow()
    creates = [d for d in decisions if d.outcome == CREATE]
    if creates:
        people = [_person_values(d.row.values, actor, now) for d in creates]
        insert_rows(Person, people)
        refs = [p["local_ref"] for p in people]
        ids = dict(
            db.session.execute(
                sa.select(Person.local_ref, Person.id).where(Person.local_ref.in_(refs))
            ).all()
        )
        for decision, person in zip(creates, people, strict=True):
            decision.person_id = ids[person["local_ref"]]
            decision.row.values["local_ref"] = person["local_ref"]
    kept = [d for d in decisions if d.outcome in (CREATE, LINK)]
    if kept:
        insert_rows(
            PersonIdentifier,
            [
                {
                    "person_id": d.person_id,
                    "system": d.row.values["source_system"],
                    "value": d.row.values["source_id"],
                    "created_at": now,
                }
                for d in kept
            ],
        )
    held = [d for d in decisions if d.outcome == HOLD]
    if held:
        insert_rows(
            HeldMatch,
            [
                {
                    "import_run_id": run.id,
                    "line": d.row.line,
                    "source_system": d.row.values["source_system"],
                    "source_id": d.row.values["source_id"],
                    "details": {k: iso(v) for k, v in d.row.values.items()},
                    "candidates": d.candidates,
                    "status": HeldStatus.WAITING,
                    "version": 1,
                }
                for d in held
            ],
        )
    _audit(run, actor, kept, now)


def _person_values(values: dict[str, Any], actor: User, now: dt.datetime) -> dict[str, Any]:
    """A record as register_person makes one: a local reference, the registering team and
    worker, the folded search name, live."""
    # Every row with every column, so the batch goes out as one executemany.
    person = {key: values.get(key) for key in IDENTITY_FIELDS}
    person["sex"] = person["sex"] or Sex.UNKNOWN
    person["no_fixed_abode"] = bool(person["no_fixed_abode"])
    person["interpreter_needed"] = bool(person["interpreter_needed"])
    names = [values["given_name"], values.get("preferred_name"), values["family_name"]]
    return {
        **person,
        "local_ref": new_local_ref(),
        "search_name": normalise_name(" ".join(n for n in names if n)),
        "registered_by_team_id": actor.team_id,
        "registered_by_id": actor.id,
        "status": RecordStatus.LIVE,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def _audit(run: ImportRun, actor: User, decisions: list[_Decision], now: dt.datetime) -> None:
    """One audit row per record created ("people.register", as the app registers) or
    linked ("imports.link"), naming the import run and its file's SHA-256."""
    key = audit_key()
    rows = []
    for d in decisions:
        changes: dict[str, Any] = {
            "import_run_id": run.id,
            "file_sha256": run.sha256,
            "line": d.row.line,
            "source_system": d.row.values["source_system"],
            "source_id": d.row.values["source_id"],
        }
        if d.outcome == CREATE:
            changes = {"local_ref": d.row.values["local_ref"], "duplicates_shown": [], **changes}
        values = {
            "at": now,
            "actor_id": actor.id,
            "action": "people.register" if d.outcome == CREATE else "imports.link",
            "person_id": d.person_id,
            "changes": changes,
            "reason": f"bulk import of {run.filename}",
            "request_id": None,
        }
        values["mac"] = row_mac(key, values)
        rows.append(values)
    if rows:
        insert_rows(AuditEvent, rows)
