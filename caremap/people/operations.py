"""Verbs on the person record. Each flushes, audits in the same transaction, and
raises DomainError on a broken rule; the request commits once."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from caremap import audit
from caremap.audit.models import AuditEvent
from caremap.auth.models import User
from caremap.auth.permissions import can_merge_records
from caremap.core.db import Base, utcnow
from caremap.core.errors import ConflictError, DomainError, ForbiddenError, StaleVersionError
from caremap.core.extensions import db
from caremap.core.trigrams import normalise_name
from caremap.core.versions import check_version
from caremap.people import signals
from caremap.people.enums import RecordStatus
from caremap.people.identity_checks import (
    check_not_the_same,
    record_not_the_same,
    refuse_merging_different_people,
)
from caremap.people.models import ConsentRecord, Person, RelatedPerson, StoryVersion
from caremap.people.queries import (
    DuplicateCandidate,
    current_consent,
    current_story,
    find_likely_duplicates,
)
from caremap.people.search_models import SEARCH_TABLES

IDENTITY_FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "date_of_birth",
    "date_of_death",
    "sex",
    "nhs_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "no_fixed_abode",
    "phone",
    "email",
    "gp_practice_code",
    "gp_practice_name",
    "language",
    "interpreter_needed",
    "communication_needs",
)
_LOCAL_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The audit trail stays as written; every other reference to the person moves
# (people.merged_into_id too, so records merged earlier follow the survivor).
# The search tables follow the records' names and status by themselves (triggers).
_NOT_MOVED_ON_MERGE = {"audit_events", *SEARCH_TABLES}
MERGE_REFUSED = (
    "Only an admin may merge records: a merge moves everything of one record, and the "
    "access that comes with it, into another. Ask an admin, saying which records and why."
)


class PossibleDuplicatesError(ConflictError):
    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__(
            "This person may already have a record. Check the likely matches, "
            "then choose one or confirm that this is someone new.",
            field="confirm_no_duplicate",
        )
        self.candidates = candidates


def new_local_ref() -> str:
    """A reference staff can read out on the phone, for someone with no NHS number yet:
    no 0/O or 1/I to mishear, and random, so it tells nothing about the person."""
    return "CM" + "".join(secrets.choice(_LOCAL_REF_ALPHABET) for _ in range(8))


def search_name_for(person: Person) -> str:
    """Every name a person goes by (legal and preferred), folded as name search compares,
    so they are found by whichever name a worker was given."""
    names = [person.given_name, person.preferred_name, person.family_name]
    return normalise_name(" ".join(n for n in names if n))


def register_person(*, actor: User, details: dict[str, Any]) -> Person:
    """Create a record, unless it may duplicate one the worker has not yet checked.

    Telling one's story once starts with there being one record. A live record with the
    same NHS number is refused outright; one with the very same name and date of birth
    holds the registration until the worker says why this is a different person
    (`identity_checks`); likely matches are shown first and the worker confirms a new
    record knowingly.
    """
    details = dict(details)
    confirmed = details.pop("confirm_no_duplicate", False)
    _refuse_live_nhs_number(details.get("nhs_number"))
    candidates = find_likely_duplicates(
        given_name=details["given_name"],
        family_name=details["family_name"],
        date_of_birth=details["date_of_birth"],
        nhs_number=details.get("nhs_number"),
        postcode=details.get("postcode"),
    )
    same, reason = check_not_the_same(details, likely=candidates)
    likely = [c for c in candidates if c.person not in same]
    if likely and not confirmed:
        raise PossibleDuplicatesError(likely)
    person = Person(
        local_ref=new_local_ref(),
        registered_by_team_id=actor.team_id,
        registered_by_id=actor.id,
        **{key: details[key] for key in IDENTITY_FIELDS if key in details},
    )
    person.search_name = search_name_for(person)
    db.session.add(person)
    _flush_unique(field="nhs_number")
    audit.record(
        actor,
        "people.register",
        person=person,
        changes={
            "local_ref": person.local_ref,
            "duplicates_shown": [c.person.id for c in candidates],
        },
    )
    record_not_the_same(actor=actor, person=person, others=same, reason=reason)
    return person


def update_identity(
    *, actor: User, person: Person, changes: dict[str, Any], version: int
) -> Person:
    """Correct who someone is. An edit made on a stale copy is refused (409) rather than
    undoing a colleague's change, an NHS number stays with one live record, and the
    audit row keeps what each field was, so a wrong correction can be put back."""
    check_version(person, version)
    before = {key: getattr(person, key) for key in IDENTITY_FIELDS}
    after = {key: value for key, value in changes.items() if key in IDENTITY_FIELDS}
    if after.get("nhs_number") and after["nhs_number"] != person.nhs_number:
        _refuse_live_nhs_number(after["nhs_number"], exclude_id=person.id)
    born = after.get("date_of_birth", person.date_of_birth)
    died = after.get("date_of_death", person.date_of_death)
    if died and died < born:
        raise DomainError("must be on or after the date of birth", field="date_of_death")
    changed = audit.diff(before, after)
    if not changed:
        raise DomainError("Nothing was changed", field="_schema")
    for key, value in after.items():
        setattr(person, key, value)
    person.search_name = search_name_for(person)
    _flush_unique(field="nhs_number")
    audit.record(actor, "people.update_identity", person=person, changes=changed)
    return person


def add_story_version(
    *, actor: User, person: Person, text: str, based_on_id: int | None
) -> StoryVersion:
    """The person tells their story once, in their words, and every worker reads the
    same one. Earlier versions are kept, never overwritten, and a version written on top
    of an older one is refused, so no one's words are lost to a colleague's save."""
    lock_person(person)
    latest = current_story(person)
    _check_based_on(latest, based_on_id, field="text")
    if latest and latest.text == text:
        raise DomainError("The story is the same as the current version", field="text")
    story = StoryVersion(
        person_id=person.id, text=text, recorded_by_id=actor.id, recorded_at=utcnow()
    )
    db.session.add(story)
    db.session.flush()
    audit.record(actor, "people.story", person=person, changes={"story_version_id": story.id})
    return story


def record_consent(
    *,
    actor: User,
    person: Person,
    status: Any,
    decided_on: dt.date,
    note: str | None = None,
    based_on_id: int | None = None,
) -> ConsentRecord:
    """Services share what the person agreed to share, and the decision in force is the
    newest. The previous decisions stay in the history (what was agreed when), and one
    recorded on top of an older decision is refused, so no one overrides unseen."""
    lock_person(person)
    latest = current_consent(person)
    _check_based_on(latest, based_on_id, field="status")
    consent = ConsentRecord(
        person_id=person.id,
        status=status,
        decided_on=decided_on,
        note=note,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
    )
    db.session.add(consent)
    db.session.flush()
    audit.record(
        actor,
        "people.consent",
        person=person,
        changes={"status": status, "decided_on": decided_on, "previous": latest and latest.status},
    )
    return consent


def add_related_person(*, actor: User, person: Person, details: dict[str, Any]) -> RelatedPerson:
    """Carers and next of kin are part of the person's care (carers are counted and
    consulted); a carer with a record of their own is linked, so it shows they care."""
    _check_carer_record(person, details.get("carer_person_id"))
    related = RelatedPerson(person_id=person.id, recorded_by_id=actor.id, **details)
    db.session.add(related)
    db.session.flush()
    audit.record(
        actor,
        "people.related_person.add",
        person=person,
        changes={"related_person_id": related.id, "is_carer": related.is_carer},
    )
    return related


def update_related_person(
    *, actor: User, person: Person, related: RelatedPerson, details: dict[str, Any]
) -> RelatedPerson:
    """Keep a carer's details current without losing a colleague's edit (a stale copy is
    refused); a carer belongs to one person's record and is changed only through it."""
    details = dict(details)
    version = details.pop("version")
    if related.person_id != person.id:
        raise DomainError("That carer or next of kin belongs to another record", field="id")
    check_version(related, version)
    _check_carer_record(person, details.get("carer_person_id"))
    before = {key: getattr(related, key) for key in details}
    changed = audit.diff(before, details)
    for key, value in details.items():
        setattr(related, key, value)
    _flush_versioned(related)
    audit.record(
        actor,
        "people.related_person.update",
        person=person,
        changes={"related_person_id": related.id, **changed},
    )
    return related


