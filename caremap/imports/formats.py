"""The import file formats: their columns, how a row is validated, and their JSON Schemas.

A row is validated by the very Args the app's own pages use (people.schemas.IdentityFields,
episodes' StartEpisodeArgs, medicines' MedicineArgs ...), so an imported row meets the
same rules as one typed in; the columns only this format has (the source system and its
identifiers, an event's kind) are declared here. The published JSON Schemas
(schemas/import-*.schema.json, written by `caremap export-schemas`) are derived from the
same Args, so the contract cannot drift from the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from caremap.core.schemas import ArgsSchema, text
from caremap.episodes.enums import Day91Outcome
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.medicines.schemas import MedicineArgs
from caremap.people.schemas import IdentityFields
from caremap.referrals.schemas import ReferralArgs
from caremap.safeguarding.schemas import RaiseConcernArgs

LIST_SEPARATOR = ";"  # a cell holding a list (needs, categories): values split on it
SOURCE_SYSTEM = "source_system"
SOURCE_ID = "source_id"
SOURCE_DESCRIPTION = {
    SOURCE_SYSTEM: "the system the row comes from, as a URI or a name that stays the same "
    "between extracts (e.g. urn:example:council:case-system)",
    SOURCE_ID: "the person's identifier in that system: kept on the person, so the same "
    "row imported again changes nothing",
}


class SourceFields(ArgsSchema):
    source_system = text(
        200, required=True, metadata={"description": SOURCE_DESCRIPTION[SOURCE_SYSTEM]}
    )
    source_id = text(100, required=True, metadata={"description": SOURCE_DESCRIPTION[SOURCE_ID]})


class PersonRow(SourceFields, IdentityFields):
    """One person of an extract: the source identifiers and the identity the app keeps."""


class EventFields(SourceFields):
    """What every event row has: whose it is (the person's source identifiers) and its own
    identifier. Its kind (the `kind` column) picks the Args the rest is checked by."""

    event_id = text(
        100,
        required=True,
        metadata={"description": "the event's own identifier in the source system (idempotence)"},
    )


class ReferralEvent(EventFields):
    """A referral as received (ReferralArgs), routed by the rules in force."""

    source = ReferralArgs._declared_fields["source"]
    referrer_name = ReferralArgs._declared_fields["referrer_name"]
    referrer_organisation = ReferralArgs._declared_fields["referrer_organisation"]
    referrer_contact = ReferralArgs._declared_fields["referrer_contact"]
    needs = ReferralArgs._declared_fields["needs"]
    details = ReferralArgs._declared_fields["details"]
    urgency = ReferralArgs._declared_fields["urgency"]
    consent_to_share = ReferralArgs._declared_fields["consent_to_share"]
    received_at = fields.AwareDateTime(
        required=True, metadata={"description": "when it was received (ISO 8601 with offset)"}
    )


class EpisodeEvent(EventFields, StartEpisodeArgs):
    """An episode of care (StartEpisodeArgs), ended and followed up where the row says so."""

    service = text(40, required=True, metadata={"description": "the service's code"})
    ended_on = fields.Date(allow_none=True)
    end_reason = text(500)
    day91_outcome = fields.Enum(Day91Outcome, by_value=True, allow_none=True)
    day91_outcome_on = fields.Date(allow_none=True)

    @ma.validates_schema
    def _ending_has_reason(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("ended_on") and not data.get("end_reason"):
            raise ma.ValidationError("is required when ended_on is given", "end_reason")


class MedicineEvent(EventFields, MedicineArgs):
    """A medicine (MedicineArgs), stopped where the row says so."""

    stopped_on = fields.Date(allow_none=True)
    stop_reason = text(500)

    @ma.validates_schema
    def _stopping_has_reason(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("stopped_on") and not data.get("stop_reason"):
            raise ma.ValidationError("is required when stopped_on is given", "stop_reason")


class ConcernEvent(EventFields, RaiseConcernArgs):
    """A safeguarding concern as raised (RaiseConcernArgs), on the day it was raised."""


# Episode kind is `episode_kind` in the file: `kind` names the event's kind.
RENAMED = {"episode_kind": "kind"}
EVENT_SCHEMAS: dict[str, type[ArgsSchema]] = {
    "referral": ReferralEvent,
    "episode": EpisodeEvent,
    "medicine": MedicineEvent,
    "safeguarding_concern": ConcernEvent,
}
LIST_COLUMNS = {"needs", "categories"}


def _file_columns(schema: type[ArgsSchema]) -> list[str]:
    """A kind's columns as the file names them (an episode's own kind is episode_kind)."""
    back = {inner: outer for outer, inner in RENAMED.items()}
    return [back.get(name, name) for name in schema().fields]


EVENT_KIND = "kind"
PEOPLE_COLUMNS: tuple[str, ...] = (SOURCE_SYSTEM, SOURCE_ID, *IdentityFields().fields)
EVENT_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [*EventFields().fields, EVENT_KIND]
        + [c for schema in EVENT_SCHEMAS.values() for c in _file_columns(schema)]
    )
)


@dataclass
class Problem:
    line: int
    field: str
    reason: str


@dataclass
class CheckedRow:
    line: int
    kind: str = ""  # an event's kind
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def check_header(
    header: list[str] | None, expected: Iterable[str], required: Iterable[str]
) -> str | None:
    """Why a file's header is refused whole (unknown, missing or repeated columns), or None."""
    if not header:
        return "The file is empty: the first line must name the columns"
    names = [h.strip() for h in header]
    repeated = sorted({n for n in names if names.count(n) > 1})
    unknown = [n for n in names if n not in set(expected)]
    missing = [n for n in required if n not in names]
    reasons = []
    if unknown:
        reasons.append(f"unknown column(s): {', '.join(unknown)}")
    if missing:
        reasons.append(f"missing column(s): {', '.join(missing)}")
    if repeated:
        reasons.append(f"repeated column(s): {', '.join(repeated)}")
    return "The header is wrong: " + "; ".join(reasons) if reasons else None


