from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.safeguarding.enums import (
    AbuseCategory,
    ActionResult,
    Capacity,
    ConcernStatus,
    LackedCapacity,
    MeetingKind,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    Substantiated,
    TriageDecision,
)


def _not_future(value: dt.date) -> None:
    if value > clock.today():
        raise ma.ValidationError("must be today or in the past")


class RaiseConcernArgs(ArgsSchema):
    categories = fields.List(
        fields.Enum(AbuseCategory, by_value=True),
        required=True,
        validate=validate.Length(min=1, error="choose at least one kind of abuse or neglect"),
    )
    what_happened = text(4000, required=True)
    risk_location = fields.Enum(RiskLocation, by_value=True, required=True)
    risk_source = fields.Enum(RiskSource, by_value=True, required=True)
    immediate_actions = text(
        4000, required=True, metadata={"description": "what was done to make the person safe"}
    )
    person_wishes = text(
        2000,
        metadata={"description": "what the person wants to happen (Making Safeguarding Personal)"},
    )
    wishes_not_asked_reason = text(
        2000, metadata={"description": "why the person could not be asked"}
    )
    needs_advocate = fields.Boolean(required=True)
    capacity = fields.Enum(Capacity, by_value=True, required=True)
    capacity_note = text(2000)
    raised_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={"description": "the day the concern was raised, if before today"},
    )


class VersionArgs(ArgsSchema):
    version = fields.Integer(required=True)


class TriageArgs(VersionArgs):
    test_care_and_support_needs = fields.Boolean(required=True)
    test_abuse_or_neglect = fields.Boolean(required=True)
    test_unable_to_protect_self = fields.Boolean(required=True)
    decision = fields.Enum(TriageDecision, by_value=True, required=True)
    decision_reason = text(2000)
    signposting = text(2000)
    decided_on = fields.Date(
        allow_none=True, metadata={"description": "the day of the decision (default today)"}
    )
    started_on = fields.Date(
        allow_none=True,
        metadata={"description": "the day the enquiry started (default the decision's day)"},
    )


class MeetingArgs(ArgsSchema):
    kind = fields.Enum(MeetingKind, by_value=True, required=True)
    held_on = fields.Date(required=True, validate=_not_future)
    notes = text(4000, required=True)


class ActionArgs(ArgsSchema):
    description = text(2000, required=True)
    owner_id = fields.Integer(required=True)
    due_on = fields.Date(required=True)


def _answer(enum_cls, description: str) -> fields.Enum:
    return fields.Enum(
        enum_cls,
        by_value=True,
        allow_none=True,
        load_default=None,
        metadata={"description": description},
    )


_SAC = "required when a section 42 enquiry concludes (Safeguarding Adults Collection, {})"


class ConcludeArgs(VersionArgs):
    """The conclusion. The SAC questions are not marked required here because an 'other'
    enquiry may leave them; a section 42 enquiry must answer them (refused, naming each
    field, otherwise)."""

    action_result = _answer(ActionResult, "action taken and result: " + _SAC.format("SG2c"))
    risk_outcome = _answer(
        RiskOutcome,
        "where a risk was identified and action taken (SAC SG2e); empty where "
        "no risk was identified",
    )
    risk_remains_reason = text(2000)
    lacked_capacity = _answer(
        LackedCapacity, "did the person lack capacity: " + _SAC.format("SG3a")
    )
    capacity_support = fields.Boolean(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "if they lacked capacity: supported by an advocate, family member "
            "or friend (SAC SG3a); empty otherwise"
        },
    )
    msp_asked = _answer(
        MspAsked,
        "asked what outcomes they wanted: " + _SAC.format("SG4a, Making Safeguarding Personal"),
    )
    outcomes_achieved = _answer(
        OutcomesAchieved,
        "if outcomes were expressed: were they achieved (SAC SG4a); empty otherwise",
    )
    substantiated = _answer(Substantiated, "the finding asked before SAC (optional)")
    conclusion = text(4000)
    closed_on = fields.Date(
        required=True, metadata={"description": "the day the enquiry concluded"}
    )


class RiskArgs(VersionArgs):
    """A risk the enquiry looks into; version is the enquiry's."""

    risk_type = fields.Enum(AbuseCategory, by_value=True, required=True)
    risk_location = fields.Enum(RiskLocation, by_value=True, required=True)
    risk_source = fields.Enum(
        RiskSource,
        by_value=True,
        required=True,
        metadata={"description": "one of SAC's three sources ('unknown' is refused)"},
    )


class ShareSummaryArgs(VersionArgs):
    shared_summary = text(
        2000, metadata={"description": "what the workers who own an action may read"}
    )


