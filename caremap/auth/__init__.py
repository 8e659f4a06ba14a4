"""Staff, sign-in, roles and personal API tokens."""

import flask

from caremap.auth import api, loaders, views
from caremap.core.extensions import register_api_blueprint


def register(app: flask.Flask) -> None:
    loaders.install(app)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
