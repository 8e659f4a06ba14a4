"""Long-term support under /api/v1: the social care profile, and each kind of event's list,
record, read, edit (the whole event, PUT) and end. The same Args and operations as the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.core.api import ApiBlueprint
from caremap.longterm import queries
from caremap.longterm.access import load_event
from caremap.longterm.changes import EVENTS, EventKind
from caremap.longterm.models import SocialCareProfile
from caremap.longterm.operations import save_profile
from caremap.longterm.schemas import ProfileArgs, ProfileSchema
from caremap.people.loader import load_person
from caremap.people.queries import record_ids

blp = ApiBlueprint(
    "longterm-api",
    __name__,
    url_prefix="/api/v1",
    description="Long-term support: social care profile, assessments, care packages, reviews",
)


@blp.route("/people/<int:person_id>/social-care-profile")
class Profile(MethodView):
    decorators = [login_required]

    @blp.response(200, ProfileSchema)
    def get(self, person_id):
        """The person's social care profile (the CLD person fields the record adds)."""
        load_person(person_id, user=_me(), action="longterm.profile.view")
        # none recorded yet: every field not known, and no version to give back
        return queries.profile_of(person_id) or SocialCareProfile(person_id=person_id)

    @blp.arguments(ProfileArgs)
    @blp.response(200, ProfileSchema)
    def put(self, args, person_id):
        """Make or replace the profile; give the version read (409 if someone saved since)."""
        loaded = load_person(person_id, user=_me(), action="longterm.profile.save")
        return save_profile(actor=_me(), person=loaded.person, details=args)


def _routes(kind: EventKind) -> None:
    """The five endpoints of one kind of event (its own schemas in the OpenAPI document)."""
    name = kind.slug.replace("-", "_")

    class PersonEvents(MethodView):
        decorators = [login_required]

        @blp.response(200, kind.schema(many=True))
        def get(self, person_id):
            person = load_person(
                person_id, user=_me(), action=f"longterm.{kind.audit_name}.list"
            ).person
            return kind.of_people(record_ids(person))

        @blp.arguments(kind.record.args)
        @blp.response(201, kind.schema)
        def post(self, args, person_id):
            loaded = load_person(person_id, user=_me(), action=kind.record.action)
            return kind.record.operate(_me(), loaded.person, args)

    PersonEvents.get.__doc__ = f"The person's {kind.noun}s, newest first."
    PersonEvents.post.__doc__ = f"Record a{'n' if kind.noun[0] in 'aeiou' else ''} {kind.noun}."

    class Event(MethodView):
        decorators = [login_required]

        @blp.response(200, kind.schema)
        def get(self, **ids):
            row, _ = load_event(
                kind.model, ids[kind.id_arg], user=_me(), action=f"longterm.{kind.audit_name}.view"
            )
            return row

        @blp.arguments(kind.update.args)
        @blp.response(200, kind.schema)
        def put(self, args, **ids):
            row, _ = load_event(kind.model, ids[kind.id_arg], user=_me(), action=kind.update.action)
            return kind.update.operate(_me(), row, args)

    Event.get.__doc__ = f"One {kind.noun}."
    Event.put.__doc__ = f"Change the {kind.noun}: give it whole, with the version read."

    class EndEvent(MethodView):
        decorators = [login_required]

        @blp.arguments(kind.end.args)
        @blp.response(200, kind.schema)
        def post(self, args, **ids):
            row, _ = load_event(kind.model, ids[kind.id_arg], user=_me(), action=kind.end.action)
            return kind.end.operate(_me(), row, args)

    EndEvent.post.__doc__ = f"End the {kind.noun} with its CLD Event Outcome."

    blp.route(f"/people/<int:person_id>/{kind.slug}", endpoint=f"person_{name}")(PersonEvents)
    blp.route(f"/{kind.slug}/<int:{kind.id_arg}>", endpoint=name)(Event)
    blp.route(f"/{kind.slug}/<int:{kind.id_arg}>/end", endpoint=f"end_{name}")(EndEvent)


for _kind in EVENTS.values():
    _routes(_kind)
