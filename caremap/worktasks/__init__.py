"""Work tasks: set by the domains that need them, done by their owners."""

import flask

from caremap.access.policy import register_relationship
from caremap.core.extensions import register_api_blueprint
from caremap.worktasks import api, handlers, queries, views


def register(app: flask.Flask) -> None:
    register_relationship(app, "assigned_task", queries.people_with_tasks_owned_by)
    handlers.connect()
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
