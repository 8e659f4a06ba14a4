"""Routing rules: versioned data, the explainable engine, and the rules admin pages."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.routing import api, views


def register(app: flask.Flask) -> None:
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
