"""Deciding a held row: link it to the record it is, create a new record, or reject it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.imports.enums import HeldStatus
from caremap.imports.models import HeldMatch, ImportRun
from caremap.people.enums import RecordStatus, Sex
from caremap.people.models import Person, PersonIdentifier
from caremap.people.operations import register_person
from caremap.people.queries import same_name_and_birth


def _open(held: HeldMatch, version: int) -> ImportRun:
    check_version(held, version)
    if held.status != HeldStatus.WAITING:
        raise ConflictError("This row has already been decided", field="decision")
    return db.session.get(ImportRun, held.import_run_id)


def _source_free(held: HeldMatch) -> None:
    taken = db.session.scalar(
        sa.select(PersonIdentifier.person_id).where(
            PersonIdentifier.system == held.source_system,
            PersonIdentifier.value == held.source_id,
        )
    )
    if taken is not None:
        raise ConflictError(
            "This source identifier is already on a record (imported again since)",
            field="decision",
        )


def _decided(held: HeldMatch, actor: User, status: HeldStatus, reason: str | None) -> None:
    held.status = status
    held.decided_by_id = actor.id
    held.decided_at = utcnow()
    held.decision_reason = reason
    db.session.flush()


def _add_identifier(held: HeldMatch, person_id: int) -> None:
    db.session.add(
        PersonIdentifier(person_id=person_id, system=held.source_system, value=held.source_id)
    )
    db.session.flush()


def _import_changes(held: HeldMatch, run: ImportRun) -> dict[str, Any]:
    return {
        "import_run_id": run.id,
        "file_sha256": run.sha256,
        "line": held.line,
        "held_match_id": held.id,
        "source_system": held.source_system,
        "source_id": held.source_id,
    }


def link_held(*, actor: User, held: HeldMatch, person_id: int, version: int) -> Person:
    """The row is this existing record: its source identifier goes on it, so importing
    the file again finds it. Only a candidate the check offered may be chosen."""
    run = _open(held, version)
    if person_id not in {c["person_id"] for c in held.candidates}:
        raise DomainError("choose one of the likely matches shown", field="person_id")
    person = db.session.get(Person, person_id)
    if person is None or person.status != RecordStatus.LIVE:
        raise DomainError("that record is no longer live (merged since)", field="person_id")
    _source_free(held)
    _add_identifier(held, person.id)
    held.person_id = person.id
    _decided(held, actor, HeldStatus.LINKED, None)
    audit.record(actor, "imports.link", person=person, changes=_import_changes(held, run))
    return person


def create_from_held(*, actor: User, held: HeldMatch, version: int, reason: str | None) -> Person:
    """The row is someone new: registered through the people domain's own operation, the
    likely matches confirmed as checked (and, for the very same name and date of birth,
    the reason given kept as the identity check on both records)."""
    run = _open(held, version)
    _source_free(held)
    details = _identity(held.details)
    same = [
        p.id
        for p in same_name_and_birth(
            given_name=details["given_name"],
            family_name=details["family_name"],
            date_of_birth=details["date_of_birth"],
        )
    ]
    person = register_person(
        actor=actor,
        details={
            **details,
            "confirm_no_duplicate": True,
            "not_the_same_person_as": same if reason and same else [],
            "reason": reason if same else None,
        },
    )
    _add_identifier(held, person.id)
    held.person_id = person.id
    _decided(held, actor, HeldStatus.CREATED, reason)
    audit.record(actor, "imports.create", person=person, changes=_import_changes(held, run))
    return person


def reject_held(*, actor: User, held: HeldMatch, version: int, reason: str) -> HeldMatch:
    """The row is not imported (a test record, a person who is not ours); the reason is
    kept and importing the file again leaves it rejected."""
    run = _open(held, version)
    if not (reason or "").strip():
        raise DomainError("say why the row is rejected", field="reason")
    _decided(held, actor, HeldStatus.REJECTED, reason.strip())
    audit.record(actor, "imports.reject", changes=_import_changes(held, run))
    return held


def _identity(details: dict[str, Any]) -> dict[str, Any]:
    """The held row's identity as register_person takes it (dates back from ISO)."""
    identity = {
        k: v for k, v in details.items() if k not in {"source_system", "source_id", "local_ref"}
    }
    for key in ("date_of_birth", "date_of_death"):
        if identity.get(key):
            identity[key] = dt.date.fromisoformat(identity[key])
    if identity.get("sex"):
        identity["sex"] = Sex(identity["sex"])
    return identity
