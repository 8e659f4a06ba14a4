from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.referrals.enums import ReferralStatus
from caremap.routing.enums import ReferralSource, Urgency

DISCHARGE_WARD_MAX = 80
DISCHARGE_DAYS_PAST = 7
DISCHARGE_DAYS_AHEAD = 60


class ReferralArgs(ArgsSchema):
    # The API and imports take the discharge day and ward when the sender has them (older
    # senders do not); the page asks for them, so a referrer using it always gives them.
    require_discharge = False

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
    discharge_on = fields.Date(
        allow_none=True,
        metadata={"description": "expected discharge date; required with need hospital_discharge"},
    )
    discharge_ward = text(
        DISCHARGE_WARD_MAX,
        metadata={"description": "the ward leaving from; required with need hospital_discharge"},
    )

    @ma.validates_schema
    def _discharge(self, data: dict[str, Any], **_: Any) -> None:
        """Leaving hospital: the receiving team needs the day and the ward. The day may be up
        to a week past (a referral entered after the person went home) and up to 60 days
        ahead (planned discharges are referred early); further either way is a typo."""
        if "hospital_discharge" not in (data.get("needs") or []):
            return
        errors: dict[str, list[str]] = {}
        on = data.get("discharge_on")
        today = clock.today()
        if on is None:
            if self.require_discharge:
                errors["discharge_on"] = ["is needed when the person is leaving hospital"]
        elif on < today - dt.timedelta(days=DISCHARGE_DAYS_PAST):
            errors["discharge_on"] = [f"must be no more than {DISCHARGE_DAYS_PAST} days ago"]
        elif on > today + dt.timedelta(days=DISCHARGE_DAYS_AHEAD):
            errors["discharge_on"] = [f"must be within {DISCHARGE_DAYS_AHEAD} days from today"]
        if self.require_discharge and not (data.get("discharge_ward") or "").strip():
            errors["discharge_ward"] = ["is needed when the person is leaving hospital"]
        if errors:
            raise ma.ValidationError(errors)


class ReferralPageArgs(ReferralArgs):
    """The referral form's answers: leaving hospital, the day and ward are required."""

    require_discharge = True


def _on(what: str) -> fields.Date:
    return fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": f"the local (UK) day it was {what}, if not today"},
    )


def _time(what: str) -> fields.Time:
    field = fields.Time(
        format="%H:%M",
        allow_none=True,
        load_default=None,
        metadata={
            "description": f"the local (UK) time it was {what}, 24-hour HH:MM; needed on "
            "the day the referral came in, the day its answer was due, and today"
        },
    )
    field.error_messages["invalid"] = "must be a time on the 24-hour clock, like 14:30"
    return field


class AnsweredArgs(ArgsSchema):
    """When the answer happened, for one entered after the fact (neither: now)."""

    answered_on = _on("answered")
    answered_time = _time("answered")


class DeclineArgs(AnsweredArgs):
    reason = text(2000, required=True)
    version = fields.Integer(required=True)


class RedirectArgs(AnsweredArgs):
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


class AcceptArgs(AnsweredArgs):
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


class FirstContactArgs(ArgsSchema):
    contacted_on = _on("first in contact")
    contacted_time = _time("first in contact")
    version = fields.Integer(required=True)


class QueueArgs(ArgsSchema):
    include_accepted = fields.Boolean(load_default=True)


class RoutingDecisionSchema(OutputSchema):
    decided_at = fields.DateTime()
    kind = fields.String()
    explanation = fields.List(fields.Dict())
    facts = fields.Dict()


class StatusChangeSchema(OutputSchema):
    at = fields.DateTime(metadata={"description": "when it happened"})
    recorded_at = fields.DateTime(
        allow_none=True, metadata={"description": "when it was entered (none: not known)"}
    )
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
    discharge_on = fields.Date(allow_none=True)
    discharge_ward = fields.String(allow_none=True)
    urgency = fields.Enum(Urgency, by_value=True)
    consent_to_share = fields.Boolean()
    received_at = fields.DateTime()
    recorded_at = fields.DateTime(
        attribute="created_at", metadata={"description": "when the referral was entered"}
    )
    due_at = fields.DateTime()
    status = fields.Enum(ReferralStatus, by_value=True)
    responded_at = fields.DateTime(
        allow_none=True,
        metadata={"description": "when it was answered (accepted, declined or redirected)"},
    )
    response_recorded_at = fields.DateTime(
        allow_none=True, metadata={"description": "when the answer was entered"}
    )
    first_contact_at = fields.DateTime(
        allow_none=True, metadata={"description": "when the service first reached the person"}
    )
    first_contact_recorded_at = fields.DateTime(
        allow_none=True, metadata={"description": "when the first contact was entered"}
    )
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
    queue_state = fields.String(
        metadata={"description": "overdue, due (before midnight tonight, local time) or waiting"}
    )


class SelfRoutedAcceptanceSchema(OutputSchema):
    referral_id = fields.Integer()
    reference = fields.String()
    person_id = fields.Integer()
    service_name = fields.String()
    made_by = fields.String()
    accepted_by = fields.String()
    accepted_at = fields.DateTime()
