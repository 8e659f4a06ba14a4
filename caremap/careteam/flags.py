"""The key worker flag: who leads this person's care."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.extensions import db
from caremap.flags import Flag, flag_provider


@flag_provider
def key_worker_flags(people: Sequence) -> dict[int, list[Flag]]:
    leads = db.session.scalars(
        sa.select(CareTeamMember)
        .where(
            CareTeamMember.person_id.in_([p.id for p in people]),
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
        .options(joinedload(CareTeamMember.user).joinedload(User.team))
    )
    return {
        lead.person_id: [
            Flag(
                "key_worker",
                f"Key worker: {lead.user.full_name}",
                "info",
                lead.started_at.date(),
                lead.user.team.name,
                f"/people/{lead.person_id}/care-team",
            )
        ]
        for lead in leads
    }
