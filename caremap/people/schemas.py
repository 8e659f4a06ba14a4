"""Inputs (`*Args`) and outputs (`*Schema`) of the person record.

The same Args validate a form post and a JSON body. A restricted view is its
own class: `PersonIdentitySchema` holds only what identifies someone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core import clock
from caremap.core.schemas import ArgsSchema, OutputSchema, email_field, max_length, text
from caremap.people.enums import ConsentStatus, Sex
from caremap.people.identifiers import (
    format_nhs_number,
    is_valid_nhs_number,
    is_valid_postcode,
    normalise_nhs_number,
    normalise_postcode,
)

EARLIEST_BIRTH = dt.date(1890, 1, 1)
_PHONE = validate.Regexp(r"^[0-9 +()\-]{6,30}$", error="Enter a phone number, like 01752 123456")


def _today() -> dt.date:
    return clock.today()


def _not_in_future(value: dt.date) -> None:
    if value > _today():
        raise ma.ValidationError("must be today or in the past")


def _plausible_birth(value: dt.date) -> None:
    _not_in_future(value)
    if value < EARLIEST_BIRTH:
        raise ma.ValidationError(f"must be after {EARLIEST_BIRTH.year}")


class NhsNumberField(fields.String):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        digits = normalise_nhs_number(raw)
        if not is_valid_nhs_number(digits):
            raise ma.ValidationError(
                "is not a valid NHS number: it must be 10 digits and pass the Modulus 11 check"
            )
        return digits


class PostcodeField(fields.String):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        if len(raw) > 10 or not is_valid_postcode(raw):
            raise ma.ValidationError("is not a valid UK postcode, like PL1 2AA")
        return normalise_postcode(raw)


class IdentityFields(ArgsSchema):
    given_name = text(100, required=True)
    family_name = text(100, required=True)
    preferred_name = text(100)
    date_of_birth = fields.Date(required=True, validate=_plausible_birth)
    date_of_death = fields.Date(allow_none=True, validate=_not_in_future)
    sex = fields.Enum(Sex, by_value=True, load_default=Sex.UNKNOWN)
    nhs_number = NhsNumberField(allow_none=True)
    address_line_1 = text(120)
    address_line_2 = text(120)
    town = text(80)
    postcode = PostcodeField(allow_none=True)
    no_fixed_abode = fields.Boolean(load_default=False)
    phone = fields.String(allow_none=True, validate=_PHONE)
    email = email_field()
    gp_practice_code = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^[A-Z][0-9A-Z]{2,9}$", error="must be an ODS code, like L83001"),
    )
    gp_practice_name = text(160)
    language = text(60)
    interpreter_needed = fields.Boolean(load_default=False)
    communication_needs = text(2000)

    @ma.validates_schema
    def _dates_in_order(self, data: dict[str, Any], **_: Any) -> None:
        born, died = data.get("date_of_birth"), data.get("date_of_death")
        if born and died and died < born:
            raise ma.ValidationError("must be on or after the date of birth", "date_of_death")

    @ma.pre_load
    def _upper_codes(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("gp_practice_code"), str):
            data = {**data, "gp_practice_code": data["gp_practice_code"].strip().upper()}
        return data


class RegisterPersonArgs(IdentityFields):
    confirm_no_duplicate = fields.Boolean(
        load_default=False,
        metadata={"description": "true once the likely duplicates shown have been checked"},
    )
    not_the_same_person_as = fields.List(
        fields.Integer(),
        load_default=list,
        metadata={
            "description": "ids of the live records with this very name and date of birth "
            "(a 409 names them) that this is a different person from; needs `reason`"
        },
    )
    reason = text(
        2000,
        metadata={
            "description": "why this is a different person from `not_the_same_person_as`: "
            "kept, audited and shown on both records"
        },
    )


class UpdateIdentityArgs(IdentityFields):
    """A change to identity: only the fields given change (load it with partial=True)."""

    version = fields.Integer(
        metadata={"description": "required: the record's version when the editor opened it"},
    )

    @ma.validates_schema
    def _version_given(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("version") is None:
            raise ma.ValidationError("Missing data for required field.", "version")


def update_identity_args() -> UpdateIdentityArgs:
    return UpdateIdentityArgs(partial=True)


class PersonSearchArgs(ArgsSchema):
    q = fields.String(
        allow_none=True,
        validate=max_length(200),
        metadata={"description": "name, or part of one; typos are tolerated"},
    )
    nhs_number = fields.String(allow_none=True, validate=max_length(20))
    date_of_birth = fields.Date(allow_none=True)
    postcode = fields.String(allow_none=True, validate=max_length(10))

    @ma.validates_schema
    def _something_given(self, data: dict[str, Any], **_: Any) -> None:
        if not any(data.get(key) for key in ("q", "nhs_number", "date_of_birth", "postcode")):
            raise ma.ValidationError("Enter a name, NHS number, date of birth or postcode", "q")

    @ma.post_load
    def _normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data.get("nhs_number"):
            data["nhs_number"] = normalise_nhs_number(data["nhs_number"])
        if data.get("postcode"):
            data["postcode"] = normalise_postcode(data["postcode"])
        return data


class StoryArgs(ArgsSchema):
    text = text(10_000, required=True)
    based_on_id = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "id of the story version the writer was shown (none if empty)"},
    )


class ConsentArgs(ArgsSchema):
    status = fields.Enum(ConsentStatus, by_value=True, required=True)
    decided_on = fields.Date(required=True, validate=_not_in_future)
    note = text(1000)
    based_on_id = fields.Integer(allow_none=True, load_default=None)


class RelatedPersonArgs(ArgsSchema):
    name = text(160, required=True)
    relationship_to_person = text(60, required=True)
    phone = fields.String(allow_none=True, validate=_PHONE)
    email = email_field()
    address = text(300)
    is_carer = fields.Boolean(load_default=False)
    is_next_of_kin = fields.Boolean(load_default=False)
    involved_in_care = fields.Boolean(allow_none=True, load_default=None)
    notes = text(1000)
    carer_person_id = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "the carer's own record, when they have one (shows a carer flag)"},
    )

    @ma.validates_schema
    def _carer_or_next_of_kin(self, data: dict[str, Any], **_: Any) -> None:
        if not (data.get("is_carer") or data.get("is_next_of_kin")):
            raise ma.ValidationError("Choose carer, next of kin, or both", "is_carer")


class UpdateRelatedPersonArgs(RelatedPersonArgs):
    is_active = fields.Boolean(load_default=True)
    version = fields.Integer(required=True)


class MergeArgs(ArgsSchema):
    duplicate_id = fields.Integer(
        required=True, metadata={"description": "the record that is merged into this one and ends"}
    )
    reason = text(2000, required=True)


# ---- outputs ----------------------------------------------------------------


class PersonIdentitySchema(OutputSchema):
    """The minimum needed to identify someone: what search results and unrelated staff see."""

    id = fields.Integer()
    local_ref = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    date_of_birth = fields.Date()
    sex = fields.Enum(Sex, by_value=True)
    nhs_number = fields.String(allow_none=True)
    nhs_number_display = fields.Function(lambda p: format_nhs_number(p.nhs_number))
    postcode = fields.String(allow_none=True)
    access = fields.Constant("identity")


def identity_answer(person: Any) -> dict[str, Any]:
    """PersonIdentitySchema's dump, written out for the two answers read most (search
    results and a record read without a relationship): marshmallow took a fifth of a
    search's CPU. `person` is anything with the fields (a row or a `Person`); the tests
    hold the two together (tests/people/test_identity_answer.py)."""
    return {
        "id": person.id,
        "local_ref": person.local_ref,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": None if person.date_of_birth is None else person.date_of_birth.isoformat(),
        "sex": person.sex.value,
        "nhs_number": person.nhs_number,
        "nhs_number_display": format_nhs_number(person.nhs_number),
        "postcode": person.postcode,
        "access": "identity",
    }


class StoryVersionSchema(OutputSchema):
    id = fields.Integer()
    text = fields.String()
    recorded_at = fields.DateTime()
    recorded_by = fields.Function(lambda s: s.recorded_by.full_name)


class ConsentSchema(OutputSchema):
    id = fields.Integer()
    status = fields.Enum(ConsentStatus, by_value=True)
    decided_on = fields.Date()
    note = fields.String(allow_none=True)
    recorded_at = fields.DateTime()
    recorded_by = fields.Function(lambda c: c.recorded_by.full_name)


class RelatedPersonSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    relationship_to_person = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    is_carer = fields.Boolean()
    is_next_of_kin = fields.Boolean()
    involved_in_care = fields.Boolean(allow_none=True)
    carer_person_id = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)
    is_active = fields.Boolean()
    version = fields.Integer()


class FlagSchema(OutputSchema):
    code = fields.String()
    label = fields.String()
    severity = fields.String()
    since = fields.Date(allow_none=True)
    detail = fields.String(allow_none=True)
    link = fields.String(allow_none=True)


class PersonRecordSchema(OutputSchema):
    """The full record, for those with a legitimate relationship."""

    id = fields.Integer()
    local_ref = fields.String()
    nhs_number = fields.String(allow_none=True)
    given_name = fields.String()
    family_name = fields.String()
    preferred_name = fields.String(allow_none=True)
    date_of_birth = fields.Date()
    date_of_death = fields.Date(allow_none=True)
    sex = fields.Enum(Sex, by_value=True)
    address_line_1 = fields.String(allow_none=True)
    address_line_2 = fields.String(allow_none=True)
    town = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    no_fixed_abode = fields.Boolean()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    gp_practice_code = fields.String(allow_none=True)
    gp_practice_name = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    interpreter_needed = fields.Boolean()
    communication_needs = fields.String(allow_none=True)
    registered_by_team = fields.Function(lambda p: p.registered_by_team.name)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()
    access = fields.Constant("full")


class CheckedPersonSchema(OutputSchema):
    """Who the other record of an identity check is: enough to tell them apart."""

    id = fields.Integer()
    local_ref = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    date_of_birth = fields.Date()


class IdentityCheckSchema(OutputSchema):
    """ "Checked: not the same person as …", with who checked, when and why."""

    not_the_same_person_as = fields.Nested(CheckedPersonSchema, attribute="other")
    reason = fields.String()
    checked_by = fields.Function(lambda shown: shown.checked_by.full_name)
    checked_at = fields.DateTime()


class PersonRecordResponseSchema(OutputSchema):
    person = fields.Nested(PersonRecordSchema)
    flags = fields.List(fields.Nested(FlagSchema))
    story = fields.Nested(StoryVersionSchema, allow_none=True)
    consent = fields.Nested(ConsentSchema, allow_none=True)
    related_people = fields.List(fields.Nested(RelatedPersonSchema))
    identity_checks = fields.List(fields.Nested(IdentityCheckSchema))


class ChronologyArgs(ArgsSchema):
    strand = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "a strand code, like urgent_care"},
    )


class ChronologyEntrySchema(OutputSchema):
    at = fields.DateTime()
    kind = fields.String()
    title = fields.String()
    detail = fields.String(allow_none=True)
    by = fields.String(allow_none=True)
    strand = fields.String(allow_none=True)


class AuditEventSchema(OutputSchema):
    id = fields.Integer()
    at = fields.DateTime()
    action = fields.String()
    actor = fields.Function(lambda e: e.actor.full_name if e.actor else "system")
    actor_team = fields.Function(lambda e: e.actor.team.name if e.actor else None)
    person_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)


class DuplicateCandidateSchema(OutputSchema):
    person = fields.Nested(PersonIdentitySchema)
    reasons = fields.List(fields.String())
