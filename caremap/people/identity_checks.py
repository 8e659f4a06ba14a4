"""The same person, once: a registration with the very name and date of birth of a live
record is held until the worker opens that record or says why this is someone else.

A likely match (a similar name, a swapped date) stays a warning the worker may pass
(`confirm_no_duplicate`); an exact one is too likely to be the same person to pass
unexplained, since every duplicate is a person counted twice in the figures. The answer
is kept (`identity_checks`), audited on both records, and shown on both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError
from caremap.core.extensions import db
from caremap.people.models import IdentityCheck, Person
from caremap.people.queries import DuplicateCandidate, folded_name, same_name_and_birth


class SamePersonError(ConflictError):
    """Live records have this name and date of birth, and the worker has not (yet) said
    why this is a different person. Carries them, and the likely matches besides."""

    def __init__(
        self,
        message: str,
        *,
        field: str,
        same: list[Person],
        likely: list[DuplicateCandidate],
    ) -> None:
        super().__init__(message, field=field)
        self.same = same
        self.likely = likely


def _refs(people: list[Person]) -> str:
    return ", ".join(f"id {p.id} ({p.local_ref})" for p in people)


def lock_identity(given_name: str, family_name: str, date_of_birth: dt.date) -> None:
    """Two workers registering the same name and date of birth at once queue up here
    (PostgreSQL, until the first commits), so the second sees the first's record and is
    asked about it: checking, then inserting, is otherwise a race. SQLite writes one
    transaction at a time already."""
    if db.engine.dialect.name != "postgresql":
        return
    key = "\x1f".join(
        (folded_name(given_name), folded_name(family_name), date_of_birth.isoformat())
    ).encode()
    lock_id = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)
    db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_id)))


def check_not_the_same(
    details: dict[str, Any], *, likely: list[DuplicateCandidate]
) -> tuple[list[Person], str | None]:
    """The live records with this exact name and date of birth, once the worker has named
    every one of them (`not_the_same_person_as`) and said why (`reason`); otherwise
    SamePersonError (409) naming them. Pops both keys from `details`."""
    claimed = list(dict.fromkeys(details.pop("not_the_same_person_as", None) or []))
    reason = details.pop("reason", None)
    lock_identity(details["given_name"], details["family_name"], details["date_of_birth"])
    same = same_name_and_birth(
        given_name=details["given_name"],
        family_name=details["family_name"],
        date_of_birth=details["date_of_birth"],
    )
    same_ids = {p.id for p in same}
    stray = [i for i in claimed if i not in same_ids]
    if stray:
        raise DomainError(
            f"record {stray[0]} is not a live record with this name and date of birth",
            field="not_the_same_person_as",
        )
    if reason and not claimed:
        raise DomainError(
            "is given only with not_the_same_person_as: the records this person is not",
            field="reason",
        )
    others = [c for c in likely if c.person.id not in same_ids]
    unexplained = [p for p in same if p.id not in claimed]
    if unexplained:
        raise SamePersonError(
            "A live record already has this name and date of birth "
            f"({_refs(unexplained)}). Open it, or say why this is a different person.",
            field="not_the_same_person_as",
            same=same,
            likely=others,
        )
    if same and not reason:
        raise SamePersonError(
            "Enter why this is a different person from the record with the same name "
            "and date of birth",
            field="reason",
            same=same,
            likely=others,
        )
    return same, reason


def record_not_the_same(
    *, actor: User, person: Person, others: list[Person], reason: str | None
) -> list[IdentityCheck]:
    """Keep the worker's answer once per pair, and audit it on both records: each then
    shows who said they are different people, when, and why."""
    checks = []
    for other in others:
        check = IdentityCheck(
            person_id=person.id,
            other_person_id=other.id,
            reason=reason,
            checked_by_id=actor.id,
            checked_at=utcnow(),
        )
        db.session.add(check)
        checks.append(check)
    if not checks:
        return checks
    db.session.flush()
    for check, other in zip(checks, others, strict=True):
        for one, two in ((person, other), (other, person)):
            audit.record(
                actor,
                "people.identity_check",
                person=one,
                changes={"identity_check_id": check.id, "not_the_same_person_as": two.id},
                reason=reason,
            )
    return checks


def refuse_merging_different_people(survivor: Person, duplicate: Person) -> None:
    """A merge of two records someone checked as different people would undo that
    judgement unseen: it is refused, naming who checked, when and why."""
    pair = sa.or_(
        sa.and_(
            IdentityCheck.person_id == survivor.id, IdentityCheck.other_person_id == duplicate.id
        ),
        sa.and_(
            IdentityCheck.person_id == duplicate.id, IdentityCheck.other_person_id == survivor.id
        ),
    )
    check = db.session.scalars(sa.select(IdentityCheck).where(pair).limit(1)).first()
    if check is not None:
        raise DomainError(
            f"{check.checked_by.full_name} checked on {check.checked_at:%d %B %Y} that these "
            f"are different people ({check.reason}), so they cannot be merged",
            field="duplicate_id",
        )
