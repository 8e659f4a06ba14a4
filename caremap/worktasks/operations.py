"""Work tasks: created by the domains that need them, completed by their owners."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service, Team
from caremap.core.db import utcnow
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.episodes.enums import Day91Outcome
from caremap.worktasks.enums import TaskKind, TaskStatus
from caremap.worktasks.models import Task


def team_for_service(service: Service, *, prefer: User | None = None) -> Team:
    """The team that owns a service's work: the actor's own team when it is in the service,
    else the service's first team."""
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
    *, actor: User, task: Task, version: int, outcome: dict[str, Any] | None = None
) -> Task:
    """Mark a task done. A day-91 follow-up must say where the person is, which is recorded
    on the reablement episode too (ASCOF 2B)."""
    if version != task.version:
        raise StaleVersionError(current_version=task.version)
    if task.status != TaskStatus.OPEN:
        raise DomainError(f"This task is already {task.status.value}", field="status")
    outcome = dict(outcome or {})
    if task.kind == TaskKind.DAY91_FOLLOW_UP:
        where = outcome.get("day91_outcome")
        if where not in {o.value for o in Day91Outcome}:
            raise DomainError(
                "Say where the person is: at home, in hospital, in a care home, or died",
                field="day91_outcome",
            )
        from caremap.episodes.models import Episode
        from caremap.episodes.operations import record_day91_outcome

        episode = db.session.get(Episode, task.episode_id)
        record_day91_outcome(
            actor=actor, episode=episode, outcome=Day91Outcome(where), version=episode.version
        )
    task.status = TaskStatus.DONE
    task.completed_at = utcnow()
    task.completed_by_id = actor.id
    task.outcome = outcome or None
    db.session.flush()
    audit.record(
        actor,
        "tasks.complete",
        person_id=task.person_id,
        changes={"task_id": task.id, "kind": task.kind, **outcome},
    )
    return task


def close_tasks_for_referral(*, actor: User, referral_id: int) -> None:
    """The referral was answered: its response task is done."""
    tasks = db.session.scalars(
        sa.select(Task).where(
            Task.referral_id == referral_id,
            Task.kind == TaskKind.REFERRAL_RESPONSE,
            Task.status == TaskStatus.OPEN,
        )
    ).all()
    for task in tasks:
        task.status = TaskStatus.DONE
        task.completed_at = utcnow()
        task.completed_by_id = actor.id
    db.session.flush()
