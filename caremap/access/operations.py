"""Break-glass: the one relationship a worker can give themselves, for a few hours, saying
why, and reviewed by an admin afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import sqlalchemy as sa

from caremap import audit
from caremap.access.enums import ReviewOutcome
from caremap.access.models import BreakGlass
from caremap.access.policy import Access, decide
from caremap.access.queries import MERGE_REVIEWED, MergeForReview, merge_for_review
from caremap.auth.models import User
from caremap.auth.permissions import can_break_glass
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError, ForbiddenError
from caremap.core.extensions import db


def break_glass(*, actor: User, person: Any, reason: str) -> BreakGlass:
    """In an emergency a worker must not wait for a referral to reach a record: they may
    open it for a few hours, saying why. Every use is listed for an admin to review."""
    if not can_break_glass(actor):
        raise ForbiddenError("Your role cannot use emergency access", field="reason")
    if decide(actor, person).access == Access.FULL:
        raise DomainError("You can already see this record", field="reason")
    hours = flask.current_app.config["BREAK_GLASS_HOURS"]
    now = utcnow()
    glass = BreakGlass(
        user_id=actor.id,
        person_id=person.id,
        reason=reason,
        started_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    db.session.add(glass)
    db.session.flush()
    audit.record(
        actor,
        "access.break_glass",
        person=person,
        reason=reason,
        changes={"break_glass_id": glass.id, "expires_at": glass.expires_at},
    )
    return glass


def review_break_glass(
    *, actor: User, glass: BreakGlass, note: str, outcome: ReviewOutcome
) -> BreakGlass:
    """Break-glass is trusted because it is checked afterwards: an admin records, once,
    whether the reason held (appropriate, not appropriate, or escalated to information
    governance), and the outcome and note join the person's audit trail."""
    if glass.reviewed_at is not None:
        raise ConflictError("This break-glass has already been reviewed", field="note")
    glass.reviewed_at = utcnow()
    glass.reviewed_by_id = actor.id
    glass.review_note = note
    glass.review_outcome = outcome
    db.session.flush()
    audit.record(
        actor,
        "access.break_glass_review",
        person_id=glass.person_id,
        reason=note,
        changes={"break_glass_id": glass.id, "outcome": outcome},
    )
    return glass


def review_merge(*, actor: User, merge: MergeForReview, note: str) -> MergeForReview:
    """A merge moves one record, and the access on its rows, into another, so each is
    checked afterwards as break-glass is: an admin records, once, whether it was right.
    The review is an audit row on the surviving record (the trail is the only place a
    merge is kept), so it joins the person's audit trail and cannot be edited."""
    if db.engine.dialect.name == "postgresql":
        # Two admins reviewing the same merge at once queue here, so one of them is told.
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_MERGE_REVIEW_LOCK, merge.id)))
        merge = merge_for_review(merge.id) or merge
    if merge.reviewed_at is not None:
        raise ConflictError("This merge has already been reviewed", field="note")
    event = audit.record(
        actor,
        MERGE_REVIEWED,
        person_id=merge.survivor_id,
        reason=note,
        changes={"merge_event_id": merge.id, "duplicate_id": merge.duplicate_id},
    )
    db.session.flush()
    return MergeForReview(merge.event, event)


_MERGE_REVIEW_LOCK = 7_201  # pg advisory lock class: one merge's review at a time


# Every kind of lasting person-level relationship a user can give someone, and the
# operation that gives it. Each asks `check_grantor` first (tests/access/test_grants.py
# walks this list).
GRANTS: dict[str, str] = {
    "care_team": "caremap.careteam.operations.add_member",
    "lead_key_worker": "caremap.careteam.operations.assign_lead_key_worker",
    "safeguarding_action_owner": "caremap.safeguarding.operations.add_action",
    "referral_acceptance": "caremap.referrals.operations.accept_referral",
}

# Grants some users give by duty rather than by a relationship with the person: the
# service a referral was routed to, deciding on it; a safeguarding lead running an
# enquiry. The calling operation has checked that duty; with no relationship, the duty
# is the standing. Emergency access is never a standing, duty or not.
DUTIES: dict[str, str] = {
    "referral_acceptance": "addressed",
    "safeguarding_action_owner": "runs_enquiry",
}


def check_grantor(*, actor: User | None, person: Any, grant: str, to_user_id: int | None) -> str:
    """The one gate for giving someone a lasting relationship to a person's record.

    Temporary access never becomes lasting access: a user whose only standing with the
    person is break-glass may read (and do what the emergency needs) but may not add
    anyone, themselves included, to the record's relationships. A user without full
    access may give none, unless the grant is theirs by duty (DUTIES). Each grant is
    audited with the grantor's standing.
    Returns the standing (`decide`'s reason)."""
    if grant not in GRANTS:
        raise ValueError(f"{grant!r} is not one of access.operations.GRANTS")
    standing = "system" if actor is None else decide(actor, person).because
    if standing == "none" and grant in DUTIES:
        standing = DUTIES[grant]
    if standing == "break_glass":
        raise ForbiddenError(
            "Emergency access lets you read this record, not give anyone (yourself "
            "included) lasting access to it",
            field="user_id",
        )
    if standing == "none":
        raise ForbiddenError("You have no care relationship with this person", field="user_id")
    audit.record(
        actor,
        "access.grant",
        person=person,
        changes={"grant": grant, "to_user_id": to_user_id, "standing": standing},
    )
    return standing
