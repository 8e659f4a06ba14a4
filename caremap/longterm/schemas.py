"""What a page's form or a JSON body may give (Args) and what the API answers (Schema).

Coded fields take the CLD Release 2 text exactly (lists.OneOfList). The rules CLD applies
to a whole event (an outcome once ended, costs on a long-term service not commissioned by
the council, outcomes achieved on a planned review) are checked here, so an event on the
record is an event the return can send.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.lists import OneOfList, nhs_dd_ethnic_code, starts_planned

# CQC location IDs are "1-" and digits (e.g. 1-101669457): the CQC public API's locationId.
CQC_LOCATION_ID = r"^1-\d{6,12}$"
# CLD asks for costs on these services unless the council commissions them (standards.md §1.3).
COSTED_SERVICE_TYPES = ("Long term support:", "Unpaid carer support:")
COSTED_COMPONENTS = {
    "Short term residential care",
    "Short term nursing care",
    "Unpaid carer respite",
}
COMMISSIONED = "CASSR commissioned support"


def _not_future(value: dt.date) -> None:
    if value > clock.today():
        raise ma.ValidationError("must be today or in the past")


def coded(name: str, *, required: bool = False) -> fields.String:
    return fields.String(
        required=required,
        allow_none=not required,
        validate=OneOfList(name),
        metadata={"description": f"a value of seed/cld/{name}.json, exactly (CLD Release 2)"},
    )


def amount(places: int, low: int, high: int) -> fields.Decimal:
    """An exact amount (hours, units, pounds) between low and high. The bounds are checked
    here, not by a Range validator, so the OpenAPI document states them as plain numbers."""

    def between(value: Any) -> None:
        if not low <= value <= high:
            raise ma.ValidationError(f"must be between {low} and {high}")

    return fields.Decimal(
        allow_none=True,
        places=places,
        as_string=False,
        validate=between,
        metadata={"minimum": low, "maximum": high},
    )


# Warwick-Edinburgh Mental Wellbeing Scale: 14 items scored 1-5, summed, so 14 to 70
# (warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto). The short form
# SWEMWBS (7 items, 7 to 35, transformed) is a different scale: not accepted here.
WEMWBS_LOWEST, WEMWBS_HIGHEST = 14, 70


def wemwbs() -> fields.Integer:
    return fields.Integer(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(
            min=WEMWBS_LOWEST,
            max=WEMWBS_HIGHEST,
            error=f"must be a WEMWBS total, {WEMWBS_LOWEST} to {WEMWBS_HIGHEST}"
            " (the 14-item scale; the short SWEMWBS is not accepted)",
        ),
        metadata={"description": "Warwick-Edinburgh Mental Wellbeing Scale total, 14-70"},
    )


def _when(required: bool = False) -> fields.Date:
    return fields.Date(required=required, allow_none=not required, validate=_not_future)


def _ended_needs_outcome(data: dict[str, Any]) -> None:
    started, ended = data.get("started_on"), data.get("ended_on")
    if started and ended and ended < started:
        raise ma.ValidationError("must be on or after the start date", "ended_on")
    if ended and not data.get("outcome"):
        raise ma.ValidationError(
            "is required once the event has ended (CLD Event Outcome)", "outcome"
        )
    if data.get("outcome") and not ended:
        raise ma.ValidationError("is given when the event ends: give the end date too", "outcome")


class ProfileArgs(ArgsSchema):
    client_type = coded("client_type")
    primary_support_reason = coded("primary_support_reason")
    accommodation_status = coded("accommodation_status")
    employment_status = coded("employment_status")
    ethnicity = coded("ethnicity")
    visual_impairment = coded("impairment")
    hearing_impairment = coded("impairment")
    dementia = fields.Boolean(allow_none=True, load_default=None)
    autism = fields.Boolean(allow_none=True, load_default=None)
    has_unpaid_carer = fields.Boolean(allow_none=True, load_default=None)
    client_funding_status = coded("client_funding_status")
    version = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "the profile's version as read; leave out for a first profile"},
    )


class _AssessmentFields(ArgsSchema):
    assessment_type = coded("assessment_type", required=True)
    method = coded("method_of_assessment", required=True)
    eligible_needs_identified = fields.Boolean(allow_none=True, load_default=None)
    started_on = _when(required=True)
    ended_on = _when()
    outcome = coded("event_outcome")
    description = text(2000)
    referral_id = fields.Integer(allow_none=True)
    hours_caring_per_week = amount(1, 0, 168)
    adults_cared_for = fields.Integer(
        allow_none=True, validate=ma.validate.Range(min=1, max=20, error="must be 1 to 20")
    )
    cared_for_person_id = fields.Integer(allow_none=True)
    wemwbs_score = wemwbs()

    CARER_FIELDS = ("hours_caring_per_week", "adults_cared_for", "cared_for_person_id")

    def _kind(self, data: dict[str, Any]) -> AssessmentKind | None:
        return data.get("kind")

    @ma.validates_schema
    def _whole_event(self, data: dict[str, Any], **_: Any) -> None:
        _ended_needs_outcome(data)
        kind = self._kind(data)
        if kind == AssessmentKind.NEEDS:
            for name in self.CARER_FIELDS:
                if data.get(name) is not None:
                    raise ma.ValidationError("applies to a carer's assessment only", name)


class RecordAssessmentArgs(_AssessmentFields):
    kind = fields.Enum(AssessmentKind, by_value=True, required=True)


class _WholeEvent(ArgsSchema):
    """An edit gives the whole event again (as the page's form does): a field left out is
    blank, so the stored event always passes the rules above as a whole."""

    @ma.post_load
    def _every_field(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {name: data.get(name) for name in self.load_fields}


class UpdateAssessmentArgs(_AssessmentFields, _WholeEvent):
    """The kind stays as recorded; the operation checks the carer fields against it."""

    version = fields.Integer(required=True)


class _PackageFields(ArgsSchema):
    service_type = coded("service_type", required=True)
    service_component = coded("service_component", required=True)
    delivery_mechanism = coded("delivery_mechanism")
    provider_name = text(200)
    provider_cqc_location_id = fields.String(
        allow_none=True,
        validate=ma.validate.Regexp(
            CQC_LOCATION_ID, error="must be a CQC location ID: 1- and digits, like 1-101669457"
        ),
    )
    started_on = fields.Date(required=True)  # a planned package may start later
    ended_on = fields.Date(allow_none=True)
    outcome = coded("event_outcome")
    planned_units_per_week = amount(2, 0, 1000)
    unit_cost = amount(2, 0, 100_000)
    cost_frequency = coded("cost_frequency")
    funded_by = coded("client_funding_status")
    description = text(2000)
    assessment_id = fields.Integer(allow_none=True)

    @ma.validates_schema
    def _whole_event(self, data: dict[str, Any], **_: Any) -> None:
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            raise ma.ValidationError("must be on or after the start date", "ended_on")
        if ended and ended > clock.today():
            raise ma.ValidationError("must be today or in the past", "ended_on")
        if ended and not data.get("outcome"):
            raise ma.ValidationError(
                "is required once the service has ended (CLD Event Outcome)", "outcome"
            )
        if data.get("outcome") and not ended:
            raise ma.ValidationError(
                "is given when the service ends: give the end date too", "outcome"
            )
        if costs_required(data):
            for name in ("unit_cost", "cost_frequency", "planned_units_per_week"):
                if data.get(name) is None:
                    raise ma.ValidationError(
                        "is required for this service unless the council commissions it "
                        "(CLD costs module)",
                        name,
                    )


def costs_required(data: dict[str, Any]) -> bool:
    """CLD's rule for the costs module: long-term, carer and short-term residential or nursing
    services carry unit cost, frequency and planned units unless the council commissions them."""
    if data.get("delivery_mechanism") == COMMISSIONED:
        return False
    service_type = data.get("service_type") or ""
    return (
        service_type.startswith(COSTED_SERVICE_TYPES)
        or data.get("service_component") in COSTED_COMPONENTS
    )


class RecordPackageArgs(_PackageFields):
    pass


class UpdatePackageArgs(_PackageFields, _WholeEvent):
    version = fields.Integer(required=True)


class _ReviewFields(ArgsSchema):
    review_reason = coded("review_reason", required=True)
    method = coded("method_of_review", required=True)
    outcomes_achieved = coded("review_outcomes_achieved")
    started_on = _when(required=True)
    ended_on = _when()
    outcome = coded("event_outcome")
    description = text(2000)
    care_package_id = fields.Integer(allow_none=True)
    wemwbs_score = wemwbs()

    @ma.validates_schema
    def _whole_event(self, data: dict[str, Any], **_: Any) -> None:
        _ended_needs_outcome(data)
        _planned_review_outcomes(data)


def _planned_review_outcomes(data: dict[str, Any]) -> None:
    reason = data.get("review_reason")
    if (
        reason
        and data.get("ended_on")
        and starts_planned(reason)
        and not data.get("outcomes_achieved")
    ):
        raise ma.ValidationError(
            "is required when a planned review ends (CLD Review Outcomes Achieved)",
            "outcomes_achieved",
        )


class RecordReviewArgs(_ReviewFields):
    pass


class UpdateReviewArgs(_ReviewFields, _WholeEvent):
    version = fields.Integer(required=True)


class EndEventArgs(ArgsSchema):
    ended_on = _when(required=True)
    outcome = coded("event_outcome", required=True)
    version = fields.Integer(required=True)


class EndReviewArgs(EndEventArgs):
    outcomes_achieved = coded("review_outcomes_achieved")


def exact_text() -> fields.Decimal:
    """An amount answered as its exact text ("24.50"), as a string in the document too."""
    return fields.Decimal(
        allow_none=True,
        as_string=True,
        metadata={"type": "string", "format": "decimal", "example": "24.50"},
    )


class ProfileSchema(OutputSchema):
    person_id = fields.Integer()
    client_type = fields.String(allow_none=True)
    primary_support_reason = fields.String(allow_none=True)
    accommodation_status = fields.String(allow_none=True)
    employment_status = fields.String(allow_none=True)
    ethnicity = fields.String(allow_none=True)
    ethnicity_nhs_dd_code = fields.Function(
        lambda p: nhs_dd_ethnic_code(p.ethnicity),
        metadata={"description": "the NHS Data Dictionary ethnic category code of ethnicity"},
    )
    visual_impairment = fields.String(allow_none=True)
    hearing_impairment = fields.String(allow_none=True)
    dementia = fields.Boolean(allow_none=True)
    autism = fields.Boolean(allow_none=True)
    has_unpaid_carer = fields.Boolean(allow_none=True)
    client_funding_status = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    version = fields.Integer(allow_none=True)


class _EventSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    outcome = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    created_at = fields.DateTime()
    version = fields.Integer()


class AssessmentSchema(_EventSchema):
    event_type = fields.Constant("Assessment", metadata={"description": "the CLD Event Type"})
    kind = fields.Enum(AssessmentKind, by_value=True)
    assessment_type = fields.String()
    method = fields.String()
    eligible_needs_identified = fields.Boolean(allow_none=True)
    referral_id = fields.Integer(allow_none=True)
    hours_caring_per_week = exact_text()
    adults_cared_for = fields.Integer(allow_none=True)
    cared_for_person_id = fields.Integer(allow_none=True)
    wemwbs_score = fields.Integer(allow_none=True)


class PackageSchema(_EventSchema):
    event_type = fields.Constant("Service", metadata={"description": "the CLD Event Type"})
    service_type = fields.String()
    service_component = fields.String()
    delivery_mechanism = fields.String(allow_none=True)
    provider_name = fields.String(allow_none=True)
    provider_cqc_location_id = fields.String(allow_none=True)
    planned_units_per_week = exact_text()
    unit_cost = exact_text()
    cost_frequency = fields.String(allow_none=True)
    funded_by = fields.String(allow_none=True)
    assessment_id = fields.Integer(allow_none=True)
    episode_id = fields.Integer(allow_none=True)


class ReviewSchema(_EventSchema):
    event_type = fields.Constant("Review", metadata={"description": "the CLD Event Type"})
    review_reason = fields.String()
    planned = fields.Function(lambda r: starts_planned(r.review_reason))
    method = fields.String()
    outcomes_achieved = fields.String(allow_none=True)
    care_package_id = fields.Integer(allow_none=True)
    wemwbs_score = fields.Integer(allow_none=True)
