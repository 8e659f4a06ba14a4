from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.medicines.enums import MedicineSource, Route


def _not_future(value: dt.date) -> None:
    if value > clock.today():
        raise ma.ValidationError("must be today or in the past")


class MedicineArgs(ArgsSchema):
    name = text(200, required=True)
    dmd_code = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^[0-9]{6,18}$", error="must be a dm+d code: 6 to 18 digits"),
    )
    dose = text(100, required=True, metadata={"description": "for example 500 mg"})
    route = fields.Enum(Route, by_value=True, required=True)
    frequency = text(100, required=True, metadata={"description": "for example twice a day"})
    started_on = fields.Date(required=True, validate=_not_future)
    source = fields.Enum(MedicineSource, by_value=True, required=True)
    confirm_second_course = fields.Boolean(
        load_default=False,
        metadata={
            "description": "true to record a medicine already taken (same dm+d code, or "
            "same name ignoring case and spaces) as a second course; without it: 409"
        },
    )


class StopMedicineArgs(ArgsSchema):
    stopped_on = fields.Date(required=True, validate=_not_future)
    reason = text(500, required=True)
    version = fields.Integer(required=True)


class MedicationReviewArgs(ArgsSchema):
    reviewed_on = fields.Date(required=True, validate=_not_future)
    stopped = fields.List(
        fields.Integer(),
        load_default=list,
        metadata={"description": "ids of medicines the review stopped"},
    )
    changes = text(2000, metadata={"description": "doses or medicines changed"})
    outcome = text(2000, required=True)


class ThresholdArgs(ArgsSchema):
    flag_at = fields.Integer(required=True, validate=validate.Range(min=2, max=50))
    high_at = fields.Integer(required=True, validate=validate.Range(min=3, max=100))
    version = fields.Integer(required=True)

    @ma.validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("flag_at") and data.get("high_at") and data["high_at"] <= data["flag_at"]:
            raise ma.ValidationError("must be more than the polypharmacy threshold", "high_at")


class CountArgs(ArgsSchema):
    on = fields.Date(required=True)
    at_least = fields.Integer(load_default=4, validate=validate.Range(min=1, max=100))


class MedicineSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    name = fields.String()
    dmd_code = fields.String(allow_none=True)
    dose = fields.String()
    route = fields.Enum(Route, by_value=True)
    frequency = fields.String()
    started_on = fields.Date()
    stopped_on = fields.Date(allow_none=True)
    stop_reason = fields.String(allow_none=True)
    source = fields.Enum(MedicineSource, by_value=True)
    recorded_by = fields.Function(lambda m: m.recorded_by.full_name)
    version = fields.Integer()


class MedicationReviewSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    reviewed_on = fields.Date()
    reviewed_by = fields.Function(lambda r: r.reviewed_by.full_name)
    stopped = fields.List(fields.Integer())
    changes = fields.String(allow_none=True)
    outcome = fields.String()


class ThresholdSchema(OutputSchema):
    flag_at = fields.Integer()
    high_at = fields.Integer()
    version = fields.Integer()
    review_tasks_opened = fields.Integer(dump_default=0)


class CountSchema(OutputSchema):
    on = fields.Date()
    at_least = fields.Integer()
    people = fields.Integer()
