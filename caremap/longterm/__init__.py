"""Long-term support: the social care profile, assessments (carers' too), services and reviews."""

import flask

from caremap.core.extensions import register_api_blueprint
from caremap.longterm import api, handlers, queries, views
from caremap.people.chronology import add_chronology_provider
from caremap.people.sections import RecordSection, add_record_section


def register(app: flask.Flask) -> None:
    handlers.connect()
    add_chronology_provider(app, queries.chronology_entries)
    add_record_section(
        app,
        RecordSection(
            "longterm/_record_section.html",
            lambda person, ids: queries.record_summary(person.id, ids),
        ),
    )
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
