"""Pages: your tasks and your team's, and completing one."""

from __future__ import annotations

import flask
from flask_login import login_required

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.core import clock
from caremap.core.errors import ConflictError, DomainError
from caremap.ui.forms import attach_domain_error, handle_form_post
from caremap.worktasks import operations as task_operations
from caremap.worktasks.access import task_to_complete
from caremap.worktasks.extras import task_extras
from caremap.worktasks.forms import CompleteTaskForm
from caremap.worktasks.queries import TASK_VIEWS, open_tasks_page
from caremap.worktasks.schemas import CompleteTaskArgs

bp = flask.Blueprint("worktasks", __name__, template_folder="templates")


TASKS_PAGE = 25
VIEW_LABELS = {
    "all": "All I can work on",
    "mine": "Mine",
    "team": "My team's",
    "overdue": "Overdue",
}


def _tasks_page(complete_form: CompleteTaskForm, status: int = 200, **context):
    """One page of open tasks as a table (due, person, what, owner), narrowed to mine, my
    team's or the overdue; below it each task's card to act on, each form carrying the
    versions of its task and of the record it belongs to (the extras), read now: after a
    refusal they are the current ones."""
    me = _me()
    show = flask.request.args.get("show", "all")
    show = show if show in TASK_VIEWS else "all"
    raw = flask.request.args.get("page", "1")
    number = max(int(raw), 1) if raw.isdigit() else 1
    shown, total = open_tasks_page(
        me, show=show, today=clock.today(), offset=(number - 1) * TASKS_PAGE, limit=TASKS_PAGE
    )
    audit.record_reads(me, "tasks.list_view", [t.person_id for t in shown])
    last_page = max((total + TASKS_PAGE - 1) // TASKS_PAGE, 1)
    return flask.render_template(
        "worktasks/tasks.html",
        tasks=shown,
        total=total,
        show=show,
        views=VIEW_LABELS,
        first=(number - 1) * TASKS_PAGE + 1 if shown else 0,
        previous_page=number - 1 if number > 1 else None,
        next_page=number + 1 if number < last_page else None,
        extras=task_extras(shown),
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
