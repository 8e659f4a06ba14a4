"""The key worker flag: who leads this person's care."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Team
from caremap.core.extensions import db
from caremap.flags import Flag


def key_worker_flags(people: Sequence) -> dict[int, list[Flag]]:
    # Plain rows (the lead's name and team joined in): a caseload's 200 leads are often
    # one worker, whose User and Team would otherwise be rebuilt for every row.
    leads = db.session.execute(
        sa.select(CareTeamMember.person_id, CareTeamMember.started_at, User.full_name, Team.name)
        .join(User, User.id == CareTeamMember.user_id)
        .join(Team, Team.id == User.team_id)
        .where(
            CareTeamMember.person_id.in_([p.id for p in people]),
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
    )
    return {
        person_id: [
            Flag(
                "key_worker",
                f"Key worker: {name}",
                "info",
                started_at.date(),
                team,
                f"/people/{person_id}/care-team",
            )
        ]
        for person_id, started_at, name, team in leads
    }