def _check_based_on(latest: Any, based_on_id: int | None, *, field: str) -> None:
    """A new version of a history goes on top of the version its writer was shown."""
    if (latest.id if latest else None) != based_on_id:
        raise StaleVersionError(current_version=latest.id if latest else 0, field=field)


def _check_carer_record(person: Person, carer_person_id: int | None) -> None:
    if carer_person_id is None:
        return
    carer = db.session.get(Person, carer_person_id)
    if carer is None or not carer.is_live:
        raise DomainError("There is no live record with that id", field="carer_person_id")
    if carer.id == person.id:
        raise DomainError("A person cannot be their own carer", field="carer_person_id")


def merge_people(
    *, actor: User, survivor: Person, duplicate: Person, reason: str
) -> dict[str, Any]:
    """Fold a duplicate record into the survivor, so a person has one record and one
    story however many times they were registered.

    Everything recorded against the duplicate moves to the survivor; the
    duplicate stays, marked merged, so links to it resolve. The audit row lists
    every row moved, which is what `unmerge_people` reverses.

    Only an admin merges (`can_merge_records`), and every merge is listed for review.
    The registration that stands is the first one made (the lower id): a record
    registered a moment ago and merged with the real one, whichever way round, must not
    leave its team holding the "registered" relationship to the real person's record.
    """
    if not can_merge_records(actor):
        raise ForbiddenError(MERGE_REFUSED, field="duplicate_id")
    if survivor.id == duplicate.id:
        raise DomainError("A record cannot be merged with itself", field="duplicate_id")
    if not (survivor.is_live and duplicate.is_live):
        raise DomainError("Both records must be live to be merged", field="duplicate_id")
    if survivor.nhs_number and duplicate.nhs_number and survivor.nhs_number != duplicate.nhs_number:
        raise DomainError(
            "The records have different NHS numbers, so they are different people",
            field="duplicate_id",
        )
    refuse_merging_different_people(survivor, duplicate)
    lock_person(survivor)
    lock_person(duplicate)
    registered_by = {p.id: p.registered_by_team_id for p in (survivor, duplicate)}
    moved = _move_person_rows(from_id=duplicate.id, to_id=survivor.id)
    filled: dict[str, Any] = {}
    duplicate.status = RecordStatus.MERGED
    duplicate.merged_into_id = survivor.id
    duplicate.merged_at = utcnow()
    _flush_versioned(duplicate)
    registration = _first_registration(survivor, duplicate)
    for key in IDENTITY_FIELDS:
        if getattr(survivor, key) in (None, "") and getattr(duplicate, key) not in (None, ""):
            filled[key] = getattr(duplicate, key)
            setattr(survivor, key, getattr(duplicate, key))
    survivor.search_name = search_name_for(survivor)
    _flush_unique(field="duplicate_id")
    summary = {
        "survivor_id": survivor.id,
        "duplicate_id": duplicate.id,
        "moved": moved,
        "filled": filled,
        "registration": registration,
    }
    audit.record(actor, "people.merge", person=survivor, changes=summary, reason=reason)
    audit.record(actor, "people.merged_into", person=duplicate, changes=summary, reason=reason)
    signals.person_merged.send(
        survivor,
        actor=actor,
        duplicate=duplicate,
        reason=reason,
        registered_by_team_ids=registered_by,
    )
    return summary


