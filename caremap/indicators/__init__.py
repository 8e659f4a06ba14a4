"""System performance indicators: definitions, computation, the dashboard and exports."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.indicators import api, views


def register(app: flask.Flask) -> None:
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
