"""Loading a referral: through the person loader, so the access rule and read audit apply.

The receiving service's team (and everyone with a relationship to the person)
sees the referral with the person's record; the worker who made it sees the
referral itself (where it went, why, what happened) but not the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.models import User
from caremap.core.errors import ForbiddenError, NotFoundError
from caremap.core.extensions import db
from caremap.people.loader import LoadedPerson, load_person
from caremap.referrals.models import Referral


@dataclass(frozen=True)
class LoadedReferral:
    referral: Referral
    person: LoadedPerson | None  # None: the referrer, without a relationship to the person

    @property
    def full(self) -> bool:
        return self.person is not None and self.person.full


def load_referral(
    referral_id: int, *, user: User, action: str = "referrals.view"
) -> LoadedReferral:
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        raise NotFoundError()
    loaded = load_person(
        referral.person_id, user=user, action=action, need=Access.IDENTITY, allow_merged=True
    )
    if loaded.full:
        return LoadedReferral(referral, loaded)
    if referral.created_by_id == user.id:
        audit.record(
            user,
            "referrals.view_as_referrer",
            person_id=referral.person_id,
            changes={"referral_id": referral.id},
            is_read=True,
        )
        return LoadedReferral(referral, None)
    raise NotFoundError()


def require_receiving_service(user: User, referral: Referral) -> None:
    if user.is_admin or user.team.service_id == referral.service_id:
        return
    raise ForbiddenError(f"Only {referral.service.name} can act on this referral", field="service")
