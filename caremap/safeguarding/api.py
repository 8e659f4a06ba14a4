"""Safeguarding under /api/v1: raise, triage, enquire, conclude, and the numbers."""

from __future__ import annotations

import flask
from flask.views import MethodView
from flask_login import login_required

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_read_safeguarding_figures
from caremap.core.api import ApiBlueprint
from caremap.core.db import utcnow
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.people.loader import load_person
from caremap.safeguarding import operations, permissions, queries, sac, worklist
from caremap.safeguarding.models import Concern, Enquiry, EnquiryAction, EnquiryRisk
from caremap.safeguarding.permissions import (
    can_read_brief,
    can_see_detail,
    enquiry_or_404,
    load_for_work,
    require_lead,
)
from caremap.safeguarding.schemas import (
    ActionArgs,
    ActionSchema,
    ConcernSchema,
    ConcernStatusSchema,
    ConcludeArgs,
    EnquiryBriefSchema,
    EnquiryRiskSchema,
    EnquirySchema,
    FiguresArgs,
    FiguresSchema,
    MeetingArgs,
    MeetingSchema,
    QueueEntrySchema,
    RaiseConcernArgs,
    RiskArgs,
    ShareSummaryArgs,
    TriageArgs,
    VersionArgs,
)

blp = ApiBlueprint(
    "safeguarding-api",
    __name__,
    url_prefix="/api/v1",
    description="Safeguarding (Care Act 2014, s42)",
)


def load_concern(concern_id: int) -> Concern:
    return permissions.load_concern(concern_id, user=_me())


@blp.route("/people/<int:person_id>/safeguarding-concerns")
class RaiseConcern(MethodView):
    decorators = [login_required]

    @blp.arguments(RaiseConcernArgs)
    @blp.response(201, ConcernStatusSchema)
    def post(self, args, person_id):
        """Raise a concern about anyone you can find.

        You get its reference and can follow its status."""
        person = load_person(
            person_id, user=_me(), action="safeguarding.raise_open", need=Access.IDENTITY
        ).person
        return operations.raise_concern(actor=_me(), person=person, details=args)


@blp.route("/safeguarding/mine")
class Mine(MethodView):
    decorators = [login_required]

    @blp.response(200, ConcernStatusSchema(many=True))
    def get(self):
        """Concerns you raised, with their status (not the enquiry's detail)."""
        return queries.raised_by(_me())


@blp.route("/safeguarding/my-actions")
class MyActions(MethodView):
    decorators = [login_required]

    @blp.response(200, ActionSchema(many=True))
    def get(self):
        """Enquiry actions given to you, open first; read each enquiry's brief by its id."""
        actions = worklist.actions_owned_by(_me())
        audit.record_reads(
            _me(), "safeguarding.actions_view", [a.enquiry.person_id for a in actions]
        )
        return actions


@blp.route("/safeguarding/queue")
class Queue(MethodView):
    decorators = [login_required]

    @blp.response(200, QueueEntrySchema(many=True))
    def get(self):
        """Concerns awaiting triage, oldest first: overdue, due within a day, waiting (leads)."""
        require_lead(_me())
        entries = queries.triage_queue(now=utcnow())
        audit.record_reads(_me(), "safeguarding.queue_view", [e.concern.person_id for e in entries])
        return entries


@blp.route("/safeguarding/concerns/<int:concern_id>")
class ConcernItem(MethodView):
    decorators = [login_required]

    @blp.response(200, ConcernSchema)
    @blp.alt_response(
        200,
        schema=ConcernStatusSchema,
        description="the raiser, or an action's owner: reference and status only",
    )
    def get(self, concern_id):
        concern = db.session.get(Concern, concern_id)
        if concern is not None and not can_see_detail(_me(), concern):
            if can_read_brief(_me(), concern):
                load_for_work(concern_id, user=_me())  # the read audited
                return flask.jsonify(ConcernStatusSchema().dump(concern))
            if concern.raised_by_id == _me().id:
                return flask.jsonify(ConcernStatusSchema().dump(concern))
        return load_concern(concern_id)


@blp.route("/safeguarding/concerns/<int:concern_id>/take")
class Take(MethodView):
    decorators = [login_required]

    @blp.arguments(VersionArgs)
    @blp.response(200, ConcernSchema)
    def post(self, args, concern_id):
        require_lead(_me())
        return operations.take_concern(
            actor=_me(), concern=load_concern(concern_id), version=args["version"]
        )


@blp.route("/safeguarding/concerns/<int:concern_id>/triage")
class Triage(MethodView):
    decorators = [login_required]

    @blp.arguments(TriageArgs)
    @blp.response(200, ConcernSchema)
    def post(self, args, concern_id):
        """Record the section 42(1) test and the decision (leads)."""
        require_lead(_me())
        return operations.triage_concern(actor=_me(), concern=load_concern(concern_id), **args)


