"""The published contracts besides the OpenAPI document: a JSON Schema for each import
format and each export format. `caremap export-schemas` writes them to schemas/; a test
regenerates them in memory and fails if the committed files differ.

Each is derived from the code that reads or writes the format (the import Args, the
indicator export's columns and IndicatorSchema), so the contract cannot drift from it.
"""

from __future__ import annotations

import json
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from caremap.imports.formats import events_json_schema, people_json_schema
from caremap.indicators.exports import COLUMNS as INDICATOR_COLUMNS
from caremap.indicators.schemas import IndicatorSchema

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://caremap.example/schemas/"


def _converted(schema: Any) -> dict[str, Any]:
    spec = APISpec("caremap exports", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    return spec.plugins[0].converter.schema2jsonschema(schema)


def _indicator_row() -> dict[str, Any]:
    properties = _converted(IndicatorSchema)["properties"]
    properties["period_label"] = {"type": "string"}
    return {
        "type": "object",
        "properties": {column: properties[column] for column in INDICATOR_COLUMNS},
        "required": ["code", "name", "framework", "period", "period_start", "period_end"],
        "additionalProperties": False,
    }


def indicators_csv_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": BASE + "export-indicators-csv.schema.json",
        "title": "caremap indicator export, CSV or Excel (one row)",
        "description": "One row per indicator; the CSV's first line names the columns in this "
        "order: " + ", ".join(INDICATOR_COLUMNS) + ". An empty cell is no figure. Figures are "
        "rounded as the pages show them (one decimal place). The Excel sheet 'Indicators' "
        "opens with a title block (indicator set, period, filters, when produced, by whom) "
        "and a blank row; its header row then gives the same columns in words, and unit, "
        "rag and higher_is_better in words ('%', 'Green', 'Yes').",
        **_indicator_row(),
    }


def indicators_json_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": BASE + "export-indicators-json.schema.json",
        "title": "caremap indicator export, JSON",
        "type": "object",
        "properties": {
            "period": {"type": ["string", "null"]},
            "period_label": {"type": ["string", "null"]},
            "period_start": {"type": ["string", "null"], "format": "date"},
            "period_end": {"type": ["string", "null"], "format": "date"},
            "indicators": {
                "type": "array",
                "items": {**_indicator_row(), "additionalProperties": True},
            },
        },
        "required": ["period", "indicators"],
    }


def import_problems_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": BASE + "export-import-problems.schema.json",
        "title": "caremap import error report, CSV (one row)",
        "description": "One row per problem of a row not imported; the first line names the "
        "columns: line, field, reason. `field` is _row when the row as a whole is wrong.",
        "type": "object",
        "properties": {
            "line": {"type": "integer", "minimum": 2},
            "field": {"type": "string"},
            "reason": {"type": "string"},
        },
        "required": ["line", "field", "reason"],
        "additionalProperties": False,
    }


def published_schemas() -> dict[str, dict[str, Any]]:
    """File name in schemas/ -> JSON Schema (openapi.json is written beside them)."""
    return {
        "import-people.schema.json": people_json_schema(),
        "import-events.schema.json": events_json_schema(),
        "export-indicators-csv.schema.json": indicators_csv_schema(),
        "export-indicators-json.schema.json": indicators_json_schema(),
        "export-import-problems.schema.json": import_problems_schema(),
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