def unmerge_people(*, actor: User, merged: Person, reason: str) -> Person:
    """Undo a merge of two different people, whose records must not stay mixed: from its
    audit row, the moved rows go back and the fields it filled empty again."""
    if merged.status != RecordStatus.MERGED or merged.merged_into_id is None:
        raise DomainError("This record has not been merged", field="id")
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.person_id == merged.id, AuditEvent.action == "people.merged_into")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None or not event.changes:
        raise DomainError("No merge of this record is in the audit trail", field="id")
    survivor = db.session.get(Person, merged.merged_into_id)
    lock_person(survivor)
    lock_person(merged)
    for table_name, columns in event.changes["moved"].items():
        table = Base.metadata.tables[table_name]
        for column, row_ids in columns.items():
            if row_ids:
                db.session.execute(
                    sa.update(table).where(table.c.id.in_(row_ids)).values({column: merged.id})
                )
    for key in event.changes.get("filled", {}):
        setattr(survivor, key, None)
    for key, (before, _after) in (event.changes.get("registration") or {}).items():
        setattr(survivor, key, before)
    survivor.search_name = search_name_for(survivor)
    _flush_versioned(survivor)
    merged.status = RecordStatus.LIVE
    merged.merged_into_id = None
    merged.merged_at = None
    _flush_unique(field="id")
    db.session.expire_all()
    audit.record(
        actor, "people.unmerge", person=merged, changes={"from": survivor.id}, reason=reason
    )
    audit.record(actor, "people.unmerge", person=survivor, changes={"to": merged.id}, reason=reason)
    return merged


