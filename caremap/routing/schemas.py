"""A routing rule's format: seed/routing_rules.json and the admin page both load through it."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.routing.enums import ReferralSource, Urgency

_CODE = validate.Regexp(
    r"^[a-z0-9][a-z0-9_]{1,59}$", error="must be lower case letters, digits or _"
)
_CODES = fields.List(fields.String(validate=_CODE))
_AREA = validate.Regexp(
    r"^[A-Z]{1,2}[0-9][0-9A-Z]?$", error="must be a postcode district, like PL4"
)


def _in_order(data: dict[str, Any], low: str, high: str) -> None:
    """Refuse a lower bound above its upper one: the rule could never match."""
    if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
        raise ma.ValidationError(f"must not be more than {high}", low)


class NeedsCountArgs(ArgsSchema):
    codes = fields.List(
        fields.String(validate=_CODE), required=True, validate=validate.Length(min=1)
    )
    min = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0))
    max = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=0))

    @ma.validates_schema
    def _bounded(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("min") is None and data.get("max") is None:
            raise ma.ValidationError("give min, max or both", "min")
        _in_order(data, "min", "max")


class ConditionsArgs(ArgsSchema):
    needs_any = _CODES
    needs_all = _CODES
    needs_count = fields.Nested(NeedsCountArgs)
    urgency_in = fields.List(fields.String(validate=validate.OneOf([u.value for u in Urgency])))
    sources_any = fields.List(
        fields.String(validate=validate.OneOf([s.value for s in ReferralSource]))
    )
    age_min = fields.Integer(validate=validate.Range(min=0, max=120))
    age_max = fields.Integer(validate=validate.Range(min=0, max=120))
    areas_any = fields.List(fields.String(validate=_AREA))
    open_service_any = _CODES
    no_open_service_any = _CODES

    @ma.validates_schema
    def _something_to_match(self, data: dict[str, Any], **_: Any) -> None:
        if not any(data.get(k) for k in ("needs_any", "needs_all", "needs_count")):
            raise ma.ValidationError(
                "a rule must match on needs: give needs_any, needs_all or needs_count", "needs_any"
            )
        _in_order(data, "age_min", "age_max")


class ActionsArgs(ArgsSchema):
    follow_up_days = fields.Integer(
        validate=validate.Range(min=1, max=365),
        metadata={
            "description": "schedule a follow-up this many days after discharge (reablement: 91)"
        },
    )
    episode_kind = fields.String(
        metadata={"description": "the kind of episode accepting the referral starts"}
    )
    allocate_key_worker = fields.Boolean()


class RoutingRuleArgs(ArgsSchema):
    code = fields.String(required=True, validate=_CODE)
    name = text(160, required=True)
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    priority = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000))
    conditions = fields.Nested(ConditionsArgs, required=True)
    targets = fields.List(
        fields.String(validate=_CODE), required=True, validate=validate.Length(min=1)
    )
    actions = fields.Nested(ActionsArgs, load_default=dict)
    is_active = fields.Boolean(load_default=True)


class RoutingRuleSetArgs(ArgsSchema):
    source = fields.String(load_default="")
    rules = fields.List(fields.Nested(RoutingRuleArgs), required=True)


class RoutingRuleSchema(OutputSchema):
    id = fields.Integer()
    code = fields.String()
    version = fields.Integer()
    name = fields.String()
    description = fields.String()
    priority = fields.Integer()
    conditions = fields.Dict()
    targets = fields.List(fields.String())
    actions = fields.Dict()
    is_active = fields.Boolean()
    created_at = fields.DateTime()
