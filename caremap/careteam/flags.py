"""The key worker flag: who leads this person's care."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Team
from caremap.flags import Among, Flag, FlagSource


def _lead_rows(among: Among, today: dt.date) -> sa.Select:
    # Plain rows (the lead's name and team joined in): a caseload's 200 leads are often
    # one worker, whose User and Team would otherwise be rebuilt for every row.
    return (
        sa.select(
            CareTeamMember.person_id,
            CareTeamMember.started_at.label("at"),
            User.full_name.label("text1"),
            Team.name.label("text2"),
        )
        .join(User, User.id == CareTeamMember.user_id)
        .join(Team, Team.id == User.team_id)
        .where(
            among(CareTeamMember.person_id),
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
    )


def _lead_flags(people: Sequence, rows: list) -> dict[int, list[Flag]]:
    return {
        row.person_id: [
            Flag(
                "key_worker",
                f"Key worker: {row.text1}",
                "info",
                row.at.date(),
                row.text2,
                f"/people/{row.person_id}/care-team",
            )
        ]
        for row in rows
    }


key_worker_flags = FlagSource(_lead_rows, _lead_flags)
