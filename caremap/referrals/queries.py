"""The read side of referrals: a service's queue, a person's referrals and episodes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from caremap.catalogue.models import Service
from caremap.episodes.models import Episode
from caremap.extensions import db
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Need, Referral

DUE_SOON = dt.timedelta(hours=24)


@dataclass(frozen=True)
class QueueItem:
    referral: Referral
    queue_state: str  # overdue | due | waiting | accepted

    def __getattr__(self, name: str):
        return getattr(self.referral, name)


def service_queue(service: Service, *, now: dt.datetime) -> list[QueueItem]:
    """Referrals the service has to answer or start, oldest first, each overdue, due or waiting."""
    rows = db.session.scalars(
        sa.select(Referral)
        .where(
            Referral.service_id == service.id,
            Referral.status.in_([ReferralStatus.ROUTED, ReferralStatus.ACCEPTED]),
        )
        .options(selectinload(Referral.needs), selectinload(Referral.person))
        .order_by(Referral.received_at, Referral.id)
    )
    items = []
    for referral in rows:
        if referral.status == ReferralStatus.ACCEPTED:
            state = "accepted"
        elif referral.due_at < now:
            state = "overdue"
        elif referral.due_at < now + DUE_SOON:
            state = "due"
        else:
            state = "waiting"
        items.append(QueueItem(referral, state))
    return items


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


def person_episodes(person_ids: list[int]) -> list[Episode]:
    return list(
        db.session.scalars(
            sa.select(Episode)
            .where(Episode.person_id.in_(person_ids))
            .options(joinedload(Episode.service).joinedload(Service.strand))
            .order_by(Episode.started_on.desc(), Episode.id.desc())
        )
    )


def all_needs() -> list[Need]:
    return list(db.session.scalars(sa.select(Need).order_by(Need.group, Need.label)))


def audit_queue_read(user, items: list[QueueItem]) -> None:
    """A queue shows who was referred: one read row per person shown."""
    from caremap import audit

    audit.record_reads(user, "referrals.queue_view", [item.referral.person_id for item in items])
