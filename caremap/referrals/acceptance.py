"""Referrals that would open a record to the referrer's own service.

Accepting a referral gives the receiving service the record, so a referral routed to
one's own service is a way to give oneself access. Three checks keep it honest:
- under break-glass a worker may not refer the person to their own service (the
  emergency access would become the service's lasting access);
- the worker who made a referral may not accept it: a colleague decides;
- every acceptance of a referral made from within the same service is listed for an
  admin to review (queries.self_routed_acceptances), as break-glass is.
Accepting goes through access.operations.check_grantor like every other grant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from caremap.access.operations import check_grantor
from caremap.access.policy import decide
from caremap.auth.models import User
from caremap.core.errors import ForbiddenError
from caremap.referrals.models import Referral


def check_referrer(*, actor: User, person: Any, service_codes: Iterable[str]) -> None:
    """Refuse a referral to the referrer's own service made on break-glass standing."""
    if actor.team.service.code not in set(service_codes):
        return
    if decide(actor, person).because == "break_glass":
        raise ForbiddenError(
            "Emergency access lets you read this record, not refer the person to your own "
            "service: that would give your service lasting access. Ask another service to refer",
            field="needs",
        )


def made_within_service(referral: Referral) -> bool:
    """Whether the referral was made by a worker of the service it went to."""
    return referral.created_by.team.service_id == referral.service_id


def check_acceptor(*, actor: User, referral: Referral) -> str:
    """The gate before a service accepts: not the worker who made the referral, and not on
    break-glass standing (check_grantor). Returns the acceptor's standing, audited."""
    if referral.created_by_id == actor.id:
        raise ForbiddenError(
            "You made this referral, so you cannot accept it: a colleague in "
            f"{referral.service.name} must decide",
            field="referral",
        )
    return check_grantor(
        actor=actor, person=referral.person, grant="referral_acceptance", to_user_id=actor.id
    )
