"""How episodes answer what happens below them."""

from __future__ import annotations

import datetime as dt
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

# The episode's own names for what a task completion calls by the task's names.
TASK_FIELDS = {
    "outcome": "day91_outcome",
    "outcome_on": "day91_outcome_on",
    "version": "episode_version",
}


def day91_answer_reaches_the_episode(
    task: Task,
    *,
    actor: User,
    outcome: dict[str, Any],
    seen_versions: dict[str, int] | None = None,
    **_: Any,
) -> None:
    """A completed day-91 follow-up must say where the person is; the answer is the
    episode's (ASCOF 2B counts episodes, not tasks), recorded by the same rules as on the
    episode itself, against the episode's version the worker saw: a task never lets a
    stale copy of the episode through."""
    if task.kind != TaskKind.DAY91_FOLLOW_UP:
        return
    where = outcome.get("day91_outcome")
    if where not in {o.value for o in Day91Outcome}:
        raise DomainError(
            "Say where the person is: at home, in hospital, in a care home, or died",
            field="day91_outcome",
        )
    seen = (seen_versions or {}).get("episode_version")
    if seen is None:
        raise DomainError(
            "is required for a day-91 follow-up: the version of the episode you read",
            field="episode_version",
        )
    on = outcome.get("day91_outcome_on")
    episode = db.session.get(Episode, task.episode_id)
    try:
        record_day91_outcome(
            actor=actor,
            episode=episode,
            outcome=Day91Outcome(where),
            version=seen,
            outcome_on=dt.date.fromisoformat(on) if on else None,
        )
    except DomainError as error:
        error.field = TASK_FIELDS.get(error.field, error.field)
        raise


def connect() -> None:
    task_signals.task_completed.connect(day91_answer_reaches_the_episode, weak=False)
