"""Loading a task to work on: its owner, their team, a lead of that team, or an admin."""

from __future__ import annotations

from caremap.access.policy import Access
from caremap.auth.models import User
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.people.loader import load_person
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task
from caremap.worktasks.queries import can_work_on


def task_to_complete(task_id: int, *, user: User) -> Task:
    """The task, for someone who may work on it and see its person (the read audited as
    completing it); 404 for anyone else, as if there were no such task."""
    task = db.session.get(Task, task_id)
    if task is None or not can_work_on(user, task):
        raise NotFoundError()
    if task.kind == TaskKind.MERGE_NOTICE:
        # A notice that two records were merged may name the record merged away, which no
        # longer opens; marking it read needs the person's identity, not their record.
        load_person(
            task.person_id,
            user=user,
            action="tasks.complete",
            need=Access.IDENTITY,
            allow_merged=True,
        )
        return task
    load_person(task.person_id, user=user, action="tasks.complete")
    return task
