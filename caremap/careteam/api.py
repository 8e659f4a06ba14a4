"""Care teams, key workers, caseloads, tasks and break-glass under /api/v1."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.auth.models import User
from caremap.careteam import operations, queries
from caremap.careteam.access import key_worker, membership_and_person
from caremap.careteam.changes import WORKER_CHANGES
from caremap.careteam.permissions import require_can_hand_over, require_care_coordinator
from caremap.careteam.schemas import (
    AddMemberArgs,
    AssignLeadArgs,
    CaseloadEntrySchema,
    EndMemberArgs,
    HandOverArgs,
    MemberSchema,
    SuggestionSchema,
)
from caremap.catalogue.models import Service
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.people.loader import load_person

blp = ApiBlueprint(
    "careteam-api",
    __name__,
    url_prefix="/api/v1",
    description="Care teams, key workers, tasks, break-glass",
)


def _change(person_id: int, kind: str, args: dict[str, Any]) -> Any:
    """A change to the person's care team about a worker: load the person (404), refuse a
    manager (403), then change it (an unknown worker is a 422)."""
    change = WORKER_CHANGES[kind]
    person = load_person(person_id, user=_me(), action=change.action).person
    require_care_coordinator(_me())
    return change.operate(_me(), person, args)


@blp.route("/people/<int:person_id>/care-team")
class CareTeam(MethodView):
    decorators = [login_required]

    @blp.response(200, MemberSchema(many=True))
    def get(self, person_id):
        """The care team, current members first (the lead at the top), then its history."""
        person = load_person(person_id, user=_me(), action="careteam.view").person
        return queries.care_team(person.id)


@blp.route("/people/<int:person_id>/care-team/lead")
class Lead(MethodView):
    decorators = [login_required]

    @blp.arguments(AssignLeadArgs)
    @blp.response(201, MemberSchema)
    def post(self, args, person_id):
        """Make a key worker the person's one lead; the previous lead hands over (reason needed)."""
        return _change(person_id, "lead", args)


@blp.route("/people/<int:person_id>/care-team/members")
class Members(MethodView):
    decorators = [login_required]

    @blp.arguments(AddMemberArgs)
    @blp.response(201, MemberSchema)
    def post(self, args, person_id):
        return _change(person_id, "member", args)


@blp.route("/care-team/<int:membership_id>/end")
class EndMember(MethodView):
    decorators = [login_required]

    @blp.arguments(EndMemberArgs)
    @blp.response(200, MemberSchema)
    def post(self, args, membership_id):
        membership, _ = membership_and_person(
            membership_id, user=_me(), action="careteam.end_member"
        )
        require_care_coordinator(_me())
        return operations.end_membership(actor=_me(), membership=membership, reason=args["reason"])


@blp.route("/users/<int:user_id>/hand-over")
class HandOver(MethodView):
    decorators = [login_required]

    @blp.arguments(HandOverArgs)
    @blp.response(200, MemberSchema(many=True))
    def post(self, args, user_id):
        """Hand a leaving worker's whole caseload on, in one action."""
        leaving = get_or_404(User, user_id)
        require_can_hand_over(_me(), leaving)
        to = key_worker(args["to_user_id"], field="to_user_id") if args["to_user_id"] else None
        return operations.hand_over_caseload(
            actor=_me(), leaving=leaving, to=to, reason=args["reason"]
        )


@blp.route("/services/<code>/key-worker-suggestions")
class Suggestions(MethodView):
    decorators = [login_required]

    @blp.response(200, SuggestionSchema(many=True))
    def get(self, code):
        """The service's key workers, smallest current caseload first."""
        service = db.session.scalar(sa.select(Service).where(Service.code == code))
        if service is None:
            raise NotFoundError()
        return operations.suggest_key_workers(service=service)


@blp.route("/me/caseload")
class Caseload(MethodView):
    decorators = [login_required]

    @blp.response(200, CaseloadEntrySchema(many=True))
    def get(self):
        """The people whose care team you are in, with their flags and open tasks."""
        entries = queries.caseload(_me())
        queries.audit_caseload_read(_me(), entries)
        return entries
