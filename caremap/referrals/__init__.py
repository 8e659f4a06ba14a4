"""Referrals through the single point of access: submitted, routed, answered."""

import flask

from caremap.access.policy import register_relationship
from caremap.core.extensions import register_api_blueprint
from caremap.people.chronology import add_chronology_provider
from caremap.people.sections import RecordSection, add_record_section
from caremap.referrals import api, chronology, dates, handlers, queries, views


def register(app: flask.Flask) -> None:
    register_relationship(app, "open_work", queries.people_with_open_referrals_to)
    handlers.connect()
    add_chronology_provider(app, chronology.referral_entries)
    add_chronology_provider(app, chronology.episode_entries)
    add_record_section(
        app,
        RecordSection(
            "referrals/_record_section.html",
            lambda person, ids: {"referrals": queries.referral_list(ids)},
        ),
    )
    app.add_template_filter(dates.said, "said")
    app.add_template_global(dates.said_with_entry, "said_with_entry")
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
