"""Loading what a care-team change names: a period in a care team (through the person
loader, so the access rule and read audit apply) and the worker it is about."""

from __future__ import annotations

from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.people.loader import LoadedPerson, load_person


def membership_and_person(
    membership_id: int, *, user: User, action: str
) -> tuple[CareTeamMember, LoadedPerson]:
    """The period in the care team and its person, loaded (and the read audited) as
    `action`; 404 for someone who may not see the person."""
    membership = get_or_404(CareTeamMember, membership_id)
    return membership, load_person(membership.person_id, user=user, action=action)


def worker(user_id: int, *, field: str = "user_id") -> User:
    """The worker a change names, or the error beside the field that named them."""
    found = db.session.get(User, user_id)
    if found is None:
        raise DomainError("There is no such worker", field=field)
    return found


def key_worker(user_id: int, *, field: str) -> User:
    """The active key worker a handover names, or the error beside the field that named
    them (an account closed since the page was drawn, or someone who cannot lead)."""
    found = worker(user_id, field=field)
    if not found.is_active:
        raise DomainError(f"{found.full_name}'s account is not active", field=field)
    if found.role != Role.KEY_WORKER:
        raise DomainError(f"{found.full_name} is not a key worker, so cannot lead", field=field)
    return found