class FiguresArgs(ArgsSchema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @ma.validates_schema
    def _in_order(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ma.ValidationError("must be on or after start", "end")


class ConcernStatusSchema(OutputSchema):
    """What the worker who raised a concern sees: that it is being dealt with."""

    id = fields.Integer()
    reference = fields.String()
    person_id = fields.Integer()
    raised_at = fields.DateTime()
    status = fields.Enum(ConcernStatus, by_value=True)


class ActionSchema(OutputSchema):
    id = fields.Integer()
    enquiry_id = fields.Integer()
    description = fields.String()
    owner_id = fields.Integer()
    owner = fields.Function(lambda a: a.owner.full_name)
    due_on = fields.Date()
    done_at = fields.DateTime(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    version = fields.Integer()


class EnquiryRiskSchema(OutputSchema):
    id = fields.Integer()
    risk_type = fields.Enum(AbuseCategory, by_value=True)
    risk_location = fields.Enum(RiskLocation, by_value=True)
    risk_source = fields.Enum(RiskSource, by_value=True)


class MeetingSchema(OutputSchema):
    id = fields.Integer()
    kind = fields.Enum(MeetingKind, by_value=True)
    held_on = fields.Date()
    notes = fields.String()


class EnquirySchema(OutputSchema):
    id = fields.Integer()
    concern_id = fields.Integer()
    person_id = fields.Integer()
    is_section_42 = fields.Boolean()
    lead_id = fields.Integer()
    started_on = fields.Date()
    shared_summary = fields.String(allow_none=True)
    status = fields.String(attribute="status.value")
    substantiated = fields.Enum(Substantiated, by_value=True, allow_none=True)
    action_result = fields.Enum(ActionResult, by_value=True, allow_none=True)
    risk_outcome = fields.Enum(RiskOutcome, by_value=True, allow_none=True)
    risk_remains_reason = fields.String(allow_none=True)
    lacked_capacity = fields.Enum(LackedCapacity, by_value=True, allow_none=True)
    capacity_support = fields.Boolean(allow_none=True)
    msp_asked = fields.Enum(MspAsked, by_value=True, allow_none=True)
    outcomes_achieved = fields.Enum(OutcomesAchieved, by_value=True, allow_none=True)
    conclusion = fields.String(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    concluded_at = fields.DateTime(allow_none=True)
    risks = fields.List(fields.Nested(EnquiryRiskSchema))
    meetings = fields.List(fields.Nested(MeetingSchema))
    actions = fields.List(fields.Nested(ActionSchema))
    version = fields.Integer()


class EnquiryBriefSchema(OutputSchema):
    """What an action's owner reads: who leads, what the lead chose to share, and the
    owner's own actions; never the concern's detail."""

    id = fields.Integer()
    concern_id = fields.Integer()
    reference = fields.Function(lambda e: e.concern.reference)
    person_id = fields.Integer()
    lead = fields.Function(lambda e: e.lead.full_name)
    started_on = fields.Date()
    status = fields.String(attribute="status.value")
    shared_summary = fields.String(allow_none=True)
    actions = fields.Method("_own_actions")

    def __init__(self, *, owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owner_id = owner_id

    def _own_actions(self, enquiry: Any) -> list:
        own = [a for a in enquiry.actions if a.owner_id == self.owner_id]
        return ActionSchema(many=True).dump(own)


class ConcernSchema(ConcernStatusSchema):
    """The whole concern: safeguarding leads and the enquiry's workers only."""

    raised_by = fields.Function(lambda c: c.raised_by.full_name)
    raised_on = fields.Date()
    categories = fields.List(fields.String())
    what_happened = fields.String()
    risk_location = fields.Enum(RiskLocation, by_value=True)
    risk_source = fields.Enum(RiskSource, by_value=True)
    immediate_actions = fields.String()
    person_wishes = fields.String(allow_none=True)
    wishes_not_asked_reason = fields.String(allow_none=True)
    needs_advocate = fields.Boolean()
    capacity = fields.Enum(Capacity, by_value=True)
    capacity_note = fields.String(allow_none=True)
    triage_due_at = fields.DateTime()
    lead_id = fields.Integer(allow_none=True)
    test_care_and_support_needs = fields.Boolean(allow_none=True)
    test_abuse_or_neglect = fields.Boolean(allow_none=True)
    test_unable_to_protect_self = fields.Boolean(allow_none=True)
    decision = fields.Enum(TriageDecision, by_value=True, allow_none=True)
    decision_reason = fields.String(allow_none=True)
    signposting = fields.String(allow_none=True)
    triaged_at = fields.DateTime(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    enquiry = fields.Nested(EnquirySchema, allow_none=True)
    version = fields.Integer()


class QueueEntrySchema(OutputSchema):
    state = fields.String()
    concern = fields.Nested(ConcernSchema)


class FiguresSchema(OutputSchema):
    period = fields.Dict()
    concerns_raised = fields.Integer()
    to_section_42_enquiry = fields.Integer()
    percent_to_section_42_enquiry = fields.Float(allow_none=True)
    percent_triaged_on_time = fields.Float(allow_none=True)
    risk_in_community = fields.Integer()
    risk_in_care_homes = fields.Integer()
    percent_community = fields.Float(allow_none=True)
    section_42_enquiries_completed = fields.Integer()
    risk_outcome = fields.Dict()
    percent_risk_reduced_or_removed = fields.Float(allow_none=True)
    desired_outcomes = fields.Dict()
    percent_outcomes_fully_or_partly_achieved = fields.Float(allow_none=True)
