"""The service catalogue: strands, services, teams and the coded needs routing matches on."""

import flask

from caremap.catalogue import api
from caremap.core.extensions import register_api_blueprint


def register(app: flask.Flask) -> None:
    register_api_blueprint(api.blp)
