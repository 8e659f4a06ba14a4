"""How episodes answer what happens below them."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.episodes.enums import Day91Outcome
from caremap.episodes.models import Episode
from caremap.episodes.operations import record_day91_outcome
from caremap.worktasks import signals as task_signals
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task


def day91_answer_reaches_the_episode(
    task: Task, *, actor: User, outcome: dict[str, Any], **_: Any
) -> None:
    """A completed day-91 follow-up must say where the person is; the answer is the
    episode's (ASCOF 2B counts episodes, not tasks)."""
    if task.kind != TaskKind.DAY91_FOLLOW_UP:
        return
    where = outcome.get("day91_outcome")
    if where not in {o.value for o in Day91Outcome}:
        raise DomainError(
            "Say where the person is: at home, in hospital, in a care home, or died",
            field="day91_outcome",
        )
    episode = db.session.get(Episode, task.episode_id)
    record_day91_outcome(
        actor=actor, episode=episode, outcome=Day91Outcome(where), version=episode.version
    )


def connect() -> None:
    task_signals.task_completed.connect(day91_answer_reaches_the_episode, weak=False)
