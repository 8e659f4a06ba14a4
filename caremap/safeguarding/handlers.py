"""How safeguarding answers what happens below it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.safeguarding.models import EnquiryAction
from caremap.safeguarding.operations import complete_action
from caremap.worktasks import signals as task_signals
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task


def done_task_marks_the_action_done(task: Task, *, actor: User, **_: Any) -> None:
    """A worker who ticks "Done" on their safeguarding task has done the action: that is
    what the task is, so the action is marked done with it, rather than refused and sent
    to a second page to say the same thing again (a refused task would sit on their list,
    overdue, with the work finished). Only those who may mark the action done on the
    enquiry may do it here: a team lead or an admin who can work on a teammate's task has
    no part in the enquiry, so complete_action refuses them: the task stays open and the
    refusal says why."""
    if task.kind != TaskKind.SAFEGUARDING_ACTION:
        return
    action = db.session.scalar(sa.select(EnquiryAction).where(EnquiryAction.task_id == task.id))
    if action is None or action.done_at is not None:
        return
    complete_action(actor=actor, action=action, version=action.version)


def connect() -> None:
    task_signals.task_completed.connect(done_task_marks_the_action_done, weak=False)
