"""What the tasks page shows and sends back of the record a task belongs to.

Tasks sit below the domains that set them, so the tasks page cannot read an episode;
the domain that owns the record adds a provider in its `register(app)`, and each task's
form carries what the providers gave (the episode's version the worker saw, say), so a
completion is checked against the record as the worker saw it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import flask

from caremap.core import registry
from caremap.worktasks.models import Task

# (the tasks on the page) -> {task id: {name: value}} for the tasks it knows about
TaskExtras = Callable[[Sequence[Task]], dict[int, dict[str, Any]]]


def add_task_extras_provider(app: flask.Flask, provider: TaskExtras) -> None:
    registry.add(app, "task_extras", provider)


def task_extras(tasks: Sequence[Task]) -> dict[int, dict[str, Any]]:
    """Every task's extras (empty for a task no provider knows), one call a provider."""
    found: dict[int, dict[str, Any]] = {task.id: {} for task in tasks}
    for provider in registry.items("task_extras"):
        for task_id, values in provider(tasks).items():
            found.setdefault(task_id, {}).update(values)
    return found
