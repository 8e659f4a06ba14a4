"""Raising a concern, triage against the deadline, and running an enquiry to its outcome.

Each verb flushes and audits; the request commits once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import flask

from caremap import audit
from caremap.auth.models import User
from caremap.auth.permissions import can_lead_safeguarding
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.people.models import Person
from caremap.safeguarding.deadlines import add_working_days
from caremap.safeguarding.enums import (
    ConcernStatus,
    EnquiryStatus,
    RiskOutcome,
    TriageDecision,
)
from caremap.safeguarding.flows import check_concern_step, check_enquiry_step
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction, EnquiryMeeting

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_DECISION_STATUS = {
    TriageDecision.SECTION_42_ENQUIRY: ConcernStatus.SECTION_42_ENQUIRY,
    TriageDecision.OTHER_ENQUIRY: ConcernStatus.OTHER_ENQUIRY,
    TriageDecision.NO_FURTHER_ACTION: ConcernStatus.NO_FURTHER_ACTION,
}


def raise_concern(*, actor: User, person: Person, details: dict[str, Any]) -> Concern:
    """Anyone signed in can raise a concern about anyone; leads must triage it in time."""
    if not details.get("person_wishes") and not details.get("wishes_not_asked_reason"):
        raise DomainError(
            "Say what the person wants to happen, or why they could not be asked",
            field="person_wishes",
        )
    now = utcnow()
    days = flask.current_app.config["SAFEGUARDING_TRIAGE_WORKING_DAYS"]
    concern = Concern(
        reference="S" + "".join(secrets.choice(_ALPHABET) for _ in range(8)),
        person_id=person.id,
        raised_by_id=actor.id,
        raised_at=now,
        triage_due_at=add_working_days(now, days),
        status=ConcernStatus.AWAITING_TRIAGE,
        **{**details, "categories": [c.value for c in details["categories"]]},
    )
    db.session.add(concern)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.raise",
        person=person,
        changes={"concern_id": concern.id, "reference": concern.reference},
    )
    return concern


def take_concern(*, actor: User, concern: Concern, version: int) -> Concern:
    """A lead takes a concern awaiting triage, so the queue shows who is deciding it and a
    second lead does not triage it too (the version check refuses the slower of two)."""
    check_version(concern, version)
    if concern.status != ConcernStatus.AWAITING_TRIAGE:
        raise DomainError("Only a concern awaiting triage can be taken", field="status")
    concern.lead_id = actor.id
    db.session.flush()
    audit.record(
        actor, "safeguarding.take", person_id=concern.person_id, changes={"concern_id": concern.id}
    )
    return concern


def triage_concern(
    *,
    actor: User,
    concern: Concern,
    version: int,
    test_care_and_support_needs: bool,
    test_abuse_or_neglect: bool,
    test_unable_to_protect_self: bool,
    decision: TriageDecision,
    decision_reason: str | None = None,
    signposting: str | None = None,
) -> Concern:
    """Record the section 42(1) test and the decision, because the Care Act allows a
    statutory enquiry only when all three parts of the test are met, and a decision to do
    nothing must be explainable later: no further action needs its reason."""
    check_version(concern, version)
    target = _DECISION_STATUS[decision]
    check_concern_step(concern.status, target)
    test_met = test_care_and_support_needs and test_abuse_or_neglect and test_unable_to_protect_self
    if decision == TriageDecision.SECTION_42_ENQUIRY and not test_met:
        raise DomainError(
            "A section 42 enquiry needs all three parts of the test; otherwise choose another "
            "enquiry or no further action",
            field="decision",
        )
    if decision == TriageDecision.NO_FURTHER_ACTION and not decision_reason:
        raise DomainError("Give the reason for no further action", field="decision_reason")
    now = utcnow()
    concern.test_care_and_support_needs = test_care_and_support_needs
    concern.test_abuse_or_neglect = test_abuse_or_neglect
    concern.test_unable_to_protect_self = test_unable_to_protect_self
    concern.decision = decision
    concern.decision_reason = decision_reason
    concern.signposting = signposting
    concern.triaged_at = now
    concern.triaged_by_id = actor.id
    concern.lead_id = concern.lead_id or actor.id
    concern.status = target
    if target == ConcernStatus.NO_FURTHER_ACTION:
        concern.closed_at = now
    else:
        db.session.add(
            Enquiry(
                concern_id=concern.id,
                person_id=concern.person_id,
                lead_id=concern.lead_id,
                is_section_42=decision == TriageDecision.SECTION_42_ENQUIRY,
                started_on=now.date(),
                status=EnquiryStatus.OPEN,
            )
        )
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.triage",
        person_id=concern.person_id,
        reason=decision_reason,
        changes={
            "concern_id": concern.id,
            "decision": decision,
            "test_met": test_met,
            "on_time": now <= concern.triage_due_at,
        },
    )
    return concern


def add_meeting(*, actor: User, enquiry: Enquiry, details: dict[str, Any]) -> EnquiryMeeting:
    """Record a strategy discussion, meeting or case conference, so the enquiry shows who
    met and what was decided; only while the enquiry is open."""
    _require_open(enquiry)
    meeting = EnquiryMeeting(enquiry_id=enquiry.id, recorded_by_id=actor.id, **details)
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.meeting",
        person_id=enquiry.person_id,
        changes={"enquiry_id": enquiry.id, "kind": meeting.kind},
    )
    return meeting


def add_action(
    *, actor: User, enquiry: Enquiry, description: str, owner_id: int, due_on: dt.date
) -> EnquiryAction:
    """Give an enquiry's action to a named, active worker with a date, so it has someone
    to answer for it (and that worker may then see the concern's detail)."""
    _require_open(enquiry)
    owner = db.session.get(User, owner_id)
    if owner is None:
        raise DomainError("There is no such worker", field="owner_id")
    if not owner.is_active:
        raise DomainError("The owner's account is not active", field="owner_id")
    action = EnquiryAction(
        enquiry_id=enquiry.id, description=description, owner_id=owner.id, due_on=due_on
    )
    db.session.add(action)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.action",
        person_id=enquiry.person_id,
        changes={"enquiry_id": enquiry.id, "action_id": action.id, "owner": owner.id},
    )
    return action


