"""The record JSON (GET /api/v1/people/<id>) read as plain rows, answered as plain dicts.

It is the API's most read answer, and loading it as ORM objects (the person, their
team, story, consent and carers, each with its author) and dumping them through
marshmallow cost six times the CPU of its SQL. Here it is five statements whose rows
are written out directly:

1. the person, their team's name, the access decision (`access.policy.access_rank`),
   and the story and consent decision in force with their authors;
2. the read's audit row, one INSERT, committed with the request (synchronously: "who
   looked" is never lost);
3. the flags (one statement for every kind: `flags`);
4. the related people in touch;
5. the identity checks ("not the same person as"), whose other records' reads are
   audited too when there are any.

Its rules are `load_person`'s, which every other page and endpoint uses: a merged
record answers where it went, a missing one 404, the read is audited with the access
given and why; without a relationship only the identity is shown. The answer is the
very JSON `PersonRecordResponseSchema` and `PersonIdentitySchema` dump for the same
record: tests/people/test_record_json.py holds them together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from caremap import audit
from caremap.access.policy import Access, access_parameters, access_rank, decision_for
from caremap.auth.models import User
from caremap.catalogue.models import Team
from caremap.core.direct import DirectStatement
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.flags import Flag, flags_for
from caremap.people.enums import RecordStatus
from caremap.people.loader import MergedRecordError
from caremap.people.models import (
    ConsentRecord,
    IdentityCheck,
    Person,
    RelatedPerson,
    StoryVersion,
)
from caremap.people.schemas import PersonRecordSchema, identity_answer

_PERSON_ID = sa.bindparam("person_id", type_=sa.Integer())

# PersonRecordSchema's fields read straight from their columns, in its order (derived,
# so a field added to the schema is read here too).
_PERSON_COLUMNS = tuple(
    name for name in PersonRecordSchema().fields if name in Person.__table__.columns
)
_DAYS = {"date_of_birth", "date_of_death"}
_TIMES = {"created_at", "updated_at"}


def _in_force(model: type[StoryVersion] | type[ConsentRecord]) -> sa.ScalarSelect:
    """The id of the person's version in force (queries._newest_first's first)."""
    return (
        sa.select(model.id)
        .where(model.person_id == _PERSON_ID)
        .order_by(model.recorded_at.desc(), model.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _person_statement(rank: sa.ScalarSelect | None) -> sa.Select:
    story_by, consent_by = aliased(User), aliased(User)
    return (
        sa.select(
            *(getattr(Person, name) for name in _PERSON_COLUMNS),
            Person.status,
            Person.merged_into_id,
            Team.name.label("team_name"),
            (rank if rank is not None else sa.null()).label("access_rank"),
            StoryVersion.id.label("story_id"),
            StoryVersion.text.label("story_text"),
            StoryVersion.recorded_at.label("story_at"),
            story_by.full_name.label("story_by"),
            ConsentRecord.id.label("consent_id"),
            ConsentRecord.status.label("consent_status"),
            ConsentRecord.decided_on.label("consent_on"),
            ConsentRecord.note.label("consent_note"),
            ConsentRecord.recorded_at.label("consent_at"),
            consent_by.full_name.label("consent_by"),
        )
        .join(Team, Team.id == Person.registered_by_team_id)
        .outerjoin(StoryVersion, StoryVersion.id == _in_force(StoryVersion))
        .outerjoin(story_by, story_by.id == StoryVersion.recorded_by_id)
        .outerjoin(ConsentRecord, ConsentRecord.id == _in_force(ConsentRecord))
        .outerjoin(consent_by, consent_by.id == ConsentRecord.recorded_by_id)
        .where(Person.id == _PERSON_ID)
    )


_KEPT = "caremap.record_statements"


def _kept_person_statement(user: User) -> DirectStatement:
    """Statement 1 for this user, built once per user (with their access rank)."""
    rank = access_rank(user)
    kept = flask.current_app.extensions.setdefault(_KEPT, {})
    entry = kept.get(id(rank))
    if entry is None or entry[0] is not rank:  # an id may be reused once its rank is gone
        if len(kept) >= 4096:
            kept.clear()
        entry = kept[id(rank)] = (rank, DirectStatement(_person_statement(rank)))
    return entry[1]


_RELATED = DirectStatement(
    sa.select(
        RelatedPerson.id,
        RelatedPerson.name,
        RelatedPerson.relationship_to_person,
        RelatedPerson.phone,
        RelatedPerson.email,
        RelatedPerson.address,
        RelatedPerson.is_carer,
        RelatedPerson.is_next_of_kin,
        RelatedPerson.involved_in_care,
        RelatedPerson.carer_person_id,
        RelatedPerson.notes,
        RelatedPerson.is_active,
        RelatedPerson.version,
    )
    .where(RelatedPerson.person_id == _PERSON_ID, RelatedPerson.is_active.is_(True))
    .order_by(RelatedPerson.created_at, RelatedPerson.id)
)

_OTHER = aliased(Person)
_CHECKS = DirectStatement(
    sa.select(
        IdentityCheck.reason,
        IdentityCheck.checked_at,
        User.full_name.label("checked_by"),
        _OTHER.id,
        _OTHER.local_ref,
        _OTHER.given_name,
        _OTHER.family_name,
        _OTHER.date_of_birth,
    )
    .join(
        _OTHER,
        _OTHER.id
        == sa.case(
            (IdentityCheck.person_id == _PERSON_ID, IdentityCheck.other_person_id),
            else_=IdentityCheck.person_id,
        ),
    )
    .join(User, User.id == IdentityCheck.checked_by_id)
    .where(
        sa.or_(IdentityCheck.person_id == _PERSON_ID, IdentityCheck.other_person_id == _PERSON_ID)
    )
    .order_by(IdentityCheck.checked_at, IdentityCheck.id)
)


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def record_json(person_id: int, *, user: User) -> dict[str, Any]:
    """The answer to GET /api/v1/people/<person_id> for `user`, its read audited."""
    # On the driver (core/direct.py), not through SQLAlchemy's execution: the statements
    # are the same, their CPU half.
    session = db.session
    person = _kept_person_statement(user).first(session, access_parameters(person_id))
    if person is None:
        raise NotFoundError()
    if person.status == RecordStatus.MERGED:
        raise MergedRecordError(person.merged_into_id)
    decision = decision_for(user, person_id, person.access_rank)
    audit.record_read(
        user,
        "people.view",
        person_id=person_id,
        changes={"access": decision.access.value, "because": decision.because},
    )
    if decision.access != Access.FULL:
        return identity_answer(person)
    return {
        "person": _person(person),
        "flags": [_flag(flag) for flag in flags_for(person)],
        "story": _story(person),
        "consent": _consent(person),
        "related_people": [
            row._asdict() for row in _RELATED.all(session, {"person_id": person_id})
        ],
        "identity_checks": _identity_checks(session, user, person_id),
    }


def _person(person: Any) -> dict[str, Any]:
    """PersonRecordSchema's answer."""
    answer: dict[str, Any] = {}
    for name in _PERSON_COLUMNS:
        value = getattr(person, name)
        if name in _DAYS:
            value = _day(value)
        elif name in _TIMES:
            value = _time(value)
        answer[name] = value
    answer["sex"] = person.sex.value
    answer["registered_by_team"] = person.team_name
    answer["access"] = "full"
    return answer


