"""Who may see how much of a person's record. The one place the rule lives.

Until care teams and referrals exist, a legitimate relationship means: the
viewer's team registered the person. Admins see the record for administration.
Everyone else finds the person's identity only.
"""

from __future__ import annotations

import enum

from caremap.auth.models import User
from caremap.people.models import Person


class Access(enum.StrEnum):
    FULL = "full"
    IDENTITY = "identity"


def access_to(user: User, person: Person) -> Access:
    if user.is_admin:
        return Access.FULL
    if person.registered_by_team_id == user.team_id:
        return Access.FULL
    return Access.IDENTITY
