from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.episodes.enums import (
    AdmissionCondition,
    CareHomeType,
    Day91Outcome,
    EpisodeKind,
    HomelessnessOutcome,
    SupportType,
)

# The fields each kind may carry; anything else given for that kind is an error.
KIND_FIELDS: dict[EpisodeKind, set[str]] = {
    EpisodeKind.GENERAL: set(),
    EpisodeKind.REABLEMENT: {"discharged_on"},
    EpisodeKind.HOSPITAL_ADMISSION: {"is_emergency", "discharge_ready_on", "admission_condition"},
    EpisodeKind.CARE_HOME_ADMISSION: {"care_home_type", "is_permanent", "moved_from_care_home"},
    EpisodeKind.SELF_DIRECTED_SUPPORT: {"support_type"},
    EpisodeKind.HOMELESSNESS_PREVENTION: set(),
}
REQUIRED_FOR_KIND: dict[EpisodeKind, set[str]] = {
    EpisodeKind.REABLEMENT: {"discharged_on"},
    EpisodeKind.CARE_HOME_ADMISSION: {"care_home_type", "is_permanent"},
    EpisodeKind.SELF_DIRECTED_SUPPORT: {"support_type"},
    EpisodeKind.HOSPITAL_ADMISSION: {"is_emergency"},
}
_ALL_KIND_FIELDS = set().union(*KIND_FIELDS.values())


def _not_future(value: dt.date) -> None:
    if value > clock.today():
        raise ma.ValidationError("must be today or in the past")


class StartEpisodeArgs(ArgsSchema):
    kind = fields.Enum(
        EpisodeKind,
        by_value=True,
        allow_none=True,
        load_default=None,
        metadata={"description": "default: what the routing rule says, else general"},
    )
    started_on = fields.Date(required=True, validate=_not_future)
    discharged_on = fields.Date(allow_none=True, validate=_not_future)
    is_emergency = fields.Boolean(allow_none=True)
    discharge_ready_on = fields.Date(allow_none=True)
    admission_condition = fields.Enum(AdmissionCondition, by_value=True, allow_none=True)
    care_home_type = fields.Enum(CareHomeType, by_value=True, allow_none=True)
    is_permanent = fields.Boolean(allow_none=True)
    moved_from_care_home = fields.Boolean(allow_none=True)
    support_type = fields.Enum(SupportType, by_value=True, allow_none=True)

    @ma.validates_schema
    def _fields_fit_the_kind(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("kind")
        if kind is None:
            return  # decided from the routing rule, then checked again
        for name in _ALL_KIND_FIELDS - KIND_FIELDS[kind]:
            if data.get(name) is not None:
                raise ma.ValidationError(f"does not apply to a {kind.value} episode", name)
        for name in REQUIRED_FOR_KIND.get(kind, set()):
            if data.get(name) is None:
                raise ma.ValidationError(f"is required for a {kind.value} episode", name)
        if (
            data.get("discharged_on")
            and data.get("started_on")
            and data["discharged_on"] > data["started_on"]
        ):
            raise ma.ValidationError(
                "must be on or before the day the episode started", "discharged_on"
            )


class EndEpisodeArgs(ArgsSchema):
    ended_on = fields.Date(required=True, validate=_not_future)
    end_reason = text(500, required=True)
    homelessness_outcome = fields.Enum(HomelessnessOutcome, by_value=True, allow_none=True)
    version = fields.Integer(required=True)


class Day91Args(ArgsSchema):
    outcome = fields.Enum(Day91Outcome, by_value=True, required=True)
    outcome_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "the day it happened: required for died, in_hospital and "
            "in_care_home (between the discharge and today); for at_home leave it out "
            "(at_home is dated the day it is recorded, on or after follow_up_due_on)"
        },
    )
    version = fields.Integer(required=True)


class EpisodeSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    service = fields.Function(lambda e: e.service.code)
    service_name = fields.Function(lambda e: e.service.name)
    referral_id = fields.Integer(allow_none=True)
    kind = fields.Enum(EpisodeKind, by_value=True)
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True)
    discharged_on = fields.Date(allow_none=True)
    follow_up_due_on = fields.Date(allow_none=True)
    day91_outcome = fields.Enum(Day91Outcome, by_value=True, allow_none=True)
    day91_outcome_on = fields.Date(allow_none=True)
    is_emergency = fields.Boolean(allow_none=True)
    discharge_ready_on = fields.Date(allow_none=True)
    admission_condition = fields.Enum(AdmissionCondition, by_value=True, allow_none=True)
    care_home_type = fields.Enum(CareHomeType, by_value=True, allow_none=True)
    is_permanent = fields.Boolean(allow_none=True)
    moved_from_care_home = fields.Boolean(allow_none=True)
    support_type = fields.Enum(SupportType, by_value=True, allow_none=True)
    homelessness_outcome = fields.Enum(HomelessnessOutcome, by_value=True, allow_none=True)
    version = fields.Integer()
