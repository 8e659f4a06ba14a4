"""The read side of referrals: a service's queue, a person's referrals and episodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service, Team
from caremap.core import clock
from caremap.core.extensions import db
from caremap.referrals.enums import ACCESS_STATUSES, AWAITING_RESPONSE, ReferralStatus
from caremap.referrals.models import Referral, ReferralStatusChange


@dataclass(frozen=True)
class QueueItem:
    referral: Referral
    queue_state: str  # overdue | due (today) | waiting | accepted

    def __getattr__(self, name: str):
        return getattr(self.referral, name)


QUEUE_STATUSES = (ReferralStatus.ROUTED, ReferralStatus.ACCEPTED)


def _queue_state(referral: Referral, now: dt.datetime, end_of_today: dt.datetime) -> str:
    if referral.status == ReferralStatus.ACCEPTED:
        return "accepted"
    if referral.due_at < now:
        return "overdue"
    if referral.due_at < end_of_today:
        return "due"
    return "waiting"


def service_queue(
    service: Service, *, now: dt.datetime, after: int | None = None, limit: int | None = None
) -> list[QueueItem]:
    """Referrals the service has to answer or start, oldest first, each overdue (its
    deadline has passed), due (today: before the next midnight in the city's time zone,
    not UTC's) or waiting (due on a later day).

    `limit` and `after` (the id of the last referral of the page before) read one page by
    keyset: (received_at, id) after that referral's, through the index on (service_id,
    status, received_at) — the same cost for the first page as for the twentieth.
    """
    stmt = (
        sa.select(Referral)
        .where(Referral.service_id == service.id, Referral.status.in_(QUEUE_STATUSES))
        .options(selectinload(Referral.needs), selectinload(Referral.person))
        .order_by(Referral.received_at, Referral.id)
    )
    if after is not None:
        last = sa.select(Referral.received_at).where(Referral.id == after).scalar_subquery()
        stmt = stmt.where(
            sa.or_(
                Referral.received_at > last,
                sa.and_(Referral.received_at == last, Referral.id > after),
            )
        )
    if limit is not None:
        stmt = stmt.limit(limit)
    end_of_today = clock.end_of_today(now)
    return [
        QueueItem(referral, _queue_state(referral, now, end_of_today))
        for referral in db.session.scalars(stmt)
    ]


def queue_counts(service: Service, *, now: dt.datetime) -> dict[str, int]:
    """How many of the service's queue are overdue, due today, waiting and accepted: one
    query, by the same rule as each item's state."""
    state = sa.case(
        (Referral.status == ReferralStatus.ACCEPTED, "accepted"),
        (Referral.due_at < now, "overdue"),
        (Referral.due_at < clock.end_of_today(now), "due"),
        else_="waiting",
    )
    rows = db.session.execute(
        sa.select(state, sa.func.count())
        .where(Referral.service_id == service.id, Referral.status.in_(QUEUE_STATUSES))
        .group_by(state)
    ).all()
    counts = {"overdue": 0, "due": 0, "waiting": 0, "accepted": 0}
    counts.update({name: n for name, n in rows})
    return counts


def person_referrals(person_ids: list[int]) -> list[Referral]:
    """The person's referrals with everything about them, in a fixed number of queries:
    the service and its strand joined, needs, decisions and status changes one query each."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.person_id.in_(person_ids))
            .options(
                joinedload(Referral.service).joinedload(Service.strand),
                selectinload(Referral.needs),
                selectinload(Referral.decisions),
                selectinload(Referral.status_changes),
            )
            .order_by(Referral.received_at.desc(), Referral.id.desc())
        )
    )


def referral_list(person_ids: list[int]) -> list[Referral]:
    """The person's referrals for a list (service, status, when): one query, nothing more."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.person_id.in_(person_ids))
            .order_by(Referral.received_at.desc(), Referral.id.desc())
        )
    )


def audit_queue_read(user, items: list[QueueItem]) -> None:
    """A queue shows who was referred: one read row per person shown."""
    audit.record_reads(user, "referrals.queue_view", [item.referral.person_id for item in items])


def people_with_open_referrals_to(user) -> sa.Select:
    """Half of the "open_work" relationship: people with a referral the user's service has
    accepted (accepted, active). A routed one gives nothing: otherwise anyone could open a
    record to a service by referring the person to it."""
    return sa.select(Referral.person_id).where(
        Referral.service_id == user.team.service_id, Referral.status.in_(ACCESS_STATUSES)
    )


@dataclass(frozen=True)
class SelfRoutedAcceptance:
    referral_id: int
    reference: str
    person_id: int
    service_name: str
    made_by: str
    accepted_by: str
    accepted_at: dt.datetime


def self_routed_acceptances(limit: int = 500) -> list[SelfRoutedAcceptance]:
    """Every acceptance of a referral made by a worker of the service that accepted it,
    newest first: a service can give itself a record this way (a colleague must accept,
    acceptance.check_acceptor), so an admin reviews each, as break-glass is reviewed."""
    maker, acceptor = aliased(User), aliased(User)
    rows = db.session.execute(
        sa.select(
            Referral.id,
            Referral.reference,
            Referral.person_id,
            Service.name,
            maker.full_name,
            acceptor.full_name,
            ReferralStatusChange.at,
        )
        .join(Service, Service.id == Referral.service_id)
        .join(maker, maker.id == Referral.created_by_id)
        .join(Team, Team.id == maker.team_id)
        .join(ReferralStatusChange, ReferralStatusChange.referral_id == Referral.id)
        .join(acceptor, acceptor.id == ReferralStatusChange.actor_id)
        .where(
            Team.service_id == Referral.service_id,
            ReferralStatusChange.to_status == ReferralStatus.ACCEPTED,
        )
        .order_by(ReferralStatusChange.at.desc(), Referral.id.desc())
        .limit(limit)
    )
    return [SelfRoutedAcceptance(*row) for row in rows]


@dataclass(frozen=True)
class MadeReferral:
    """A referral on its referrer's list, with the other services the same submission
    went to (a multi-service referral reads as one piece of work)."""

    referral: Referral
    overdue: bool
    also_sent_to: list[Referral]


def referrals_made_by(
    user: User, *, now: dt.datetime, offset: int = 0, limit: int = 25
) -> tuple[list[MadeReferral], int]:
    """The referrals a worker made, newest first, one page, and how many there are in all.

    Overdue: still waiting for the service's answer after its deadline. Three queries
    whatever the page holds (the count, the page with person and service, the siblings).
    """
    mine = Referral.created_by_id == user.id
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Referral).where(mine))
    page = list(
        db.session.scalars(
            sa.select(Referral)
            .where(mine)
            .options(selectinload(Referral.person))
            .order_by(Referral.received_at.desc(), Referral.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    siblings: dict[int, list[Referral]] = {}
    if page:
        for other in db.session.scalars(
            sa.select(Referral)
            .where(Referral.submission_id.in_({r.submission_id for r in page}))
            .order_by(Referral.id)
        ):
            siblings.setdefault(other.submission_id, []).append(other)
    return [
        MadeReferral(
            referral,
            referral.status in AWAITING_RESPONSE and referral.due_at < now,
            [r for r in siblings.get(referral.submission_id, []) if r.id != referral.id],
        )
        for referral in page
    ], total or 0


def submission_referrals(referral: Referral) -> list[Referral]:
    """Every referral the same submission made (the services one referral went to)."""
    return list(
        db.session.scalars(
            sa.select(Referral)
            .where(Referral.submission_id == referral.submission_id)
            .order_by(Referral.id)
        )
    )
