"""Tasks under /api/v1: yours and your team's, and completing one."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.core.api import ApiBlueprint
from caremap.worktasks import operations as task_operations
from caremap.worktasks.access import task_to_complete
from caremap.worktasks.queries import open_tasks_for
from caremap.worktasks.schemas import CompleteTaskArgs, TaskSchema

blp = ApiBlueprint("worktasks-api", __name__, url_prefix="/api/v1", description="Tasks")


@blp.route("/tasks")
class Tasks(MethodView):
    decorators = [login_required]

    @blp.response(200, TaskSchema(many=True))
    def get(self):
        """Your open tasks and your team's (a team lead sees the whole team's), oldest due first."""
        return open_tasks_for(_me())


@blp.route("/tasks/<int:task_id>/complete")
class CompleteTask(MethodView):
    decorators = [login_required]

    @blp.arguments(CompleteTaskArgs)
    @blp.response(200, TaskSchema)
    def post(self, args, task_id):
        """Complete a task; a day-91 follow-up says where the person is."""
        task = task_to_complete(task_id, user=_me())
        return task_operations.complete_task(actor=_me(), task=task, **args)
