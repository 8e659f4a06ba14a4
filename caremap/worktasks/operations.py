"""Work tasks: created by the domains that need them, completed by their owners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service, Team
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.worktasks import signals
from caremap.worktasks.enums import TaskKind, TaskStatus
from caremap.worktasks.models import Task


def team_for_service(service: Service, *, prefer: User | None = None) -> Team:
    """The team that owns a service's work: the actor's own team when it is in the service,
    else the service's first team, so work set by another service still lands with people
    who can do it."""
    if prefer is not None and prefer.team.service_id == service.id:
        return prefer.team
    team = db.session.scalar(
        sa.select(Team)
        .where(Team.service_id == service.id, Team.is_active.is_(True))
        .order_by(Team.id)
    )
    if team is None:
        raise DomainError(f"{service.name} has no team to own the work", field="service")
    return team


def create_task(
    *,
    actor: User | None,
    person_id: int,
    kind: TaskKind,
    title: str,
    due_on: dt.date,
    owner_user: User | None = None,
    owner_team: Team | None = None,
    episode_id: int | None = None,
    referral_id: int | None = None,
) -> Task:
    """Set work with a due date for one owner, a worker or a team: the domain that needs it
    calls this (the only code that makes a task), so every task is audited and has an owner
    whose list it appears on."""
    if (owner_user is None) == (owner_team is None):
        raise DomainError("A task has one owner: a worker or a team", field="owner")
    task = Task(
        person_id=person_id,
        kind=kind,
        title=title,
        due_on=due_on,
        owner_user_id=owner_user.id if owner_user else None,
        owner_team_id=owner_team.id if owner_team else None,
        episode_id=episode_id,
        referral_id=referral_id,
    )
    db.session.add(task)
    db.session.flush()
    audit.record(
        actor,
        "tasks.create",
        person_id=person_id,
        changes={"task_id": task.id, "kind": kind, "due_on": due_on},
    )
    return task


def complete_task(
    *,
    actor: User,
    task: Task,
    version: int,
    outcome: dict[str, Any] | None = None,
    seen_versions: dict[str, int] | None = None,
) -> Task:
    """Mark a task done, with what its owner recorded. The domain that set the task hears of
    it (signals.task_completed) and records the outcome on its own rows, so a day-91
    answer reaches the episode and ASCOF 2B in the same transaction. `seen_versions` are
    the versions of those rows the owner saw beside the task (the episode's), so the
    domain checks them as any edit of its rows: completing a task never bypasses a
    stale-edit check."""
    check_version(task, version)
    if task.status != TaskStatus.OPEN:
        raise DomainError(f"This task is already {task.status.value}", field="status")
    outcome = dict(outcome or {})
    # A receiver may refuse the outcome; the savepoint then leaves the task open in this
    # session too, so the page that reports the error still lists it.
    with db.session.begin_nested():
        _mark_done(task, actor=actor, outcome=outcome or None)
        db.session.flush()
        audit.record(
            actor,
            "tasks.complete",
            person_id=task.person_id,
            changes={"task_id": task.id, "kind": task.kind, **outcome},
        )
        signals.task_completed.send(
            task, actor=actor, outcome=outcome, seen_versions=dict(seen_versions or {})
        )
    return task


def close_tasks(
    *, actor: User, tasks: Iterable[Task], because: str, outcome: dict[str, Any] | None = None
) -> list[Task]:
    """Close open tasks whose work was done elsewhere (the referral was answered, the review
    recorded, the day-91 outcome entered on the episode), each with an audit row saying why."""
    closed = [task for task in tasks if task.status == TaskStatus.OPEN]
    for task in closed:
        _mark_done(task, actor=actor, outcome=outcome)
    db.session.flush()
    for task in closed:
        audit.record(
            actor,
            "tasks.close",
            person_id=task.person_id,
            changes={"task_id": task.id, "kind": task.kind, **(outcome or {})},
            reason=because,
        )
    return closed


def _mark_done(task: Task, *, actor: User, outcome: dict[str, Any] | None) -> None:
    task.status = TaskStatus.DONE
    task.completed_at = utcnow()
    task.completed_by_id = actor.id
    task.outcome = outcome
