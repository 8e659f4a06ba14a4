"""Safeguarding concerns, triage and section 42 enquiries."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider
from caremap.people.chronology import add_chronology_provider
from caremap.safeguarding import api, chronology, dates, flags, handlers, views


def register(app: flask.Flask) -> None:
    add_flag_provider(app, flags.safeguarding_flags)
    add_chronology_provider(app, chronology.concern_entries)
    handlers.connect()
    app.add_template_global(dates.happened, "safeguarding_happened")
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
