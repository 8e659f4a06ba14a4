"""Pages: your tasks and your team's, and completing one."""

from __future__ import annotations

import flask
from flask_login import login_required

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.ui.forms import handle_form_post
from caremap.worktasks import operations as task_operations
from caremap.worktasks.access import task_to_complete
from caremap.worktasks.forms import CompleteTaskForm
from caremap.worktasks.queries import open_tasks_for
from caremap.worktasks.schemas import CompleteTaskArgs

bp = flask.Blueprint("worktasks", __name__, template_folder="templates")


@bp.get("/tasks")
@login_required
def tasks():
    mine = open_tasks_for(_me())
    audit.record_reads(_me(), "tasks.list_view", [t.person_id for t in mine])
    return flask.render_template(
        "worktasks/tasks.html", tasks=mine, complete_form=CompleteTaskForm(formdata=None)
    )


@bp.post("/tasks/<int:task_id>/complete")
@login_required
def complete_task(task_id: int):
    task = task_to_complete(task_id, user=_me())
    form = CompleteTaskForm()
    return handle_form_post(
        form,
        CompleteTaskArgs(),
        lambda args: task_operations.complete_task(actor=_me(), task=task, **args),
        done=f"Done: {task.title}",
        redirect_to=lambda _: flask.url_for("worktasks.tasks"),
        page=lambda status: (
            flask.render_template(
                "worktasks/tasks.html",
                tasks=open_tasks_for(_me()),
                complete_form=form,
                failed_task_id=task_id,
                form=form,
            ),
            status,
        ),
    )
