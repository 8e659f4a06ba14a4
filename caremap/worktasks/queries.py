"""Who sees which tasks: the owner, the owner's team, and the team's leads (overdue work)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from caremap.auth.models import User
from caremap.auth.permissions import can_administer
from caremap.core.extensions import db
from caremap.worktasks.enums import TaskKind, TaskStatus
from caremap.worktasks.models import Task


def _owned_for(user: User):
    owners = sa.or_(Task.owner_user_id == user.id, Task.owner_team_id == user.team_id)
    if user.is_team_lead:
        teammates = sa.select(User.id).where(User.team_id == user.team_id)
        owners = sa.or_(owners, Task.owner_user_id.in_(teammates))
    return owners


def _open_tasks_select(where) -> sa.Select:
    return (
        sa.select(Task)
        .where(where, Task.status == TaskStatus.OPEN)
        .options(
            selectinload(Task.person),
            selectinload(Task.owner_user),
            selectinload(Task.owner_team),
        )
        .order_by(Task.due_on, Task.id)
    )


def open_tasks_for(user: User) -> list[Task]:
    """The user's own tasks and their team's; a team lead also sees tasks owned by anyone
    in the team. Oldest due first."""
    return list(db.session.scalars(_open_tasks_select(_owned_for(user))))


# The views of the tasks list: everything the user may work on, or narrowed.
TASK_VIEWS = ("all", "mine", "team", "overdue")


def open_tasks_page(
    user: User, *, show: str, today: dt.date, offset: int, limit: int
) -> tuple[list[Task], int]:
    """One page of the user's open tasks, oldest due first, and how many there are in
    all: `mine` (owned by the user), `team` (owned by the user's team, or a teammate's
    when the user leads it), `overdue` (any of them past its due day), `all`."""
    where = _owned_for(user)
    if show == "mine":
        where = Task.owner_user_id == user.id
    elif show == "team":
        where = sa.and_(where, sa.or_(Task.owner_user_id.is_(None), Task.owner_user_id != user.id))
    elif show == "overdue":
        where = sa.and_(where, Task.due_on < today)
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Task).where(where, Task.status == TaskStatus.OPEN)
    )
    page = db.session.scalars(_open_tasks_select(where).offset(offset).limit(limit))
    return list(page), total or 0


def open_tasks_for_people(person_ids: list[int]) -> dict[int, list[Task]]:
    rows = db.session.scalars(
        sa.select(Task)
        .where(Task.person_id.in_(person_ids), Task.status == TaskStatus.OPEN)
        .order_by(Task.due_on)
    )
    by_person: dict[int, list[Task]] = {}
    for task in rows:
        by_person.setdefault(task.person_id, []).append(task)
    return by_person


def can_work_on(user: User, task: Task) -> bool:
    if can_administer(user) or task.owner_user_id == user.id or task.owner_team_id == user.team_id:
        return True
    owner = task.owner_user
    return bool(user.is_team_lead and owner is not None and owner.team_id == user.team_id)


def overdue(tasks: list[Task], today: dt.date) -> list[Task]:
    return [t for t in tasks if t.is_overdue(today)]


def open_tasks(
    *,
    kind: TaskKind,
    person_ids: list[int] | None = None,
    referral_id: int | None = None,
    episode_id: int | None = None,
) -> list[Task]:
    """Open tasks of one kind for people, a referral or an episode: what another domain's
    event may have made done."""
    stmt = sa.select(Task).where(Task.kind == kind, Task.status == TaskStatus.OPEN)
    if person_ids is not None:
        stmt = stmt.where(Task.person_id.in_(person_ids))
    if referral_id is not None:
        stmt = stmt.where(Task.referral_id == referral_id)
    if episode_id is not None:
        stmt = stmt.where(Task.episode_id == episode_id)
    return list(db.session.scalars(stmt.order_by(Task.id)))


def people_with_tasks_owned_by(user: User) -> sa.Select:
    """The "assigned_task" relationship: people with an open task owned by the user or
    their team (a medication review sent to the pharmacists, say). A task to answer a
    referral is not one: the referral shows the service what it needs to decide, and the
    record opens only when the service accepts (referrals.queries)."""
    return sa.select(Task.person_id).where(
        Task.status == TaskStatus.OPEN,
        Task.kind != TaskKind.REFERRAL_RESPONSE,
        sa.or_(Task.owner_user_id == user.id, Task.owner_team_id == user.team_id),
    )
