"""How medicines answer what happens below them."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.core import clock
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.medicines.operations import record_review, review_not_needed
from caremap.people.models import Person
from caremap.worktasks import signals as task_signals
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task


def review_task_closes_with_a_review(
    task: Task, *, actor: User, outcome: dict[str, Any], **_: Any
) -> None:
    """A medication review task is done only when a review is recorded (what it decided)
    or a review is said not to be needed (and why): "Mark done" with nothing would let
    "people on many medicines reviewed in 12 months" count reviews that never happened."""
    if task.kind != TaskKind.MEDICATION_REVIEW:
        return
    decided = outcome.get("review_outcome")
    reason = outcome.get("not_needed_reason")
    if decided and reason:
        raise DomainError(
            "Record the review or say why it is not needed, not both", field="not_needed_reason"
        )
    person = db.session.get(Person, task.person_id)
    if decided:
        record_review(
            actor=actor,
            person=person,
            details={"reviewed_on": clock.today(), "stopped": [], "outcome": decided},
        )
    elif reason:
        review_not_needed(actor=actor, person=person, task_id=task.id, reason=reason)
    else:
        raise DomainError(
            "Record what the medication review decided, or say why a review is not needed",
            field="review_outcome",
        )


def connect() -> None:
    task_signals.task_completed.connect(review_task_closes_with_a_review, weak=False)
