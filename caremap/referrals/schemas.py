from __future__ import annotations

from marshmallow import fields, validate

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.referrals.enums import ReferralStatus
from caremap.routing.enums import ReferralSource, Urgency


class ReferralArgs(ArgsSchema):
    person_id = fields.Integer(required=True, metadata={"description": "found or registered first"})
    source = fields.Enum(ReferralSource, by_value=True, required=True)
    referrer_name = text(160, required=True)
    referrer_organisation = text(160)
    referrer_contact = text(160, required=True, metadata={"description": "phone or email"})
    needs = fields.List(
        fields.String(validate=validate.Length(max=40)),
        required=True,
        validate=validate.Length(min=1, max=20, error="choose between 1 and 20 needs"),
    )
    details = text(5000)
    urgency = fields.Enum(Urgency, by_value=True, required=True)
    consent_to_share = fields.Boolean(
        required=True, metadata={"description": "the person agreed to this referral being shared"}
    )
    received_at = fields.AwareDateTime(
        allow_none=True,
        load_default=None,
        default_timezone=None,
        metadata={"description": "when it was received (defaults to now)"},
    )


class DeclineArgs(ArgsSchema):
    reason = text(2000, required=True)
    version = fields.Integer(required=True)


class RedirectArgs(ArgsSchema):
    reason = text(2000, required=True)
    service = fields.String(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "service code to send it to; none: route by the rules again, "
            "without this service"
        },
    )
    version = fields.Integer(required=True)


class AcceptArgs(ArgsSchema):
    version = fields.Integer(required=True)
    key_worker_id = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "for services that allocate a key worker on acceptance"},
    )
    start_episode = fields.Nested(StartEpisodeArgs, allow_none=True, load_default=None)


class CloseArgs(ArgsSchema):
    outcome = text(2000, required=True)
    version = fields.Integer(required=True)


class QueueArgs(ArgsSchema):
    include_accepted = fields.Boolean(load_default=True)


class RoutingDecisionSchema(OutputSchema):
    decided_at = fields.DateTime()
    kind = fields.String()
    explanation = fields.List(fields.Dict())
    facts = fields.Dict()


class StatusChangeSchema(OutputSchema):
    at = fields.DateTime()
    from_status = fields.Enum(ReferralStatus, by_value=True, allow_none=True)
    to_status = fields.Enum(ReferralStatus, by_value=True)
    by = fields.Function(lambda c: c.actor.full_name)
    reason = fields.String(allow_none=True)


class ReferralSchema(OutputSchema):
    id = fields.Integer()
    reference = fields.String()
    person_id = fields.Integer()
    service = fields.Function(lambda r: r.service.code)
    service_name = fields.Function(lambda r: r.service.name)
    source = fields.Enum(ReferralSource, by_value=True)
    referrer_name = fields.String()
    referrer_organisation = fields.String(allow_none=True)
    referrer_contact = fields.String()
    needs = fields.Function(lambda r: r.need_codes)
    details = fields.String(allow_none=True)
    urgency = fields.Enum(Urgency, by_value=True)
    consent_to_share = fields.Boolean()
    received_at = fields.DateTime()
    due_at = fields.DateTime()
    status = fields.Enum(ReferralStatus, by_value=True)
    decline_reason = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    redirected_from_id = fields.Integer(allow_none=True)
    version = fields.Integer()
    routing = fields.Function(lambda r: RoutingDecisionSchema(many=True).dump(r.decisions))
    history = fields.Function(lambda r: StatusChangeSchema(many=True).dump(r.status_changes))


class SubmissionSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    referrals = fields.List(fields.Nested(ReferralSchema))


class RouteSchema(OutputSchema):
    service = fields.String()
    service_name = fields.String()
    fell_through = fields.Boolean()
    explanation = fields.List(fields.Dict())


class PreviewSchema(OutputSchema):
    facts = fields.Dict()
    routes = fields.List(fields.Nested(RouteSchema))


class QueueItemSchema(ReferralSchema):
    queue_state = fields.String(metadata={"description": "overdue, due (within a day) or waiting"})