def _flag(flag: Flag) -> dict[str, Any]:
    return {
        "code": flag.code,
        "label": flag.label,
        "severity": flag.severity,
        "since": _day(flag.since),
        "detail": flag.detail,
        "link": flag.link,
    }


def _story(person: Any) -> dict[str, Any] | None:
    if person.story_id is None:
        return None
    return {
        "id": person.story_id,
        "text": person.story_text,
        "recorded_at": _time(person.story_at),
        "recorded_by": person.story_by,
    }


def _consent(person: Any) -> dict[str, Any] | None:
    if person.consent_id is None:
        return None
    return {
        "id": person.consent_id,
        "status": person.consent_status.value,
        "decided_on": _day(person.consent_on),
        "note": person.consent_note,
        "recorded_at": _time(person.consent_at),
        "recorded_by": person.consent_by,
    }


def _identity_checks(session: Session, user: User, person_id: int) -> list[dict]:
    """The checks, keeping the read of the other records they name (as
    queries.identity_checks_and_record does)."""
    rows = _CHECKS.all(session, {"person_id": person_id})
    if rows:
        audit.record_reads(user, "people.identity_check_shown", [row.id for row in rows])
    return [
        {
            "not_the_same_person_as": {
                "id": row.id,
                "local_ref": row.local_ref,
                "given_name": row.given_name,
                "family_name": row.family_name,
                "date_of_birth": _day(row.date_of_birth),
            },
            "reason": row.reason,
            "checked_by": row.checked_by,
            "checked_at": _time(row.checked_at),
        }
        for row in rows
    ]
