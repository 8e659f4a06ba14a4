"""The read side: the leads' queue, a raiser's concerns, and the numbers boards ask for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from caremap.auth.models import User
from caremap.core import clock
from caremap.core.extensions import db
from caremap.safeguarding.enums import (
    CARE_HOME_LOCATIONS,
    ConcernStatus,
    EnquiryStatus,
    TriageDecision,
)
from caremap.safeguarding.models import Concern, Enquiry

DUE_SOON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class QueueEntry:
    concern: Concern
    state: str  # overdue | due | waiting


def triage_queue(*, now: dt.datetime) -> list[QueueEntry]:
    """Concerns awaiting triage, oldest first, each overdue, due within a day, or waiting."""
    concerns = db.session.scalars(
        sa.select(Concern)
        .where(Concern.status == ConcernStatus.AWAITING_TRIAGE)
        .options(selectinload(Concern.person), selectinload(Concern.lead))
        .order_by(Concern.raised_at, Concern.id)
    )
    entries = []
    for concern in concerns:
        if concern.triage_due_at < now:
            state = "overdue"
        elif concern.triage_due_at < now + DUE_SOON:
            state = "due"
        else:
            state = "waiting"
        entries.append(QueueEntry(concern, state))
    return entries


def queue_counts(entries: list[QueueEntry]) -> dict[str, int]:
    return {
        "overdue": sum(e.state == "overdue" for e in entries),
        "due": sum(e.state == "due" for e in entries),
        "waiting": sum(e.state == "waiting" for e in entries),
        "unassigned": sum(e.concern.lead_id is None for e in entries),
        "total": len(entries),
    }


def open_enquiries() -> list[Enquiry]:
    return list(
        db.session.scalars(
            sa.select(Enquiry)
            .where(Enquiry.status == EnquiryStatus.OPEN)
            .options(
                selectinload(Enquiry.concern).selectinload(Concern.person),
                selectinload(Enquiry.actions),
            )
            .order_by(Enquiry.started_on, Enquiry.id)
        )
    )


def raised_by(user: User) -> list[Concern]:
    return list(
        db.session.scalars(
            sa.select(Concern)
            .where(Concern.raised_by_id == user.id)
            .options(selectinload(Concern.person))
            .order_by(Concern.raised_at.desc())
        )
    )


def person_concerns(person_ids: list[int]) -> list[Concern]:
    return list(
        db.session.scalars(
            sa.select(Concern)
            .where(Concern.person_id.in_(person_ids))
            .order_by(Concern.raised_at.desc())
        )
    )


def _count_by(column, where) -> dict[Any, int]:
    """How many enquiries there are of each value of `column`, among those `where` picks."""
    return dict(
        db.session.execute(sa.select(column, sa.func.count()).where(where).group_by(column)).all()
    )


def _triaged_on_time(raised) -> int:
    """Triaged on time by the day the lead decided (decided_on), not the moment it was
    written up: a decision on or before the deadline's local day is on time. One row a
    triaged concern of the period (a few thousand a year at city scale), compared here
    because the deadline's local day needs the city's time zone, which SQLite lacks."""
    rows = db.session.execute(
        sa.select(Concern.decided_on, Concern.triaged_at, Concern.triage_due_at).where(
            raised, Concern.triaged_at.is_not(None)
        )
    )
    return sum(
        1
        for decided_on, triaged_at, due_at in rows
        if (decided_on or clock.local_date(triaged_at)) <= clock.local_date(due_at)
    )


def figures(*, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Counts for a period [start, end], in set-based SQL: concerns raised (by when they were
    raised), the share that went to a section 42 enquiry, enquiries completed (by closing
    date) with their risk and desired-outcome splits, and where the risk was.

    The days are the city's: a concern counts on the local day it was raised (raised_on),
    so one raised at 00:30 on the first day in summer time (23:30 the day before in UTC)
    is in the period, and one written up after the period but raised in it is too.
    """
    raised = Concern.raised_on.between(start, end)
    in_care_home = Concern.risk_location.in_(CARE_HOME_LOCATIONS)
    concerns = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Concern.decision == TriageDecision.SECTION_42_ENQUIRY),
            sa.func.count().filter(in_care_home),
            sa.func.count().filter(Concern.triaged_at.is_not(None)),
        ).where(raised)
    ).one()
    on_time = _triaged_on_time(raised)
    completed = sa.and_(
        Enquiry.status == EnquiryStatus.CONCLUDED,
        Enquiry.closed_on >= start,
        Enquiry.closed_on <= end,
        Enquiry.is_section_42.is_(True),
    )
    risk = _count_by(Enquiry.risk_outcome, completed)
    outcomes = _count_by(Enquiry.outcomes_achieved, completed)
    total, to_s42, care_home, triaged = concerns
    done = sum(risk.values())

    def share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    return {
        "period": {"start": start, "end": end},
        "concerns_raised": total,
        "to_section_42_enquiry": to_s42,
        "percent_to_section_42_enquiry": share(to_s42, total),
        "percent_triaged_on_time": share(on_time, triaged),
        "risk_in_community": total - care_home,
        "risk_in_care_homes": care_home,
        "percent_community": share(total - care_home, total),
        "section_42_enquiries_completed": done,
        "risk_outcome": {k.value: v for k, v in risk.items() if k},
        "percent_risk_reduced_or_removed": share(
            sum(v for k, v in risk.items() if k and k.value in ("removed", "reduced")), done
        ),
        "desired_outcomes": {k.value: v for k, v in outcomes.items() if k},
        "percent_outcomes_fully_or_partly_achieved": share(
            sum(v for k, v in outcomes.items() if k and k.value in ("fully", "partly")), done
        ),
    }
