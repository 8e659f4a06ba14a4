"""Medicines, polypharmacy flags and medication reviews."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider
from caremap.medicines import api, flags, handlers, views


def register(app: flask.Flask) -> None:
    add_flag_provider(app, flags.polypharmacy_flags)
    handlers.connect()
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
