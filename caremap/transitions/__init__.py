"""Transition planning for young people known to services."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider
from caremap.transitions import api, flags, handlers


def register(app: flask.Flask) -> None:
    add_flag_provider(app, flags.transition_flags)
    handlers.connect()
    register_api_blueprint(api.blp)