def _first_registration(survivor: Person, duplicate: Person) -> dict[str, list[Any]]:
    """Give the survivor the registration made first, and return what changed
    ({column: [before, after]}), for the audit row and `unmerge_people`."""
    if survivor.id < duplicate.id:
        return {}
    changed = {}
    for key in ("registered_by_team_id", "registered_by_id"):
        before, after = getattr(survivor, key), getattr(duplicate, key)
        if before != after:
            changed[key] = [before, after]
            setattr(survivor, key, after)
    return changed


def _move_person_rows(*, from_id: int, to_id: int) -> dict[str, dict[str, list[int]]]:
    """Point every row that refers to one person at another, table by table.

    Found from the schema, so rows of domains added later move without this
    code knowing them.
    """
    moved: dict[str, dict[str, list[int]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in _NOT_MOVED_ON_MERGE:
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name != "people":
                continue
            column = fk.parent
            row_ids = list(db.session.scalars(sa.select(table.c.id).where(column == from_id)))
            if row_ids:
                try:
                    with db.session.begin_nested():
                        db.session.execute(
                            sa.update(table)
                            .where(table.c.id.in_(row_ids))
                            .values({column.name: to_id})
                        )
                except IntegrityError as error:
                    raise ConflictError(
                        "Both records have something only one may have (for example an active "
                        f"lead key worker, in {table.name.replace('_', ' ')}): end one, then merge",
                        field="duplicate_id",
                    ) from error
                moved.setdefault(table.name, {})[column.name] = row_ids
    return moved


def lock_person(person: Person) -> None:
    """Concurrent writers to one record queue up (PostgreSQL row lock), so checks made
    against its current state (the newest story, a merge) still hold when they write."""
    if db.engine.dialect.name == "postgresql":
        # NO KEY UPDATE: audit rows already written in this transaction hold KEY SHARE
        # on the person (their foreign key); a plain FOR UPDATE would deadlock on it.
        db.session.execute(
            sa.select(Person.id).where(Person.id == person.id).with_for_update(key_share=True)
        ).one()


def _refuse_live_nhs_number(nhs_number: str | None, *, exclude_id: int | None = None) -> None:
    if not nhs_number:
        return
    stmt = sa.select(Person.id).where(
        Person.nhs_number == nhs_number, Person.status == RecordStatus.LIVE
    )
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise ConflictError("A live record already has this NHS number", field="nhs_number")


def _flush_unique(*, field: str) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise ConflictError("A live record already has this NHS number", field=field) from error
    except StaleDataError as error:
        raise StaleVersionError(current_version=-1) from error


def _flush_versioned(obj: Any) -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleVersionError(current_version=-1) from error
