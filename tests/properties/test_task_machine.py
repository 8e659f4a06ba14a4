"""No sequence of actions on a work task reaches an invalid state: Hypothesis completes,
closes and re-completes a task with right and stale versions through the real operations,
and checks that a task is open or done, done exactly once, stamped when done, and that
every change has its audit row."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from caremap.audit.models import AuditEvent
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.worktasks import operations as tasks
from caremap.worktasks.enums import TaskKind, TaskStatus
from tests.factories import make_person, staff
from tests.properties.machines import SavepointMachine, walk

REACHED: set[TaskStatus] = set()


class TaskMachine(SavepointMachine):
    def __init__(self) -> None:
        super().__init__()
        self.worker = staff("key_worker")
        person = make_person(actor=self.worker)
        self.task = tasks.create_task(
            actor=self.worker,
            person_id=person.id,
            kind=TaskKind.OTHER,
            title="Ring about the housing form",
            due_on=dt.date.today(),
            owner_team=self.worker.team,
        )
        self.changes = 1  # created
        self.done_times = 0

    def _audited(self) -> int:
        return db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEvent.action.in_(("tasks.create", "tasks.complete", "tasks.close")),
                AuditEvent.changes["task_id"].as_integer() == self.task.id,
            )
        )

    def _try(self, action, counts: bool) -> None:
        before = (self.task.status, self.task.version)
        step = db.session.begin_nested()
        try:
            action()
        except DomainError:
            step.rollback()
            db.session.refresh(self.task)
            assert (self.task.status, self.task.version) == before
        else:
            step.commit()
            if counts:
                self.changes += 1
                self.done_times += 1

    @rule(stale=st.booleans(), note=st.sampled_from([None, "Done by phone"]))
    def complete(self, stale, note):
        version = self.task.version - 1 if stale else self.task.version
        self._try(
            lambda: tasks.complete_task(
                actor=self.worker,
                task=self.task,
                version=version,
                outcome={"note": note} if note else None,
            ),
            counts=True,
        )

    @rule()
    def close_elsewhere(self):
        was_open = self.task.status == TaskStatus.OPEN
        tasks.close_tasks(actor=self.worker, tasks=[self.task], because="done elsewhere")
        if was_open:
            self.changes += 1
            self.done_times += 1

    @invariant()
    def a_task_is_done_at_most_once_and_stamped_when_done(self):
        REACHED.add(self.task.status)
        assert self.task.status in (TaskStatus.OPEN, TaskStatus.DONE)
        assert self.done_times <= 1
        assert (self.task.completed_at is not None) == (self.task.status == TaskStatus.DONE)

    @invariant()
    def every_change_has_its_audit_row(self):
        assert self._audited() == self.changes


def test_no_sequence_of_actions_reaches_an_invalid_task(app, ctx):
    walk(TaskMachine, examples=40, steps=8)
    assert {TaskStatus.OPEN, TaskStatus.DONE} == REACHED
