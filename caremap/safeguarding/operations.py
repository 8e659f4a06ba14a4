"""Raising a concern, triage against the deadline, and running an enquiry to its outcome.

Each verb flushes and audits; the request commits once.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import Any

import flask
import sqlalchemy as sa

from caremap import audit
from caremap.access.operations import check_grantor
from caremap.auth.models import User
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import DomainError, ForbiddenError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.people.models import Person
from caremap.safeguarding.dates import check_event_date
from caremap.safeguarding.deadlines import add_working_days
from caremap.safeguarding.enums import (
    ConcernStatus,
    EnquiryStatus,
    RiskOutcome,
    TriageDecision,
)
from caremap.safeguarding.flows import check_concern_step, check_enquiry_step
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction, EnquiryMeeting
from caremap.safeguarding.permissions import may_mark_done, require_runs_enquiry
from caremap.safeguarding.sac import check_conclusion, flush_versioned, risks_from_concern
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.operations import close_tasks, create_task

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_DAY = dt.timedelta(days=1)
_DECISION_STATUS = {
    TriageDecision.SECTION_42_ENQUIRY: ConcernStatus.SECTION_42_ENQUIRY,
    TriageDecision.OTHER_ENQUIRY: ConcernStatus.OTHER_ENQUIRY,
    TriageDecision.NO_FURTHER_ACTION: ConcernStatus.NO_FURTHER_ACTION,
}


def raise_concern(*, actor: User, person: Person, details: dict[str, Any]) -> Concern:
    """Anyone signed in can raise a concern about anyone; leads must triage it in time.
    A concern written up later keeps the day it was raised (raised_on, today if not
    given) beside the moment it was entered, and the figures count it on that day."""
    details = dict(details)
    if not details.get("person_wishes") and not details.get("wishes_not_asked_reason"):
        raise DomainError(
            "Say what the person wants to happen, or why they could not be asked",
            field="person_wishes",
        )
    raised_on = check_event_date(
        details.pop("raised_on", None) or clock.today(), field="raised_on", person=person
    )
    now = utcnow()
    days = flask.current_app.config["SAFEGUARDING_TRIAGE_WORKING_DAYS"]
    # The timescale runs from when the concern was raised: one written up late is as late
    # to be decided. Its hour is not known, so it counts from the end of that day.
    counted_from = now if raised_on == clock.today() else clock.start_of_day(raised_on + ONE_DAY)
    concern = Concern(
        reference="S" + "".join(secrets.choice(_ALPHABET) for _ in range(8)),
        person_id=person.id,
        raised_by_id=actor.id,
        raised_at=now,
        raised_on=raised_on,
        triage_due_at=add_working_days(counted_from, days),
        status=ConcernStatus.AWAITING_TRIAGE,
        **{**details, "categories": [c.value for c in details["categories"]]},
    )
    db.session.add(concern)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.raise",
        person=person,
        changes={
            "concern_id": concern.id,
            "reference": concern.reference,
            "raised_on": raised_on,
            "raised_at": now,
        },
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
    decided_on: dt.date | None = None,
    started_on: dt.date | None = None,
) -> Concern:
    """Record the section 42(1) test and the decision, because the Care Act allows a
    statutory enquiry only when all three parts of the test are met, and a decision to do
    nothing must be explainable later: no further action needs its reason. The day of the
    decision (decided_on) and of the enquiry's start (started_on, by default that day) are
    kept beside the moment they were entered, each checked against the day before it."""
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
    person = concern.person
    decided_on = check_event_date(
        decided_on or clock.today(),
        field="decided_on",
        person=person,
        after=(concern.raised_on, "the day the concern was raised"),
    )
    if target == ConcernStatus.NO_FURTHER_ACTION:
        if started_on is not None:
            raise DomainError(
                "must be left empty: no further action starts no enquiry", field="started_on"
            )
    else:
        started_on = check_event_date(
            started_on or decided_on,
            field="started_on",
            person=person,
            after=(decided_on, "the day of the decision"),
        )
    now = utcnow()
    concern.test_care_and_support_needs = test_care_and_support_needs
    concern.test_abuse_or_neglect = test_abuse_or_neglect
    concern.test_unable_to_protect_self = test_unable_to_protect_self
    concern.decision = decision
    concern.decision_reason = decision_reason
    concern.signposting = signposting
    concern.triaged_at = now
    concern.decided_on = decided_on
    concern.triaged_by_id = actor.id
    concern.lead_id = concern.lead_id or actor.id
    concern.status = target
    if target == ConcernStatus.NO_FURTHER_ACTION:
        concern.closed_at = now
    else:
        # Through the relationship, so the concern in hand knows its enquiry at once.
        concern.enquiry = Enquiry(
            concern_id=concern.id,
            person_id=concern.person_id,
            lead_id=concern.lead_id,
            is_section_42=decision == TriageDecision.SECTION_42_ENQUIRY,
            started_on=started_on,
            status=EnquiryStatus.OPEN,
            risks=risks_from_concern(concern),
        )
    db.session.flush()
    # The reason and the signposting are the lead's words about the person and the abuse:
    # they stay on the concern. The trail names the concern and which were written.
    audit.record(
        actor,
        "safeguarding.triage",
        person_id=concern.person_id,
        changes={
            "concern_id": concern.id,
            "reference": concern.reference,
            "text_given": _text_given(decision_reason=decision_reason, signposting=signposting),
            "decision": decision,
            "test_met": test_met,
            "on_time": now <= concern.triage_due_at,
            "decided_on": decided_on,
            "started_on": started_on,
            "triaged_at": now,
        },
    )
    return concern


def add_meeting(*, actor: User, enquiry: Enquiry, details: dict[str, Any]) -> EnquiryMeeting:
    """Record a strategy discussion, meeting or case conference, so the enquiry shows who
    met and what was decided; only while the enquiry is open, and only by those who run
    it (its lead and the safeguarding leads): an action's owner reads, they do not steer."""
    require_runs_enquiry(actor, enquiry)
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
    to answer for it. The worker is told: the action lands on their own task list, due
    when the action is, titled by the concern's reference only (a task list is seen by
    the owner's team lead, who has no claim to safeguarding detail). Only those who run
    the enquiry give actions."""
    require_runs_enquiry(actor, enquiry)
    _require_open(enquiry)
    owner = db.session.get(User, owner_id)
    if owner is None:
        raise DomainError("There is no such worker", field="owner_id")
    if not owner.is_active:
        raise DomainError("The owner's account is not active", field="owner_id")
    _check_action_grantor(actor, enquiry, owner)
    task = create_task(
        actor=actor,
        person_id=enquiry.person_id,
        kind=TaskKind.SAFEGUARDING_ACTION,
        title=f"Safeguarding action for concern {enquiry.concern.reference}",
        due_on=due_on,
        owner_user=owner,
    )
    action = EnquiryAction(
        enquiry_id=enquiry.id,
        description=description,
        owner_id=owner.id,
        due_on=due_on,
        task_id=task.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.action",
        person_id=enquiry.person_id,
        changes={
            "enquiry_id": enquiry.id,
            "action_id": action.id,
            "owner": owner.id,
            "task_id": task.id,
        },
    )
    return action


def _check_action_grantor(actor: User, enquiry: Enquiry, owner: User) -> None:
    """An action's task gives its owner a lasting relationship to the person (the
    assigned-task one: the record opens to them), so giving it is a grant, asked of
    access's one gate; running the enquiry (checked before this) is a lead's standing by
    the statutory duty, and break-glass is refused like anywhere else."""
    check_grantor(
        actor=actor,
        person=enquiry.concern.person,
        grant="safeguarding_action_owner",
        to_user_id=owner.id,
    )


def complete_action(*, actor: User, action: EnquiryAction, version: int) -> EnquiryAction:
    """Mark an action done (once), because an enquiry cannot conclude while any is open.
    Its owner marks their own; the enquiry's lead and the safeguarding leads may mark any.
    The owner's task closes with it, so their list never shows work already done."""
    check_version(action, version)
    enquiry = db.session.get(Enquiry, action.enquiry_id)
    if not may_mark_done(actor, action, enquiry):
        raise ForbiddenError(
            "Only the action's owner or the enquiry's lead can mark this safeguarding action done",
            field="status",
        )
    if action.done_at is not None:
        raise DomainError("This action is already done", field="version")
    action.done_at = utcnow()
    action.done_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.action_done",
        person_id=enquiry.person_id,
        changes={"action_id": action.id, "task_id": action.task_id},
    )
    if action.task is not None:
        close_tasks(actor=actor, tasks=[action.task], because="The safeguarding action is done")
    return action


