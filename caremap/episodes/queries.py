"""The read side of episodes of care."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from caremap.catalogue.models import Service
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task


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


def day91_task_extras(tasks: Sequence[Task]) -> dict[int, dict[str, Any]]:
    """What a day-91 follow-up's form on the tasks page needs of its episode (one query):
    the version the worker saw, sent back so a stale episode is refused, and the day
    "at home" can be recorded from."""
    by_episode: dict[int, list[int]] = {}
    for task in tasks:
        if task.kind == TaskKind.DAY91_FOLLOW_UP and task.episode_id is not None:
            by_episode.setdefault(task.episode_id, []).append(task.id)
    if not by_episode:
        return {}
    rows = db.session.execute(
        sa.select(Episode.id, Episode.version, Episode.follow_up_due_on).where(
            Episode.id.in_(by_episode)
        )
    )
    return {
        task_id: {"episode_version": version, "at_home_from": due}
        for episode_id, version, due in rows
        for task_id in by_episode[episode_id]
    }
