"""Pages: your tasks and your team's, and completing one."""

from __future__ import annotations

import flask
from flask_login import login_required

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.core.errors import DomainError, NotFoundError
from caremap.core.extensions import db
from caremap.people.loader import load_person
from caremap.ui.forms import attach_domain_error, validate_form
from caremap.worktasks import operations as task_operations
from caremap.worktasks.forms import CompleteTaskForm
from caremap.worktasks.models import Task
from caremap.worktasks.queries import can_work_on, open_tasks_for
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
    task = db.session.get(Task, task_id)
    if task is None or not can_work_on(_me(), task):
        raise NotFoundError()
    load_person(task.person_id, user=_me(), action="tasks.complete")
    form = CompleteTaskForm()
    args = validate_form(form, CompleteTaskArgs())
    if args is not None:
        outcome = {
            k: v
            for k, v in (("day91_outcome", args["day91_outcome"]), ("note", args.get("note")))
            if v
        }
        try:
            task_operations.complete_task(
                actor=_me(), task=task, version=args["version"], outcome=outcome
            )
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(f"Done: {task.title}", "success")
            return flask.redirect(flask.url_for("worktasks.tasks"))
    return flask.render_template(
        "worktasks/tasks.html",
        tasks=open_tasks_for(_me()),
        complete_form=form,
        failed_task_id=task_id,
        form=form,
    ), 422
