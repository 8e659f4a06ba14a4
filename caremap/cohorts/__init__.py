"""Multiple needs assessments and the core, edge and stable cohorts."""

import flask

from caremap.cohorts import api, flags, views
from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider


def register(app: flask.Flask) -> None:
    add_flag_provider(app, flags.cohort_flags)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
