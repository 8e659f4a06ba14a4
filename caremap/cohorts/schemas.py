from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.people.schemas import _not_in_future


class NeedsAssessmentArgs(ArgsSchema):
    assessed_on = fields.Date(required=True, validate=_not_in_future)
    homelessness = fields.Boolean(required=True)
    substance_misuse = fields.Boolean(required=True)
    offending = fields.Boolean(required=True)
    mental_health = fields.Boolean(required=True)
    domestic_abuse = fields.Boolean(required=True)
    engagement = fields.Enum(Engagement, by_value=True, required=True)
    stability = fields.Enum(Stability, by_value=True, required=True)
    override_cohort = fields.Enum(Cohort, by_value=True, allow_none=True, load_default=None)
    override_reason = text(2000)

    @ma.validates_schema
    def _override_has_a_reason(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("override_cohort") and not data.get("override_reason"):
            raise ma.ValidationError(
                "give the reason for overriding the derived cohort", "override_reason"
            )


class NeedsAssessmentSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    assessed_on = fields.Date()
    assessed_by = fields.Function(lambda a: a.assessed_by.full_name)
    homelessness = fields.Boolean()
    substance_misuse = fields.Boolean()
    offending = fields.Boolean()
    mental_health = fields.Boolean()
    domestic_abuse = fields.Boolean()
    engagement = fields.Enum(Engagement, by_value=True)
    stability = fields.Enum(Stability, by_value=True)
    derived_cohort = fields.Enum(Cohort, by_value=True, allow_none=True)
    override_cohort = fields.Enum(Cohort, by_value=True, allow_none=True)
    override_reason = fields.String(allow_none=True)
    cohort = fields.Function(lambda a: a.cohort.value if a.cohort else None)


class CohortCountsSchema(OutputSchema):
    core = fields.Integer()
    edge = fields.Integer()
    stable = fields.Integer()
