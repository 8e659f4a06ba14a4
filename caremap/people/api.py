"""JSON endpoints for the person record under /api/v1/people."""

from __future__ import annotations

import flask
from flask.views import MethodView
from flask_login import login_required

from caremap.access import operations as access_operations
from caremap.access.policy import Access
from caremap.access.schemas import BreakGlassArgs, BreakGlassSchema
from caremap.audit.schemas import AccessLogArgs
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_merge_records
from caremap.core.api import ApiBlueprint, api_error
from caremap.core.errors import ForbiddenError
from caremap.core.extensions import db
from caremap.people import flags as _flags  # noqa: F401  (registers the record's flags)
from caremap.people import operations, queries
from caremap.people.chronology import chronology
from caremap.people.identity_checks import SamePersonError
from caremap.people.loader import load_person
from caremap.people.models import RelatedPerson
from caremap.people.queries import access_log
from caremap.people.record_read import record_json
from caremap.people.schemas import (
    AuditEventSchema,
    ChronologyArgs,
    ChronologyEntrySchema,
    ConsentArgs,
    ConsentSchema,
    DuplicateCandidateSchema,
    MergeArgs,
    PersonIdentitySchema,
    PersonRecordResponseSchema,
    PersonRecordSchema,
    PersonSearchArgs,
    RegisterPersonArgs,
    RelatedPersonArgs,
    RelatedPersonSchema,
    StoryArgs,
    StoryVersionSchema,
    UpdateRelatedPersonArgs,
    identity_answer,
    update_identity_args,
)

