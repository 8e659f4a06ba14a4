"""Who may see how much of a person's record. The one place the rule lives.

A legitimate relationship (DESIGN.md "Who may see what") is any of:
- the viewer is in the person's care team (the lead key worker included);
- the viewer's service has an open referral (routed, accepted, active) or an
  open episode of care for the person;
- the viewer, or their team, owns an open task for the person (a medication
  review sent to the pharmacists, say);
- the viewer's team registered the person.
A practitioner without one can break glass: full access for a few hours, with a
reason, reviewed by an admin afterwards. Admins see records for administration.
Everyone else (managers included) finds the person's identity only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa

from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.people.models import Person

# Roles that may break glass: those who care for people directly.
BREAK_GLASS_ROLES = (Role.PRACTITIONER, Role.KEY_WORKER, Role.SAFEGUARDING_LEAD)


class Access(enum.StrEnum):
    FULL = "full"
    IDENTITY = "identity"


@dataclass(frozen=True)
class AccessDecision:
    access: Access
    because: str  # admin | care_team | open_work | registered | break_glass | none
    break_glass: object | None = None  # the BreakGlass row, while it lasts


def decide(user: User, person: Person) -> AccessDecision:
    if user.is_admin:
        return AccessDecision(Access.FULL, "admin")
    if in_care_team(user_id=user.id, person_id=person.id):
        return AccessDecision(Access.FULL, "care_team")
    if service_has_open_work(service_id=user.team.service_id, person_id=person.id):
        return AccessDecision(Access.FULL, "open_work")
    if owns_open_task(user=user, person_id=person.id):
        return AccessDecision(Access.FULL, "assigned_task")
    if person.registered_by_team_id == user.team_id:
        return AccessDecision(Access.FULL, "registered")
    glass = active_break_glass(user_id=user.id, person_id=person.id)
    if glass is not None:
        return AccessDecision(Access.FULL, "break_glass", glass)
    return AccessDecision(Access.IDENTITY, "none")


def related_person_ids(user: User, person_ids: list[int] | sa.Select) -> set[int]:
    """Of these people, those `user` has a legitimate relationship with: `decide` for a set.

    Each clause of `decide` is one subquery over all the people at once (a list of ids,
    or a SELECT of ids such as an indicator's cohort), so a drill-down into thousands of
    people costs one query, not one per person. tests/access/test_related_person_ids.py
    holds the two to the same answer.
    """
    from caremap.access.models import BreakGlass
    from caremap.careteam.models import CareTeamMember
    from caremap.episodes.models import Episode
    from caremap.referrals.enums import OPEN_STATUSES
    from caremap.referrals.models import Referral
    from caremap.worktasks.enums import TaskStatus
    from caremap.worktasks.models import Task

    if isinstance(person_ids, sa.Select):
        if user.is_admin:
            return set(db.session.scalars(person_ids))
        chunks: list = [person_ids]
    else:
        wanted = list(dict.fromkeys(person_ids))
        if user.is_admin or not wanted:
            return set(wanted)
        chunks = _chunks(wanted, 5000)
    found: set[int] = set()
    for chunk in chunks:
        among = Person.id.in_(chunk)
        clauses = (
            sa.select(CareTeamMember.person_id).where(
                CareTeamMember.user_id == user.id, CareTeamMember.ended_at.is_(None)
            ),
            sa.select(Referral.person_id).where(
                Referral.service_id == user.team.service_id,
                Referral.status.in_(OPEN_STATUSES),
            ),
            sa.select(Episode.person_id).where(
                Episode.service_id == user.team.service_id, Episode.ended_on.is_(None)
            ),
            sa.select(Task.person_id).where(
                Task.status == TaskStatus.OPEN,
                sa.or_(Task.owner_user_id == user.id, Task.owner_team_id == user.team_id),
            ),
            sa.select(BreakGlass.person_id).where(
                BreakGlass.user_id == user.id, BreakGlass.expires_at > utcnow()
            ),
        )
        stmt = sa.select(Person.id).where(
            among,
            sa.or_(
                Person.registered_by_team_id == user.team_id,
                *(Person.id.in_(clause) for clause in clauses),
            ),
        )
        found.update(db.session.scalars(stmt))
    return found


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    """Bound lists (SQLite allows 32,766 bound parameters in one statement)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def access_to(user: User, person: Person) -> Access:
    return decide(user, person).access


def in_care_team(*, user_id: int, person_id: int) -> bool:
    from caremap.careteam.models import CareTeamMember

    return db.session.scalar(
        sa.select(
            sa.exists().where(
                CareTeamMember.person_id == person_id,
                CareTeamMember.user_id == user_id,
                CareTeamMember.ended_at.is_(None),
            )
        )
    )


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


def owns_open_task(*, user: User, person_id: int) -> bool:
    from caremap.worktasks.enums import TaskStatus
    from caremap.worktasks.models import Task

    return db.session.scalar(
        sa.select(
            sa.exists().where(
                Task.person_id == person_id,
                Task.status == TaskStatus.OPEN,
                sa.or_(Task.owner_user_id == user.id, Task.owner_team_id == user.team_id),
            )
        )
    )


def active_break_glass(*, user_id: int, person_id: int):
    from caremap.access.models import BreakGlass

    return db.session.scalar(
        sa.select(BreakGlass)
        .where(
            BreakGlass.user_id == user_id,
            BreakGlass.person_id == person_id,
            BreakGlass.expires_at > utcnow(),
        )
        .order_by(BreakGlass.expires_at.desc())
        .limit(1)
    )


def may_break_glass(user: User) -> bool:
    return user.role in BREAK_GLASS_ROLES
