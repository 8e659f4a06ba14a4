"""The shared person record: identity, my story, consent, carers, the chronology, finding
and registering people, merging duplicates, and the one loader every page uses."""

import flask

from caremap.access.policy import register_relationship
from caremap.auth.permissions import can_merge_records
from caremap.core.api import api_error, is_api_request
from caremap.core.extensions import register_api_blueprint, register_api_components
from caremap.flags import add_flag_provider
from caremap.people import api, chronology, flags, queries, views
from caremap.people.identifiers import format_nhs_number
from caremap.people.loader import MergedRecordError


def _merged(error: MergedRecordError):
    if is_api_request():
        return api_error(404, message="Not found")
    flask.flash("That record was merged into this one.")
    return flask.redirect(flask.url_for("people.view", person_id=error.survivor_id))


def register(app: flask.Flask) -> None:
    register_relationship(app, "registered", queries.people_registered_by_team_of)
    for provider in (flags.record_flags, flags.carer_flags):
        add_flag_provider(app, provider)
    for entries in chronology.OWN_ENTRIES:
        chronology.add_chronology_provider(app, entries)
    app.register_error_handler(MergedRecordError, _merged)
    app.add_template_global(can_merge_records)
    app.add_template_filter(format_nhs_number, "nhs_number")
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
    register_api_components(api.RESPONSE_COMPONENTS)
