"""Indicator inputs (query strings, snapshot and population bodies) and outputs."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core.errors import DomainError
from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.indicators.periods import Period, parse_period
from caremap.indicators.queries import check_filters
from caremap.indicators.results import Filters

FORMATS = ("csv", "xlsx", "json", "fhir")


class PeriodField(fields.String):
    """'2025-26' (financial year), '2025-26-Q3' (its quarter; the calendar '2025-Q4' is
    read too) or '2025-10', loaded as a Period."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Period:
        code = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_period(code)
        except DomainError as error:
            raise ma.ValidationError(error.message) from None

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value.code if isinstance(value, Period) else value


# Codes as the catalogue writes them (caremap/catalogue/schemas.py).
_CODE = ma.validate.Regexp(r"^[a-z0-9][a-z0-9_-]{1,59}$", error="must be a code like urgent_care")


class IndicatorFilterArgs(ArgsSchema):
    period = PeriodField(
        load_default=None,
        metadata={
            "description": "2025-26 (financial year), 2025-26-Q3 (its third quarter, "
            "October–December 2025; the calendar form 2025-Q4 is read too) or 2025-10; "
            "default: the last complete financial year"
        },
    )
    strand = text(40, validate=_CODE, metadata={"description": "a strand code, e.g. urgent_care"})
    service = text(
        60, validate=_CODE, metadata={"description": "a service code from the catalogue"}
    )
    area = text(
        9,
        validate=ma.validate.Regexp(r"^[A-Z][0-9]{8}$", error="must be an ONS area code"),
        metadata={"description": "an area's ONS code, e.g. E06000026"},
    )

    @ma.validates_schema
    def _filters_exist(self, data: dict[str, Any], **_: Any) -> None:
        try:
            check_filters(Filters.from_args(data))
        except DomainError as error:
            raise ma.ValidationError(error.message, error.field) from None


class IndicatorFiguresArgs(IndicatorFilterArgs):
    live = fields.Boolean(
        load_default=False,
        metadata={"description": "compute now even when a snapshot of the period is stored"},
    )


class IndicatorDetailArgs(IndicatorFilterArgs):
    trend = fields.String(load_default="quarter", validate=validate.OneOf(("month", "quarter")))


class IndicatorPeopleArgs(IndicatorFilterArgs):
    part = fields.String(
        load_default="denominator", validate=validate.OneOf(("numerator", "denominator"))
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class IndicatorExportArgs(IndicatorFilterArgs):
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))


class SnapshotArgs(IndicatorFilterArgs):
    period = PeriodField(required=True)
    label = text(200)


class SnapshotQueryArgs(ArgsSchema):
    changes = fields.Boolean(load_default=False)


class SnapshotListArgs(ArgsSchema):
    period = PeriodField(load_default=None)


class PopulationArgs(ArgsSchema):
    population = fields.Integer(
        required=True, validate=validate.Range(min=0, error="must be 0 or more")
    )
    source = text(500, required=True)
    version = fields.Integer(required=True)


# ---- output ----------------------------------------------------------------------


class ComparatorFigureSchema(OutputSchema):
    value = fields.Float()
    label = fields.String()
    source = fields.String()


class IndicatorDefinitionSchema(OutputSchema):
    code = fields.String()
    name = fields.String()
    framework = fields.String()
    strand = fields.String()
    cohort = fields.String()
    numerator = fields.String()
    denominator = fields.String()
    unit = fields.String()
    higher_is_better = fields.Boolean(allow_none=True)
    comparator = fields.Nested(ComparatorFigureSchema, allow_none=True)
    baseline = fields.Nested(ComparatorFigureSchema, allow_none=True)
    filters = fields.List(fields.String())


class IndicatorSchema(OutputSchema):
    code = fields.String()
    name = fields.String()
    framework = fields.String()
    unit = fields.String()
    period = fields.String()
    period_start = fields.String()
    period_end = fields.String()
    value = fields.Float(allow_none=True)
    value_text = fields.String(metadata={"description": "the value as the pages write it"})
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    rag = fields.String(allow_none=True, metadata={"description": "green, amber, red or null"})
    higher_is_better = fields.Boolean(allow_none=True)
    comparator = fields.Float(allow_none=True)
    comparator_label = fields.String(allow_none=True)
    baseline = fields.Float(allow_none=True)
    baseline_label = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class IndicatorFiguresSchema(OutputSchema):
    period = fields.String()
    period_label = fields.String()
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    source = fields.String(
        metadata={
            "description": "snapshot (a board's frozen figures), stored (a closed period's "
            "figures stored by close-periods), live (computed: the open period's are kept "
            "up to a minute), or mixed (stored, and live for indicators not stored yet)"
        }
    )
    snapshot_id = fields.Integer(allow_none=True)
    computed_at = fields.DateTime(
        allow_none=True,
        metadata={
            "description": "when the figures were computed: the snapshot's moment, else the "
            "oldest stored or live figure's"
        },
    )
    indicators = fields.List(fields.Nested(IndicatorSchema))


class IndicatorDetailSchema(OutputSchema):
    definition = fields.Nested(IndicatorDefinitionSchema)
    indicator = fields.Nested(IndicatorSchema)
    trend = fields.List(fields.Nested(IndicatorSchema))


class IndicatorPersonSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()


class DrillDownSchema(OutputSchema):
    code = fields.String()
    period = fields.String()
    part = fields.String()
    total = fields.Integer(metadata={"description": "everyone behind the figure"})
    related_total = fields.Integer(metadata={"description": "those you have a relationship with"})
    others = fields.Integer(metadata={"description": "the rest: a count only"})
    page = fields.Integer()
    pages = fields.Integer()
    people = fields.List(fields.Nested(IndicatorPersonSchema))


class IndicatorMovedSchema(OutputSchema):
    count = fields.Integer()
    people = fields.List(
        fields.Nested(IndicatorPersonSchema),
        metadata={"description": "named only when you have a relationship with them"},
    )


class SnapshotChangeSchema(OutputSchema):
    code = fields.String()
    name = fields.String()
    before = fields.Dict()
    after = fields.Dict()
    added_to_numerator = fields.Nested(IndicatorMovedSchema)
    removed_from_numerator = fields.Nested(IndicatorMovedSchema)
    added_to_denominator = fields.Nested(IndicatorMovedSchema)
    removed_from_denominator = fields.Nested(IndicatorMovedSchema)


class SnapshotSchema(OutputSchema):
    id = fields.Integer()
    period = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    label = fields.String(allow_none=True)
    computed_at = fields.DateTime()
    computed_by = fields.String(allow_none=True)
    indicators = fields.List(fields.Nested(IndicatorSchema))
    changes = fields.List(
        fields.Nested(SnapshotChangeSchema),
        metadata={"description": "with ?changes=1: what differs now, and who moved it"},
    )


class SnapshotSummarySchema(OutputSchema):
    id = fields.Integer()
    period = fields.String()
    filters = fields.Dict(keys=fields.String(), values=fields.String())
    label = fields.String(allow_none=True)
    computed_at = fields.DateTime()
    computed_by = fields.String(allow_none=True)


class IndicatorDashboardArgs(IndicatorFilterArgs):
    trend = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(("month", "quarter"))
    )
