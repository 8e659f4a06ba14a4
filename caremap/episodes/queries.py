"""The read side of episodes of care."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from caremap.catalogue.models import Service
from caremap.core.extensions import db
from caremap.episodes.models import Episode


def person_episodes(person_ids: list[int]) -> list[Episode]:
    return list(
        db.session.scalars(
            sa.select(Episode)
            .where(Episode.person_id.in_(person_ids))
            .options(joinedload(Episode.service).joinedload(Service.strand))
            .order_by(Episode.started_on.desc(), Episode.id.desc())
        )
    )


def people_in_open_episodes_of(user) -> sa.Select:
    """Half of the "open_work" relationship: people in an open episode of the user's service."""
    return sa.select(Episode.person_id).where(
        Episode.service_id == user.team.service_id, Episode.ended_on.is_(None)
    )
