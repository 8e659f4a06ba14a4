"""Referrals, routing decisions, status changes and episodes in the person's chronology."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.catalogue.models import Service, Strand
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.episodes.enums import EpisodeKind
from caremap.episodes.models import Episode
from caremap.people.chronology import ChronologyEntry
from caremap.referrals.models import Referral, ReferralStatusChange, referral_needs

# Two queries however many referrals: every status change with its referral, service,
# strand and actor joined (plain rows, no objects), then every referral's need codes.


def referral_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            ReferralStatusChange.at,
            ReferralStatusChange.from_status,
            ReferralStatusChange.to_status,
            ReferralStatusChange.reason,
            User.full_name,
            Referral.id,
            Referral.reference,
            Referral.urgency,
            Referral.referrer_name,
            Service.name,
            Strand.code,
        )
        .join(Referral, Referral.id == ReferralStatusChange.referral_id)
        .join(Service, Service.id == Referral.service_id)
        .join(Strand, Strand.id == Service.strand_id)
        .join(User, User.id == ReferralStatusChange.actor_id)
        .where(Referral.person_id.in_(person_ids))
    ).all()
    needs: dict[int, list[str]] = defaultdict(list)
    for referral_id, code in db.session.execute(
        sa.select(referral_needs.c.referral_id, referral_needs.c.need_code)
        .join(Referral, Referral.id == referral_needs.c.referral_id)
        .where(Referral.person_id.in_(person_ids))
        .order_by(referral_needs.c.referral_id, referral_needs.c.need_code)
    ):
        needs[referral_id].append(code)
    entries = []
    for (
        at,
        from_status,
        to_status,
        reason,
        actor,
        rid,
        ref,
        urgency,
        referrer,
        service,
        strand,
    ) in rows:
        if from_status is None:
            title = f"Referral {ref} received for {service} ({urgency.value})"
            detail = f"From {referrer}; needs: {', '.join(needs[rid])}"
        else:
            title = f"Referral {ref} to {service}: {to_status.value}"
            detail = reason
        entries.append(ChronologyEntry(at, "referral", title, detail, actor, strand))
    return entries


def episode_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            Episode.kind,
            Episode.started_on,
            Episode.ended_on,
            Episode.end_reason,
            Service.name,
            Strand.code,
        )
        .join(Service, Service.id == Episode.service_id)
        .join(Strand, Strand.id == Service.strand_id)
        .where(Episode.person_id.in_(person_ids))
    )
    entries = []
    for kind, started_on, ended_on, end_reason, service, strand in rows:
        label = EpisodeKind(kind).label.lower()
        entries.append(
            ChronologyEntry(
                _at(started_on),
                "episode",
                f"{service}: {label} episode started",
                None,
                None,
                strand,
            )
        )
        if ended_on:
            entries.append(
                ChronologyEntry(
                    _at(ended_on), "episode", f"{service}: episode ended", end_reason, None, strand
                )
            )
    return entries


def _at(day: dt.date) -> dt.datetime:
    # Episodes are dated, not timed: place them at noon UTC of their day.
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    return min(moment, utcnow())
