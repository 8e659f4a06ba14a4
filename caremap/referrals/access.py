"""Loading a referral: through the person loader, so the access rule and read audit apply.

Everyone with a relationship to the person (the receiving service, once it has
accepted) sees the referral with the person's record. Before it accepts, the
receiving service sees the referral and the person's identity, enough to decide,
but not the record: otherwise a referral would open any record to any service. The
worker who made it sees the referral itself (where it went, why, what happened) but
not the record.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.models import User
from caremap.catalogue.models import Service
from caremap.core.errors import ForbiddenError, NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.episodes.access import acts_for_service
from caremap.people.loader import LoadedPerson, load_person
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral


@dataclass(frozen=True)
class LoadedReferral:
    referral: Referral
    person: LoadedPerson | None  # None: the referrer, without a relationship to the person

    @property
    def full(self) -> bool:
        return self.person is not None and self.person.full

    @property
    def to_decide(self) -> bool:
        """The receiving service, before it accepts: the referral and the person's identity."""
        return self.person is not None and not self.person.full


def load_referral(
    referral_id: int, *, user: User, action: str = "referrals.view"
) -> LoadedReferral:
    referral = get_or_404(Referral, referral_id)
    loaded = load_person(
        referral.person_id, user=user, action=action, need=Access.IDENTITY, allow_merged=True
    )
    if loaded.full:
        return LoadedReferral(referral, loaded)
    if referral.status == ReferralStatus.ROUTED and acts_for_service(user, referral.service_id):
        return LoadedReferral(referral, loaded)  # the loader audited the identity read
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
    if acts_for_service(user, referral.service_id):
        return
    raise ForbiddenError(f"Only {referral.service.name} can act on this referral", field="service")


def referral_to_answer(referral_id: int, *, user: User, action: str) -> LoadedReferral:
    """The referral for its receiving service to act on, loaded as `action`: 404 for someone
    who may not see the person (the referrer included), 403 for another service. A routed
    referral is answered (accepted, declined, redirected) by a service that cannot yet see
    the record: that is what answering decides."""
    loaded = load_referral(referral_id, user=user, action=action)
    if not (loaded.full or loaded.to_decide):
        raise NotFoundError()
    require_receiving_service(user, loaded.referral)
    return loaded


def queue_service(code: str, *, user: User) -> Service:
    """The service whose queue the user may read (their own; any, for an admin); 404 for
    any other, since a queue names the people referred."""
    service = db.session.scalar(sa.select(Service).where(Service.code == code))
    if service is None or not acts_for_service(user, service.id):
        raise NotFoundError()
    return service
