"""A worker's caseload with each person's flags and what is due, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import lazyload, selectinload

from caremap import audit
from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.core.extensions import db
from caremap.flags import flags_for_many
from caremap.people.models import Person
from caremap.worktasks.queries import open_tasks_for_people


def caseload(user: User) -> list[dict[str, Any]]:
    # Neither the membership's worker (the user, already loaded) nor the team that
    # registered each person is shown: joining them in would rebuild the same User and
    # Team rows once per person (200 times on a caseload of 200).
    memberships = db.session.scalars(
        sa.select(CareTeamMember)
        .where(CareTeamMember.user_id == user.id, CareTeamMember.ended_at.is_(None))
        .options(lazyload(CareTeamMember.user))
        .order_by(CareTeamMember.is_lead.desc(), CareTeamMember.started_at)
    ).all()

    people = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Person)
            .where(Person.id.in_([m.person_id for m in memberships]))
            .options(lazyload(Person.registered_by_team))
        )
    }
    tasks = open_tasks_for_people(list(people))
    flags = flags_for_many(list(people.values()))
    return [
        {
            "membership": m,
            "person": people[m.person_id],
            "flags": flags[m.person_id],
            "tasks": tasks.get(m.person_id, []),
        }
        for m in memberships
    ]


def care_team(person_id: int, *, include_ended: bool = True) -> list[CareTeamMember]:
    stmt = sa.select(CareTeamMember).where(CareTeamMember.person_id == person_id)
    if not include_ended:
        stmt = stmt.where(CareTeamMember.ended_at.is_(None))
    return list(
        db.session.scalars(
            stmt.options(selectinload(CareTeamMember.user)).order_by(
                CareTeamMember.ended_at.is_(None).desc(),
                CareTeamMember.is_lead.desc(),
                CareTeamMember.started_at.desc(),
            )
        )
    )


def audit_caseload_read(user: User, entries: list[dict[str, Any]]) -> None:
    """A caseload shows each person's name and flags: one read row per person (the
    viewer is in each care team, which is why the person is listed)."""
    audit.record_reads(user, "careteam.caseload_view", [entry["person"].id for entry in entries])


def people_in_care_of(user: User) -> sa.Select:
    """The "care_team" relationship: people whose care team the user is in now."""
    return sa.select(CareTeamMember.person_id).where(
        CareTeamMember.user_id == user.id, CareTeamMember.ended_at.is_(None)
    )
