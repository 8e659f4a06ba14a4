"""The read side of the person record: likely duplicates, current story and consent.

Search is in search.py (re-exported here for the callers that import it from here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from caremap import audit
from caremap.audit.models import AuditEvent
from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.core.trigrams import close_names, normalise_name, similarity
from caremap.core.trigrams import typing_distance as typing_distance  # where callers look
from caremap.people.enums import RecordStatus
from caremap.people.models import (
    ConsentRecord,
    IdentityCheck,
    Person,
    RelatedPerson,
    StoryVersion,
)
from caremap.people.search import search_and_record as search_and_record  # where callers look
from caremap.people.search import search_people as search_people


@dataclass
class DuplicateCandidate:
    person: Person
    reasons: list[str] = field(default_factory=list)


def record_duplicates_shown(actor: User, candidates: list[DuplicateCandidate]) -> None:
    """Likely duplicates show other people's identities: that read is kept like any other."""
    record_identities_shown(actor, [c.person for c in candidates])


def record_identities_shown(actor: User, people: list[Person]) -> None:
    audit.record(
        actor,
        "people.duplicates_shown",
        changes={"candidates": [p.id for p in people]},
        is_read=True,
    )


def transposed(day: dt.date) -> dt.date | None:
    """The date with day and month swapped, when that is a different real date."""
    if day.day == day.month or day.day > 12:
        return None
    return dt.date(day.year, day.day, day.month)


def find_likely_duplicates(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date,
    nhs_number: str | None = None,
    postcode: str | None = None,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Live records that may be the same person, each with why it was picked.

    The same NHS number; or a similar name with the same date of birth, the date with
    day and month swapped, or the same postcode. A similar name is one whose given
    name and family name are each close (`close_names`; either order): the similarity
    of the whole name (>= 0.4 before) let a long shared given name carry an unrelated
    family name ("agnieszka treing" / "agnieszka erville", 0.4), and a shared family
    name carry a relative at the same address ("leo burric" / "karen burric").

    The rows are fetched by the indexed columns (a date of birth or a postcode holds a
    few dozen people even at city scale) and the names compared here.
    """
    name = normalise_name(f"{given_name} {family_name}")
    given, family = normalise_name(given_name), normalise_name(family_name)
    swapped = transposed(date_of_birth)
    birth_dates = [date_of_birth] + ([swapped] if swapped else [])
    near = [Person.date_of_birth.in_(birth_dates)]
    if postcode:
        near.append(Person.postcode == postcode)
    if nhs_number:  # status inside the OR too: SQLite then uses the partial unique index
        near.append(sa.and_(Person.nhs_number == nhs_number, Person.status == RecordStatus.LIVE))
    stmt = sa.select(Person).where(Person.status == RecordStatus.LIVE, sa.or_(*near))
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    candidates = []
    for person in db.session.scalars(stmt):
        reasons = []
        if nhs_number and person.nhs_number == nhs_number:
            reasons.append("same NHS number")
        if _similar_name(person, given, family):
            if person.date_of_birth == date_of_birth:
                reasons.append("similar name, same date of birth")
            elif swapped and person.date_of_birth == swapped:
                reasons.append("similar name, date of birth with day and month swapped")
            if postcode and person.postcode == postcode:
                reasons.append("similar name, same postcode")
        if reasons:
            candidates.append((similarity(person.search_name, name), person, reasons))
    candidates.sort(key=lambda c: (-c[0], c[1].id))
    return [DuplicateCandidate(person, reasons) for _, person, reasons in candidates[:20]]


def same_name_and_birth(
    *, given_name: str, family_name: str, date_of_birth: dt.date, exclude_id: int | None = None
) -> list[Person]:
    """Live records with exactly this given name, family name and date of birth (case and
    spacing aside): too likely to be the same person to register again unexplained.

    Fetched by the date of birth (indexed; a few dozen people a day even at city scale)
    and compared here, so case folds the same way on both backends (SQLite's lower()
    leaves accented letters as they are).
    """
    given, family = folded_name(given_name), folded_name(family_name)
    stmt = sa.select(Person).where(
        Person.status == RecordStatus.LIVE, Person.date_of_birth == date_of_birth
    )
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    return [
        p
        for p in db.session.scalars(stmt.order_by(Person.id))
        if folded_name(p.given_name) == given and folded_name(p.family_name) == family
    ]


def folded_name(name: str) -> str:
    """A name as an exact match compares it: case and spacing aside."""
    return " ".join(name.split()).casefold()


@dataclass
class IdentityCheckShown:
    """An identity check as one record shows it: the other record, who, when, why."""

    other: Person
    reason: str
    checked_by: User
    checked_at: dt.datetime


def identity_checks_for(person: Person) -> list[IdentityCheckShown]:
    """Each "not the same person as" answer about this record, with the other record,
    oldest first: the same checks show on both records, in one query."""
    other_id = sa.case(
        (IdentityCheck.person_id == person.id, IdentityCheck.other_person_id),
        else_=IdentityCheck.person_id,
    )
    stmt = (
        sa.select(IdentityCheck, Person)
        .join(Person, Person.id == other_id)
        .where(
            sa.or_(IdentityCheck.person_id == person.id, IdentityCheck.other_person_id == person.id)
        )
        .order_by(IdentityCheck.checked_at, IdentityCheck.id)
    )
    return [
        IdentityCheckShown(other, check.reason, check.checked_by, check.checked_at)
        for check, other in db.session.execute(stmt)
    ]


def identity_checks_and_record(*, actor: User, person: Person) -> list[IdentityCheckShown]:
    """The checks, keeping the read of the other records they name (name, date of birth
    and local reference are shown), as a search keeps its results."""
    shown = identity_checks_for(person)
    if shown:
        audit.record_reads(actor, "people.identity_check_shown", [s.other.id for s in shown])
    return shown


def _similar_name(person: Person, given: str, family: str) -> bool:
    theirs = normalise_name(person.given_name), normalise_name(person.family_name)
    return (close_names(theirs[0], given) and close_names(theirs[1], family)) or (
        close_names(theirs[0], family) and close_names(theirs[1], given)  # entered swapped
    )


def _newest_first(model: type[StoryVersion] | type[ConsentRecord], person: Person) -> sa.Select:
    """A history kept as versions: the one in force first."""
    return (
        sa.select(model)
        .where(model.person_id == person.id)
        .order_by(model.recorded_at.desc(), model.id.desc())
    )


def current_story(person: Person) -> StoryVersion | None:
    return db.session.scalars(_newest_first(StoryVersion, person).limit(1)).first()


def story_history(person: Person) -> list[StoryVersion]:
    return list(db.session.scalars(_newest_first(StoryVersion, person)))


def current_consent(person: Person) -> ConsentRecord | None:
    return db.session.scalars(_newest_first(ConsentRecord, person).limit(1)).first()


def consent_history(person: Person) -> list[ConsentRecord]:
    return list(db.session.scalars(_newest_first(ConsentRecord, person)))


def related_people(person: Person, *, include_ended: bool = False) -> list[RelatedPerson]:
    stmt = sa.select(RelatedPerson).where(RelatedPerson.person_id == person.id)
    if not include_ended:
        stmt = stmt.where(RelatedPerson.is_active.is_(True))
    return list(db.session.scalars(stmt.order_by(RelatedPerson.created_at, RelatedPerson.id)))


def recently_viewed(user: User, *, limit: int = 10) -> list[Person]:
    """The live records the user opened most recently, from the audit trail.

    Only the user's newest `people.view` rows are read (limit × 10, backwards by the
    (actor_id, action, id) index), so the cost stays the same as the trail grows.
    """
    newest = (
        sa.select(AuditEvent.person_id, AuditEvent.id)
        .where(AuditEvent.actor_id == user.id, AuditEvent.action == "people.view")
        .order_by(AuditEvent.id.desc())
        .limit(limit * 10)
        .subquery()
    )
    last_seen = (
        sa.select(newest.c.person_id, sa.func.max(newest.c.id).label("last_id"))
        .group_by(newest.c.person_id)
        .subquery()
    )
    stmt = (
        sa.select(Person)
        .join(last_seen, last_seen.c.person_id == Person.id)
        .where(Person.status == RecordStatus.LIVE)
        .order_by(last_seen.c.last_id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def record_ids(person: Person) -> list[int]:
    """The person's id and the ids of every record merged into it."""
    merged = db.session.scalars(sa.select(Person.id).where(Person.merged_into_id == person.id))
    return [person.id, *merged]


