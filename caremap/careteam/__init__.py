"""Care teams and the lead key worker, caseloads and handover."""

import flask

from caremap.access.policy import register_relationship
from caremap.careteam import api, flags, queries, views
from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider


def register(app: flask.Flask) -> None:
    register_relationship(app, "care_team", queries.people_in_care_of)
    add_flag_provider(app, flags.key_worker_flags)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
