"""Work with a due date, an owner (a worker or a team) and a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.catalogue.models import Team
from caremap.core.db import Base, CreatedAtMixin, enum_column
from caremap.people.models import Person
from caremap.worktasks.enums import TaskKind, TaskStatus


class Task(CreatedAtMixin, Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"))
    kind: Mapped[TaskKind] = enum_column(TaskKind)
    title: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[dt.date]
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    owner_team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    status: Mapped[TaskStatus] = enum_column(TaskStatus, default=TaskStatus.OPEN)
    episode_id: Mapped[int | None] = mapped_column(sa.ForeignKey("episodes.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    completed_at: Mapped[dt.datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    outcome: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    owner_team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint("(owner_user_id IS NULL) <> (owner_team_id IS NULL)", name="one_owner"),
        sa.Index("ix_tasks_person_id_status", "person_id", "status"),
        sa.Index("ix_tasks_status_due_on", "status", "due_on"),
    )

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == TaskStatus.OPEN and self.due_on < today
