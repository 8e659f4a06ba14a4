"""Who may see how much of a person's record. The one place the rule lives.

A legitimate relationship (DESIGN.md "Who may see what") means any of:
- the viewer's team registered the person;
- the viewer's service has an open referral (routed, accepted, active) or an
  open episode of care for the person.
Admins see the record for administration. Everyone else finds the person's
identity only.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.extensions import db
from caremap.people.models import Person


class Access(enum.StrEnum):
    FULL = "full"
    IDENTITY = "identity"


def access_to(user: User, person: Person) -> Access:
    if user.is_admin:
        return Access.FULL
    if person.registered_by_team_id == user.team_id:
        return Access.FULL
    if service_has_open_work(service_id=user.team.service_id, person_id=person.id):
        return Access.FULL
    return Access.IDENTITY


def service_has_open_work(*, service_id: int, person_id: int) -> bool:
    from caremap.episodes.models import Episode
    from caremap.referrals.enums import OPEN_STATUSES
    from caremap.referrals.models import Referral

    referral = sa.select(Referral.id).where(
        Referral.person_id == person_id,
        Referral.service_id == service_id,
        Referral.status.in_(OPEN_STATUSES),
    )
    episode = sa.select(Episode.id).where(
        Episode.person_id == person_id,
        Episode.service_id == service_id,
        Episode.ended_on.is_(None),
    )
    return db.session.scalar(sa.select(sa.or_(sa.exists(referral), sa.exists(episode)))) or False
