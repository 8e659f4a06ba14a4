"""Episodes of care: a spell of a service for a person, and its day-91 follow-up."""

import flask

from caremap.access.policy import register_relationship
from caremap.core.extensions import register_api_blueprint
from caremap.episodes import api, handlers, queries, views
from caremap.worktasks.extras import add_task_extras_provider


def register(app: flask.Flask) -> None:
    register_relationship(app, "open_work", queries.people_in_open_episodes_of)
    handlers.connect()
    add_task_extras_provider(app, queries.day91_task_extras)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