def complete_action(*, actor: User, action: EnquiryAction, version: int) -> EnquiryAction:
    """Mark an action done (once), because an enquiry cannot conclude while any is open."""
    check_version(action, version)
    if action.done_at is not None:
        raise DomainError("This action is already done", field="version")
    action.done_at = utcnow()
    action.done_by_id = actor.id
    db.session.flush()
    enquiry = db.session.get(Enquiry, action.enquiry_id)
    audit.record(
        actor,
        "safeguarding.action_done",
        person_id=enquiry.person_id,
        changes={"action_id": action.id},
    )
    return action


def conclude_enquiry(*, actor: User, enquiry: Enquiry, version: int, **details: Any) -> Enquiry:
    """Conclude with the outcome the national return counts; the concern closes with it.
    Only a lead concludes, only once every action is done, and a risk that remains needs
    its reason, so the figures never count an enquiry closed with work or risk unexplained."""
    check_version(enquiry, version)
    check_enquiry_step(enquiry.status, EnquiryStatus.CONCLUDED)
    if not can_lead_safeguarding(actor):
        raise DomainError("Only a safeguarding lead can conclude an enquiry", field="status")
    if details["risk_outcome"] == RiskOutcome.REMAINS and not details.get("risk_remains_reason"):
        raise DomainError("Say why the risk remains", field="risk_remains_reason")
    open_actions = [a for a in enquiry.actions if a.done_at is None]
    if open_actions:
        raise DomainError(f"{len(open_actions)} action(s) are not done yet", field="status")
    if details["closed_on"] < enquiry.started_on:
        raise DomainError("must be on or after the day the enquiry started", field="closed_on")
    for key, value in details.items():
        setattr(enquiry, key, value)
    enquiry.status = EnquiryStatus.CONCLUDED
    concern = enquiry.concern
    check_concern_step(concern.status, ConcernStatus.CLOSED)
    concern.status = ConcernStatus.CLOSED
    concern.closed_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.conclude",
        person_id=enquiry.person_id,
        changes={"enquiry_id": enquiry.id, **details},
    )
    return enquiry


def _require_open(enquiry: Enquiry) -> None:
    if enquiry.status != EnquiryStatus.OPEN:
        raise DomainError("This enquiry has concluded", field="status")