def required_people_columns() -> list[str]:
    return [name for name, f in PersonRow().fields.items() if f.required]


def required_event_columns() -> list[str]:
    return [*(n for n, f in EventFields().fields.items() if f.required), EVENT_KIND]


_PERSON_ROW = PersonRow()


def check_person_row(line: int, raw: dict[str, str]) -> CheckedRow:
    return _load(_PERSON_ROW, line, {k: v for k, v in raw.items() if v not in ("", None)})


_EVENT_LOADERS = {kind: schema() for kind, schema in EVENT_SCHEMAS.items()}


def check_event_row(line: int, raw: dict[str, str]) -> CheckedRow:
    """An event row: its kind picks the Args; a column another kind uses must be blank."""
    given = {k: v for k, v in raw.items() if v not in ("", None)}
    kind = (given.pop(EVENT_KIND, None) or "").strip()
    schema = _EVENT_LOADERS.get(kind)
    if schema is None:
        reason = "is required" if not kind else f"must be one of {', '.join(EVENT_SCHEMAS)}"
        return CheckedRow(line, problems=[Problem(line, EVENT_KIND, reason)])
    data: dict[str, Any] = {}
    problems = []
    for column, value in given.items():
        name = RENAMED.get(column, column)
        if name not in schema.fields or (name in RENAMED.values() and column not in RENAMED):
            problems.append(Problem(line, column, f"is not used for a {kind}: leave it blank"))
            continue
        if column in LIST_COLUMNS:
            value = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        data[name] = value
    if problems:
        return CheckedRow(line, problems=problems)
    checked = _load(schema, line, data)
    back = {inner: outer for outer, inner in RENAMED.items()}
    for problem in checked.problems:
        problem.field = back.get(problem.field, problem.field)
    checked.kind = kind
    return checked


def _load(schema: ma.Schema, line: int, data: dict[str, Any]) -> CheckedRow:
    try:
        values = schema.load(data)
    except ma.ValidationError as error:
        return CheckedRow(line, problems=list(_problems(line, error.normalized_messages())))
    return CheckedRow(line, values=values)


def _problems(line: int, messages: Any, prefix: str = "") -> Iterable[Problem]:
    if isinstance(messages, dict):
        for key, inner in messages.items():
            name = prefix if str(key).isdigit() and prefix else str(key)
            yield from _problems(line, inner, name)
    else:
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, dict | list):
                yield from _problems(line, message, prefix)
            else:
                yield Problem(line, prefix or "_row", _plain(str(message)))


def _plain(message: str) -> str:
    if message == "Unknown field.":
        return "is not a column of this format"
    if message == "Missing data for required field.":
        return "is required"
    return message


# ---- the published JSON Schemas ------------------------------------------------------


def _json_schema(schema: type[ma.Schema]) -> dict[str, Any]:
    spec = APISpec("caremap imports", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    converted = spec.plugins[0].converter.schema2jsonschema(schema)
    converted.pop("additionalProperties", None)
    return converted


def _csv_note(columns: Iterable[str]) -> str:
    return (
        "One CSV row (UTF-8, comma separated, the first line names the columns: "
        + ", ".join(columns)
        + "). An empty cell is a value not given; true/false for yes/no; dates as YYYY-MM-DD; "
        f"a list (needs, categories) as values separated by '{LIST_SEPARATOR}'."
    )


def people_json_schema() -> dict[str, Any]:
    body = _json_schema(PersonRow)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://caremap.example/schemas/import-people.schema.json",
        "title": "caremap people import (one row)",
        "description": _csv_note(PEOPLE_COLUMNS),
        **body,
        "additionalProperties": False,
    }


def events_json_schema() -> dict[str, Any]:
    back = {inner: outer for outer, inner in RENAMED.items()}
    variants = []
    for kind, schema in EVENT_SCHEMAS.items():
        body = _json_schema(schema)
        properties = {back.get(k, k): v for k, v in body["properties"].items()}
        properties[EVENT_KIND] = {"const": kind}
        required = [back.get(k, k) for k in body.get("required", [])] + [EVENT_KIND]
        variants.append(
            {
                "title": kind,
                "description": " ".join((schema.__doc__ or "").split()),
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://caremap.example/schemas/import-events.schema.json",
        "title": "caremap history import (one event a row)",
        "description": _csv_note(EVENT_COLUMNS)
        + " The kind column says which variant a row is; columns another kind uses stay "
        "blank. An episode's own kind is the column episode_kind.",
        "oneOf": variants,
    }


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