@dataclass(frozen=True)
class AccessLogEntry:
    """One line of "who has looked at my record": an audit row as the report shows it
    (a copy, so hiding a reason never touches the append-only row)."""

    id: int
    at: dt.datetime
    action: str
    actor: User | None
    person_id: int | None
    reason: str | None
    # Which fields a change touched (names only: the report says "changed the address",
    # never what it was or became).
    changed_fields: tuple[str, ...] = ()


# Actions whose reason is never shown in the report: safeguarding's words (a triage
# reason, written before the trail stopped keeping them) must not reach the care team,
# the person or an abuser asking on their behalf; leads read them on the concern.
_REASON_WITHHELD = ("safeguarding.",)


def _log_entry(event: AuditEvent) -> AccessLogEntry:
    withheld = event.action.startswith(_REASON_WITHHELD)
    return AccessLogEntry(
        event.id,
        event.at,
        event.action,
        event.actor,
        event.person_id,
        None if withheld else event.reason,
        tuple(event.changes) if isinstance(event.changes, dict) else (),
    )


def access_log(
    person: Person, *, page: int = 1, per_page: int = 50
) -> tuple[list[AccessLogEntry], int]:
    """Every read and write of the person's record, newest first ("who has looked at my record")."""
    ids = record_ids(person)
    where = AuditEvent.person_id.in_(ids)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(where))
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [_log_entry(e) for e in events], total or 0


def people_registered_by_team_of(user: User) -> sa.Select:
    """The "registered" relationship: people the user's team registered."""
    return sa.select(Person.id).where(Person.registered_by_team_id == user.team_id)
