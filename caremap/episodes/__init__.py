"""Episodes of care: a spell of a service for a person, and its day-91 follow-up."""

import flask

from caremap.access.policy import register_relationship
from caremap.core.extensions import register_api_blueprint
from caremap.episodes import api, handlers, queries, views


def register(app: flask.Flask) -> None:
    register_relationship(app, "open_work", queries.people_in_open_episodes_of)
    handlers.connect()
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
