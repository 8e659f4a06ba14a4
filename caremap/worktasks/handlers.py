"""How work tasks answer what happens below them."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.catalogue.models import Team
from caremap.core import clock
from caremap.core.extensions import db
from caremap.people import signals as people_signals
from caremap.people.models import Person
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.operations import create_task

_TITLE_LIMIT = 200  # Task.title


def merged_records_are_noticed(
    survivor: Person,
    *,
    actor: User,
    duplicate: Person,
    reason: str,
    registered_by_team_ids: dict[int, int],
    **_: Any,
) -> None:
    """The teams that registered either record are told who merged them and why: a team
    task each. The team that keeps the registration gets it on the surviving record; a
    team that lost it gets it on the merged record, which the loader never opens, so the
    notice itself (an open task is the "assigned_task" relationship) opens nothing."""
    notices = {
        team_id: survivor.id if team_id == survivor.registered_by_team_id else duplicate.id
        for team_id in set(registered_by_team_ids.values())
    }
    title = (
        f"Records merged by {actor.full_name}: {duplicate.local_ref} into "
        f"{survivor.local_ref}. Why: {reason}"
    )
    if len(title) > _TITLE_LIMIT:
        title = title[: _TITLE_LIMIT - 1] + "…"
    for team_id, person_id in sorted(notices.items()):
        create_task(
            actor=actor,
            person_id=person_id,
            kind=TaskKind.MERGE_NOTICE,
            title=title,
            due_on=clock.today(),
            owner_team=db.session.get(Team, team_id),
        )


def connect() -> None:
    people_signals.person_merged.connect(merged_records_are_noticed, weak=False)
