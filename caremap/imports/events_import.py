"""Importing history: referrals, episodes (reablement discharges with their day-91
outcomes, care home admissions ...), medicines and safeguarding concerns, against people
already imported (found by their source identifier).

History is far smaller than the population and each event runs through its domain's own
operations (start_episode, end_episode, record_day91_outcome, record_medicine,
stop_medicine, raise_concern, submit_referral), dated as the row says, so an imported
event is exactly what the app would have written: its tasks, flags and audit rows too.
Each row runs in a savepoint: a row a rule refuses is reported (line, field, reason) and
leaves nothing behind, while the rows around it go in.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import Executor
from typing import IO, Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.episodes.operations import end_episode, record_day91_outcome, start_episode
from caremap.imports.enums import ImportKind
from caremap.imports.formats import (
    EVENT_COLUMNS,
    CheckedRow,
    Problem,
    check_event_row,
    required_event_columns,
)
from caremap.imports.models import ImportedEvent, ImportRun
from caremap.imports.runs import (
    Progress,
    file_sha256,
    import_in_batches,
    keep_problems,
    read_rows,
    start_run,
)
from caremap.medicines.operations import record_medicine, stop_medicine
from caremap.people.models import Person, PersonIdentifier
from caremap.referrals.operations import submit_referral
from caremap.safeguarding.operations import raise_concern

BATCH_SIZE = 200
TOUCHED_TABLES = (
    "imported_events",
    "referrals",
    "referral_submissions",
    "episodes",
    "medicines",
    "safeguarding_concerns",
    "tasks",
    "audit_events",
)
# A domain operation names its own argument; the file's column for it, where they differ.
_FILE_COLUMN = {
    "episode": {
        "outcome": "day91_outcome",
        "outcome_on": "day91_outcome_on",
        "kind": "episode_kind",
    },
    "medicine": {"reason": "stop_reason"},
    "referral": {"person_id": "source_id"},
}
_NOT_DETAILS = {"source_system", "source_id", "event_id"}


def import_events(
    *,
    actor: User,
    file: IO[bytes],
    filename: str,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    checker: Executor | None = None,
) -> ImportRun:
    """Import a history extract (CSV, schemas/import-events.schema.json)."""
    run = start_run(
        actor=actor, kind=ImportKind.EVENTS, filename=filename, sha256=file_sha256(file)
    )
    db.session.commit()
    counts: Counter = Counter(
        {"read": 0, "unchanged": 0, "rejected": 0, **{f"events_{k}": 0 for k in _IMPORTERS}}
    )
    rows = read_rows(
        run=run,
        file=file,
        columns=EVENT_COLUMNS,
        required=required_event_columns(),
        check=check_event_row,
        progress=progress,
        checker=checker,
    )

    def import_batch(batch: list[CheckedRow]) -> list[CheckedRow]:
        _import_batch(run, actor, batch, counts)
        return []

    return import_in_batches(
        run,
        rows,
        counts=counts,
        batch_size=batch_size,
        import_batch=import_batch,
        tables=TOUCHED_TABLES,
    )


def _import_batch(run: ImportRun, actor: User, rows: list[CheckedRow], counts: Counter) -> None:
    good = [r for r in rows if not r.problems]
    people = _people_of(good)
    done = _already_imported(good)
    seen: set[tuple[str, str]] = set()
    for row in good:
        values = row.values
        key = (values["source_system"], values["event_id"])
        if key in done:
            counts["unchanged"] += 1
            continue
        if key in seen:
            row.problems.append(Problem(row.line, "event_id", "repeats an earlier row's event_id"))
            continue
        seen.add(key)
        person = people.get((values["source_system"], values["source_id"]))
        if person is None:
            reason = "no person has been imported with this source identifier"
            row.problems.append(Problem(row.line, "source_id", reason))
            continue
        try:
            with db.session.begin_nested():
                record_id = _IMPORTERS[row.kind](actor, person, _details(values))
                db.session.add(
                    ImportedEvent(
                        import_run_id=run.id,
                        source_system=values["source_system"],
                        event_id=values["event_id"],
                        kind=row.kind,
                        person_id=person.id,
                        record_id=record_id,
                    )
                )
                audit.record(
                    actor,
                    "imports.event",
                    person=person,
                    changes={
                        "import_run_id": run.id,
                        "file_sha256": run.sha256,
                        "line": row.line,
                        "kind": row.kind,
                        "record_id": record_id,
                        "event_id": values["event_id"],
                    },
                    reason=f"bulk import of {run.filename}",
                )
                db.session.flush()
        except DomainError as error:
            field = _FILE_COLUMN.get(row.kind, {}).get(error.field, error.field)
            row.problems.append(Problem(row.line, field or "_row", error.message))
            continue
        counts[f"events_{row.kind}"] += 1
    counts["rejected"] += keep_problems(run, [r for r in rows if r.problems])


def _people_of(rows: list[CheckedRow]) -> dict[tuple[str, str], Person]:
    pairs = list({(r.values["source_system"], r.values["source_id"]) for r in rows})
    if not pairs:
        return {}
    stmt = (
        sa.select(PersonIdentifier.system, PersonIdentifier.value, Person)
        .join(Person, Person.id == PersonIdentifier.person_id)
        .where(sa.tuple_(PersonIdentifier.system, PersonIdentifier.value).in_(pairs))
    )
    return {(system, value): person for system, value, person in db.session.execute(stmt)}


def _already_imported(rows: list[CheckedRow]) -> set[tuple[str, str]]:
    pairs = list({(r.values["source_system"], r.values["event_id"]) for r in rows})
    if not pairs:
        return set()
    stmt = sa.select(ImportedEvent.source_system, ImportedEvent.event_id).where(
        sa.tuple_(ImportedEvent.source_system, ImportedEvent.event_id).in_(pairs)
    )
    return {tuple(r) for r in db.session.execute(stmt)}


def _details(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in _NOT_DETAILS}


def _service(code: str) -> Service:
    service = db.session.scalar(sa.select(Service).where(Service.code == code))
    if service is None:
        raise DomainError(f"no service has the code {code!r}", field="service")
    return service


def _referral(actor: User, person: Person, details: dict[str, Any]) -> int:
    submission, _ = submit_referral(actor=actor, person=person, args=details)
    return submission.id


def _episode(actor: User, person: Person, details: dict[str, Any]) -> int:
    service = _service(details.pop("service"))
    ended_on, end_reason = details.pop("ended_on", None), details.pop("end_reason", None)
    outcome, outcome_on = details.pop("day91_outcome", None), details.pop("day91_outcome_on", None)
    episode: Episode = start_episode(actor=actor, person=person, service=service, details=details)
    if outcome is not None:
        episode = record_day91_outcome(
            actor=actor,
            episode=episode,
            outcome=outcome,
            version=episode.version,
            outcome_on=outcome_on,
        )
    if ended_on is not None:
        end_episode(
            actor=actor,
            episode=episode,
            ended_on=ended_on,
            end_reason=end_reason,
            version=episode.version,
        )
    return episode.id


def _medicine(actor: User, person: Person, details: dict[str, Any]) -> int:
    stopped_on, reason = details.pop("stopped_on", None), details.pop("stop_reason", None)
    medicine = record_medicine(actor=actor, person=person, details=details)
    if stopped_on is not None:
        if stopped_on < medicine.started_on:
            raise DomainError("must be on or after started_on", field="stopped_on")
        stop_medicine(
            actor=actor,
            medicine=medicine,
            stopped_on=stopped_on,
            reason=reason,
            version=medicine.version,
        )
    return medicine.id


def _concern(actor: User, person: Person, details: dict[str, Any]) -> int:
    return raise_concern(actor=actor, person=person, details=details).id


_IMPORTERS = {
    "referral": _referral,
    "episode": _episode,
    "medicine": _medicine,
    "safeguarding_concern": _concern,
}