def share_summary(*, actor: User, enquiry: Enquiry, version: int, shared_summary: str | None):
    """Set what the workers who own an action may read of the enquiry. They need enough
    to do their part, not the concern's detail, and the lead is the one to judge that."""
    check_version(enquiry, version)
    require_runs_enquiry(actor, enquiry)
    _require_open(enquiry)
    enquiry.shared_summary = shared_summary or None
    db.session.flush()
    audit.record(
        actor,
        "safeguarding.share_summary",
        person_id=enquiry.person_id,
        changes={"enquiry_id": enquiry.id, "shared": enquiry.shared_summary is not None},
    )
    return enquiry


def conclude_enquiry(*, actor: User, enquiry: Enquiry, version: int, **details: Any) -> Enquiry:
    """Conclude with the outcome the national return counts; the concern closes with it.
    Only its lead or a safeguarding lead concludes, only once every action is done, and a
    risk that remains needs its reason, so the figures never count an enquiry closed with
    work or risk unexplained. A section 42 enquiry answers every question the Safeguarding
    Adults Collection asks of it (sac.check_conclusion). The day it concluded (closed_on)
    is checked against its start and the person's life, and kept beside the moment it was
    entered."""
    check_version(enquiry, version)
    check_enquiry_step(enquiry.status, EnquiryStatus.CONCLUDED)
    require_runs_enquiry(actor, enquiry)
    if details.get("risk_outcome") == RiskOutcome.REMAINS and not details.get(
        "risk_remains_reason"
    ):
        raise DomainError("Say why the risk remains", field="risk_remains_reason")
    # Asked of the database, not the enquiry's loaded list: an action given earlier in the
    # same unit of work is not in that list (found by tests/properties).
    open_actions = db.session.scalars(
        sa.select(EnquiryAction.id).where(
            EnquiryAction.enquiry_id == enquiry.id, EnquiryAction.done_at.is_(None)
        )
    ).all()
    if open_actions:
        raise DomainError(f"{len(open_actions)} action(s) are not done yet", field="status")
    check_conclusion(enquiry, details)
    concern = enquiry.concern
    check_event_date(
        details["closed_on"],
        field="closed_on",
        person=concern.person,
        after=(enquiry.started_on, "the day the enquiry started"),
    )
    now = utcnow()
    for key, value in details.items():
        setattr(enquiry, key, value)
    enquiry.status = EnquiryStatus.CONCLUDED
    enquiry.concluded_at = now
    check_concern_step(concern.status, ConcernStatus.CLOSED)
    concern.status = ConcernStatus.CLOSED
    concern.closed_at = now
    flush_versioned()
    coded = {k: v for k, v in details.items() if not _is_free_text(v)}
    audit.record(
        actor,
        "safeguarding.conclude",
        person_id=enquiry.person_id,
        changes={
            "enquiry_id": enquiry.id,
            "reference": concern.reference,
            **coded,
            "text_given": _text_given(**{k: v for k, v in details.items() if k not in coded}),
            "concluded_at": now,
        },
    )
    return enquiry


def _is_free_text(value: Any) -> bool:
    """Words someone wrote (not a coded choice): the general audit trail, which admins and
    the "who has looked" report read, must never hold safeguarding detail, so an audit
    row keeps the coded values and dates and only names the text fields."""
    return isinstance(value, str) and not isinstance(value, enum.Enum)


def _text_given(**fields: Any) -> list[str]:
    return sorted(name for name, value in fields.items() if value)


def _require_open(enquiry: Enquiry) -> None:
    if enquiry.status != EnquiryStatus.OPEN:
        raise DomainError("This enquiry has concluded", field="status")