blp = ApiBlueprint(
    "people-api", __name__, url_prefix="/api/v1/people", description="The shared person record"
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# The two shapes GET /people/{id} answers with, named in the document (people.register).
RESPONSE_COMPONENTS = {
    "PersonRecordResponse": PersonRecordResponseSchema,
    "PersonIdentity": PersonIdentitySchema,
}


@blp.route("")
class People(MethodView):
    decorators = [login_required]

    @blp.arguments(PersonSearchArgs, location="query")
    @blp.response(200, PersonIdentitySchema(many=True))
    def get(self, args):
        """Find people by name (typos and parts allowed), NHS number, date of birth, postcode."""
        found = queries.search_and_record(
            actor=_me(), criteria=args, limit=flask.current_app.config["SEARCH_LIMIT"]
        )
        return flask.jsonify([identity_answer(person) for person in found])

    @blp.arguments(RegisterPersonArgs)
    @blp.response(201, PersonRecordSchema)
    @blp.alt_response(
        409,
        description="a live record with this name and date of birth (`same_name_and_date_of_"
        "birth`), likely duplicates (`duplicates`), or a live record with this NHS number",
    )
    def post(self, args):
        """Register a person. A live record with the very same name and date of birth
        answers 409 naming it until `not_the_same_person_as` lists its id and `reason` says
        why this is someone else; likely duplicates answer 409 with `duplicates` until
        `confirm_no_duplicate` is true."""
        try:
            return operations.register_person(actor=_me(), details=args)
        except SamePersonError as error:
            queries.record_identities_shown(_me(), [*error.same, *(c.person for c in error.likely)])
            return api_error(
                409,
                error.as_errors(),
                same_name_and_date_of_birth=PersonIdentitySchema(many=True).dump(error.same),
                duplicates=DuplicateCandidateSchema(many=True).dump(error.likely),
            )
        except operations.PossibleDuplicatesError as error:
            queries.record_duplicates_shown(_me(), error.candidates)
            duplicates = DuplicateCandidateSchema(many=True).dump(error.candidates)
            return api_error(409, error.as_errors(), duplicates=duplicates)


@blp.route("/duplicates")
class Duplicates(MethodView):
    decorators = [login_required]

    @blp.arguments(
        RegisterPersonArgs(
            only=("given_name", "family_name", "date_of_birth", "nhs_number", "postcode")
        ),
        location="query",
    )
    @blp.response(200, DuplicateCandidateSchema(many=True))
    def get(self, args):
        """The likely duplicates of a person about to be registered."""
        candidates = queries.find_likely_duplicates(**args)
        queries.record_duplicates_shown(_me(), candidates)
        return candidates


@blp.route("/<int:person_id>")
class PersonRecord(MethodView):
    decorators = [login_required]

    @blp.response(
        200,
        {"oneOf": [_ref("PersonRecordResponse"), _ref("PersonIdentity")]},
        description="The whole record (with a relationship), or identity only (without)",
    )
    def get(self, person_id):
        """The whole record for those with a relationship; identity only for anyone else."""
        # As plain rows, written out directly (people/record_read.py): the same JSON as
        # PersonRecordResponseSchema / PersonIdentitySchema, at a fraction of the CPU.
        return flask.jsonify(record_json(person_id, user=_me()))

    @blp.arguments(update_identity_args())
    @blp.response(200, PersonRecordSchema)
    def patch(self, args, person_id):
        """Change identity details; `version` must be the version read (409 if stale)."""
        loaded = load_person(person_id, user=_me(), action="people.edit_identity")
        version = args.pop("version")
        return operations.update_identity(
            actor=_me(), person=loaded.person, changes=args, version=version
        )


@blp.route("/<int:person_id>/story")
class Story(MethodView):
    decorators = [login_required]

    @blp.response(200, StoryVersionSchema(many=True))
    def get(self, person_id):
        """Every version of 'my story', newest first."""
        loaded = load_person(person_id, user=_me(), action="people.view_story")
        return queries.story_history(loaded.person)

    @blp.arguments(StoryArgs)
    @blp.response(201, StoryVersionSchema)
    def post(self, args, person_id):
        """Add a version; `based_on_id` must be the current version's id (409 if stale)."""
        loaded = load_person(person_id, user=_me(), action="people.edit_story")
        return operations.add_story_version(actor=_me(), person=loaded.person, **args)


@blp.route("/<int:person_id>/consent")
class Consent(MethodView):
    decorators = [login_required]

    @blp.response(200, ConsentSchema(many=True))
    def get(self, person_id):
        """Every consent decision, newest (in force) first."""
        loaded = load_person(person_id, user=_me(), action="people.view_consent")
        return queries.consent_history(loaded.person)

    @blp.arguments(ConsentArgs)
    @blp.response(201, ConsentSchema)
    def post(self, args, person_id):
        loaded = load_person(person_id, user=_me(), action="people.edit_consent")
        return operations.record_consent(actor=_me(), person=loaded.person, **args)


@blp.route("/<int:person_id>/related-people")
class RelatedPeople(MethodView):
    decorators = [login_required]

    @blp.response(200, RelatedPersonSchema(many=True))
    def get(self, person_id):
        loaded = load_person(person_id, user=_me(), action="people.view_related_people")
        return queries.related_people(loaded.person, include_ended=True)

    @blp.arguments(RelatedPersonArgs)
    @blp.response(201, RelatedPersonSchema)
    def post(self, args, person_id):
        """Add a carer or next of kin."""
        loaded = load_person(person_id, user=_me(), action="people.add_related_person")
        return operations.add_related_person(actor=_me(), person=loaded.person, details=args)


@blp.route("/<int:person_id>/related-people/<int:related_id>")
class RelatedPersonItem(MethodView):
    decorators = [login_required]

    @blp.arguments(UpdateRelatedPersonArgs)
    @blp.response(200, RelatedPersonSchema)
    def put(self, args, person_id, related_id):
        loaded = load_person(person_id, user=_me(), action="people.update_related_person")
        related = db.session.get(RelatedPerson, related_id)
        if related is None or related.person_id != loaded.person.id:
            return api_error(404, message="Not found")
        return operations.update_related_person(
            actor=_me(), person=loaded.person, related=related, details=args
        )


@blp.route("/<int:person_id>/merge")
class Merge(MethodView):
    decorators = [login_required]

    @blp.arguments(MergeArgs)
    @blp.response(200, PersonRecordSchema)
    def post(self, args, person_id):
        """Merge `duplicate_id` into this record; it ends, and everything of it moves here
        (admins only: anyone else is refused, 403, before either record is read)."""
        if not can_merge_records(_me()):
            raise ForbiddenError(operations.MERGE_REFUSED, field="duplicate_id")
        survivor = load_person(person_id, user=_me(), action="people.merge").person
        duplicate = load_person(args["duplicate_id"], user=_me(), action="people.merge").person
        operations.merge_people(
            actor=_me(), survivor=survivor, duplicate=duplicate, reason=args["reason"]
        )
        return survivor


@blp.route("/<int:person_id>/chronology")
class Chronology(MethodView):
    decorators = [login_required]

    @blp.arguments(ChronologyArgs, location="query")
    @blp.response(200, ChronologyEntrySchema(many=True))
    def get(self, args, person_id):
        """Everything recorded about the person, from every service, newest first;
        `strand` keeps the entries of one strand's services."""
        loaded = load_person(person_id, user=_me(), action="people.view_chronology")
        return chronology(loaded.person, strand=args.get("strand"))


@blp.route("/<int:person_id>/access-log")
class AccessLog(MethodView):
    decorators = [login_required]

    @blp.arguments(AccessLogArgs, location="query")
    @blp.response(200, AuditEventSchema(many=True))
    def get(self, args, person_id):
        """Who has read or changed this record, newest first (50 a page; X-Total-Count)."""
        loaded = load_person(person_id, user=_me(), action="people.view_access_log")
        events, total = access_log(loaded.person, page=args["page"])
        return events, {"X-Total-Count": str(total)}


@blp.route("/<int:person_id>/break-glass")
class BreakGlassOpen(MethodView):
    decorators = [login_required]

    @blp.arguments(BreakGlassArgs)
    @blp.response(201, BreakGlassSchema)
    def post(self, args, person_id):
        """Emergency access to a record you have no relationship with, for a few hours."""
        person = load_person(
            person_id, user=_me(), action="access.break_glass_request", need=Access.IDENTITY
        ).person
        return access_operations.break_glass(actor=_me(), person=person, reason=args["reason"])
