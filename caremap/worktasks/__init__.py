"""Work tasks: set by the domains that need them, done by their owners."""

import flask

from caremap.access.policy import register_relationship
from caremap.core.extensions import register_api_blueprint
from caremap.worktasks import api, queries, views


def register(app: flask.Flask) -> None:
    register_relationship(app, "assigned_task", queries.people_with_tasks_owned_by)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