def _enquiry(enquiry_id: int) -> Enquiry:
    """The enquiry for those who work on it (an action's owner too: the operation then
    refuses, with 403 and the reason, what only those who run the enquiry may do)."""
    return _enquiry_for_work(enquiry_id)[0]


def _enquiry_for_work(enquiry_id: int) -> tuple[Enquiry, bool]:
    enquiry = enquiry_or_404(enquiry_id)
    _, full = load_for_work(enquiry.concern_id, user=_me())
    return enquiry, full


@blp.route("/safeguarding/enquiries/<int:enquiry_id>")
class EnquiryItem(MethodView):
    decorators = [login_required]

    @blp.response(200, EnquirySchema)
    @blp.alt_response(
        200,
        schema=EnquiryBriefSchema,
        description="an action's owner: the summary the lead shared and their own actions",
    )
    def get(self, enquiry_id):
        enquiry, full = _enquiry_for_work(enquiry_id)
        if not full:
            return flask.jsonify(EnquiryBriefSchema(owner_id=_me().id).dump(enquiry))
        return enquiry


@blp.route("/safeguarding/enquiries/<int:enquiry_id>/summary")
class Summary(MethodView):
    decorators = [login_required]

    @blp.arguments(ShareSummaryArgs)
    @blp.response(200, EnquirySchema)
    def post(self, args, enquiry_id):
        """Set what the action owners may read of the enquiry (its lead, safeguarding leads)."""
        return operations.share_summary(actor=_me(), enquiry=_enquiry(enquiry_id), **args)


@blp.route("/safeguarding/enquiries/<int:enquiry_id>/meetings")
class Meetings(MethodView):
    decorators = [login_required]

    @blp.arguments(MeetingArgs)
    @blp.response(201, MeetingSchema)
    def post(self, args, enquiry_id):
        """Record a strategy discussion, strategy meeting or case conference."""
        return operations.add_meeting(actor=_me(), enquiry=_enquiry(enquiry_id), details=args)


@blp.route("/safeguarding/enquiries/<int:enquiry_id>/actions")
class Actions(MethodView):
    decorators = [login_required]

    @blp.arguments(ActionArgs)
    @blp.response(201, ActionSchema)
    def post(self, args, enquiry_id):
        return operations.add_action(actor=_me(), enquiry=_enquiry(enquiry_id), **args)


@blp.route("/safeguarding/enquiries/<int:enquiry_id>/risks")
class Risks(MethodView):
    decorators = [login_required]

    @blp.arguments(RiskArgs)
    @blp.response(201, EnquiryRiskSchema)
    def post(self, args, enquiry_id):
        """Record a risk the enquiry looks into: type, location, source (SAC SG2a, SG2b).

        `version` is the enquiry's; it moves on with every risk added or removed."""
        return sac.add_risk(actor=_me(), enquiry=_enquiry(enquiry_id), **args)


@blp.route("/safeguarding/risks/<int:risk_id>/remove")
class RemoveRisk(MethodView):
    decorators = [login_required]

    @blp.arguments(VersionArgs)
    @blp.response(200, EnquirySchema)
    def post(self, args, risk_id):
        """Remove a risk recorded in error (`version` is the enquiry's)."""
        risk = get_or_404(EnquiryRisk, risk_id)
        _enquiry(risk.enquiry_id)
        return sac.remove_risk(actor=_me(), risk=risk, version=args["version"])


@blp.route("/safeguarding/actions/<int:action_id>/done")
class ActionDone(MethodView):
    decorators = [login_required]

    @blp.arguments(VersionArgs)
    @blp.response(200, ActionSchema)
    def post(self, args, action_id):
        action = get_or_404(EnquiryAction, action_id)
        _enquiry(action.enquiry_id)
        return operations.complete_action(actor=_me(), action=action, version=args["version"])


@blp.route("/safeguarding/enquiries/<int:enquiry_id>/conclude")
class Conclude(MethodView):
    decorators = [login_required]

    @blp.arguments(ConcludeArgs)
    @blp.response(200, EnquirySchema)
    def post(self, args, enquiry_id):
        """Conclude with the outcome; the concern closes (leads).

        A section 42 enquiry answers what the Safeguarding Adults Collection asks: the
        action and result, the risk outcome where a risk was identified and action taken,
        capacity (and support), Making Safeguarding Personal; and has at least one risk."""
        return operations.conclude_enquiry(actor=_me(), enquiry=_enquiry(enquiry_id), **args)


@blp.route("/safeguarding/figures")
class Figures(MethodView):
    decorators = [login_required]

    @blp.arguments(FiguresArgs, location="query")
    @blp.response(200, FiguresSchema)
    def get(self, args):
        """The numbers for a period: counts only, no people (leads, managers, admins)."""
        if not can_read_safeguarding_figures(_me()):
            raise NotFoundError()
        return queries.figures(start=args["start"], end=args["end"])
