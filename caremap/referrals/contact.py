"""First contact: when the receiving service first reached the person referred."""

from __future__ import annotations

import datetime as dt

from caremap import audit
from caremap.auth.models import User
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.people.dates import spoken
from caremap.referrals.dates import contacted_at
from caremap.referrals.models import Referral


def record_first_contact(
    *,
    actor: User,
    referral: Referral,
    version: int,
    contacted_on: dt.date | None = None,
    contacted_time: dt.time | None = None,
) -> Referral:
    """Record when the service first reached the person (a call, a visit). "Days to first
    contact" counts to this moment, which is often days before anyone types it, so the
    moment it happened and the moment it was entered are both kept. The first contact is
    recorded once; a second is refused, since it would not be the first."""
    check_version(referral, version)
    if referral.first_contact_at is not None:
        day = spoken(clock.local_date(referral.first_contact_at))
        raise ConflictError(f"First contact was already recorded, on {day}", field="contacted_on")
    now = utcnow()
    referral.first_contact_at = contacted_at(referral, contacted_on, contacted_time, now=now)
    referral.first_contact_recorded_at = now
    db.session.flush()
    audit.record(
        actor,
        "referrals.first_contact",
        person_id=referral.person_id,
        changes={
            "referral_id": referral.id,
            "happened_at": referral.first_contact_at,
            "recorded_at": now,
        },
    )
    return referral
