"""Safeguarding concerns, triage and section 42 enquiries."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.flags import add_flag_provider
from caremap.people.chronology import add_chronology_provider
from caremap.safeguarding import api, chronology, dates, flags, handlers, views
from caremap.safeguarding.enums import AbuseCategory


def kinds(codes: list[str]) -> list[str]:
    """A concern's kinds of abuse or neglect (stored as codes) in words."""
    return [AbuseCategory(code).label for code in codes]


def register(app: flask.Flask) -> None:
    add_flag_provider(app, flags.safeguarding_flags)
    add_chronology_provider(app, chronology.concern_entries)
    handlers.connect()
    app.add_template_global(dates.happened, "safeguarding_happened")
    app.add_template_global(kinds, "safeguarding_kinds")
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
