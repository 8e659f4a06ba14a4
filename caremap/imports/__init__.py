"""Bulk import of people and their history from the systems councils and trusts run today."""

import flask

from caremap.imports import queries, views
from caremap.people.sections import RecordSection, add_record_section


def register(app: flask.Flask) -> None:
    """The admin pages (upload, import history, error reports, the held-matches queue) and
    the record's identifiers in other systems, as a section of the person record."""
    add_record_section(
        app,
        RecordSection(
            "imports/_record_section.html",
            lambda person, ids: {"identifiers": queries.identifiers_of(ids)},
        ),
    )
    app.register_blueprint(views.bp)
