"""Telling a retry from a second referral.

A referrer whose connection dropped sends the same referral again; that must not reach
the service twice. But a person referred for the same needs in March and again in June
has two referrals, even when the March one is typed in on the same afternoon as June's.
So a retry is recognised by what the caller sent, never by when it was typed:

- the same Idempotency-Key from the same caller (a key is the caller's own: another
  user's key never returns someone else's referral), with the same body; the same key
  with another body is refused, since one of the two is a mistake;
- or the same caller, person, services and needs, received within
  REFERRAL_DUPLICATE_MINUTES of each other (when received, not when submitted).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from typing import Any

import flask
import sqlalchemy as sa

from caremap.auth.models import User
from caremap.catalogue.models import Need
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.referrals.models import Referral, ReferralSubmission
from caremap.routing.engine import Route

KEY_FIELD = "Idempotency-Key"  # the header's own name, as the API's other key errors say


def fingerprint(person: Person, args: dict[str, Any]) -> str:
    """sha256 of the referral as sent: equal for a true retry however its JSON was spelled
    (key order, needs order, an instant in another zone)."""
    body = {name: _plain(value) for name, value in args.items()}
    body["person_id"] = person.id
    body["needs"] = sorted(set(args.get("needs") or []))
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def scoped_key(actor: User, key: str) -> str:
    """What is kept of a caller's Idempotency-Key: a digest of the caller and the key, so
    one unique column keeps each caller's keys apart (no lookup crosses to another's)."""
    return hashlib.sha256(f"{actor.id}:{key}".encode()).hexdigest()


def keyed_attempt(*, actor: User, person: Person, key: str, sent: str) -> ReferralSubmission | None:
    """The caller's earlier submission under this key, if the body is the same; None if the
    key is new to the caller. The same key with another body is refused (422)."""
    earlier = db.session.scalar(
        sa.select(ReferralSubmission).where(
            ReferralSubmission.submitted_by_id == actor.id,
            ReferralSubmission.idempotency_key == scoped_key(actor, key),
        )
    )
    if earlier is None:
        return None
    if earlier.request_fingerprint is not None:
        same = earlier.request_fingerprint == sent
    else:  # kept before fingerprints were: the person is all there is to compare
        same = earlier.person_id == person.id
    if not same:
        raise DomainError(
            f"{key!r} was already used for a different referral; "
            "send a new key with a new referral",
            field=KEY_FIELD,
        )
    return earlier


def same_referral_received(
    *,
    actor: User,
    person: Person,
    received_at: dt.datetime,
    routes: list[Route],
    needs: list[Need],
) -> ReferralSubmission | None:
    """The caller's earlier submission of this person to the same services for the same
    needs, received within the retry window of this one, if there is one."""
    window = dt.timedelta(minutes=flask.current_app.config["REFERRAL_DUPLICATE_MINUTES"])
    nearby = db.session.scalars(
        sa.select(ReferralSubmission)
        .join(Referral, Referral.submission_id == ReferralSubmission.id)
        .where(
            ReferralSubmission.person_id == person.id,
            ReferralSubmission.submitted_by_id == actor.id,
            Referral.person_id == person.id,
            Referral.redirected_from_id.is_(None),
            Referral.received_at >= received_at - window,
            Referral.received_at <= received_at + window,
        )
        .distinct()
        .order_by(ReferralSubmission.id.desc())
    )
    wanted = ({r.service for r in routes}, {n.code for n in needs})
    for submission in nearby:
        first = [r for r in submission.referrals if r.redirected_from_id is None]
        if first and ({r.service.code for r in first}, set(first[0].need_codes)) == wanted:
            return submission
    return None
