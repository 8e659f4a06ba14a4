"""Pages: your tasks and your team's, and completing one."""

from __future__ import annotations

import flask
from flask_login import login_required

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.core.errors import ConflictError, DomainError
from caremap.ui.forms import attach_domain_error, handle_form_post
from caremap.worktasks import operations as task_operations
from caremap.worktasks.access import task_to_complete
from caremap.worktasks.extras import task_extras
from caremap.worktasks.forms import CompleteTaskForm
from caremap.worktasks.queries import open_tasks_for
from caremap.worktasks.schemas import CompleteTaskArgs

bp = flask.Blueprint("worktasks", __name__, template_folder="templates")


def _tasks_page(complete_form: CompleteTaskForm, status: int = 200, **context):
    """The open tasks, each form carrying the versions of its task and of the record it
    belongs to (the extras), read now: after a refusal they are the current ones."""
    mine = open_tasks_for(_me())
    audit.record_reads(_me(), "tasks.list_view", [t.person_id for t in mine])
    return flask.render_template(
        "worktasks/tasks.html",
        tasks=mine,
        extras=task_extras(mine),
        complete_form=complete_form,
        **context,
    ), status


@bp.get("/tasks")
@login_required
def tasks():
    return _tasks_page(CompleteTaskForm(formdata=None))


@bp.post("/tasks/<int:task_id>/complete")
@login_required
def complete_task(task_id: int):
    task = task_to_complete(task_id, user=_me())
    form = CompleteTaskForm()

    def page(status: int):
        return _tasks_page(form, status, failed_task_id=task_id, form=form)

    def stale(error: DomainError):
        # The task or its record changed since the page was read: 409, as the API says,
        # with the page as it is now and the reason beside the task.
        if not isinstance(error, ConflictError):
            return None
        attach_domain_error(form, error)
        return page(409)

    return handle_form_post(
        form,
        CompleteTaskArgs(),
        lambda args: task_operations.complete_task(actor=_me(), task=task, **args),
        done=f"Done: {task.title}",
        redirect_to=lambda _: flask.url_for("worktasks.tasks"),
        page=page,
        refused=stale,
    )
