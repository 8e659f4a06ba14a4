from __future__ import annotations

from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.auth.permissions import can_administer
from caremap.core.errors import ForbiddenError


def require_care_coordinator(user: User) -> None:
    """Managers see figures, not people's care: they do not change care teams."""
    if user.role == Role.MANAGER:
        raise ForbiddenError("Managers cannot change a care team", field="user_id")


def require_can_hand_over(actor: User, leaving: User) -> None:
    """The worker themselves, a lead of their team, or an admin."""
    if actor.id == leaving.id or can_administer(actor):
        return
    if actor.is_team_lead and actor.team_id == leaving.team_id:
        return
    raise ForbiddenError(
        "Only the worker, their team lead or an admin can hand over a caseload", field="to_user_id"
    )
