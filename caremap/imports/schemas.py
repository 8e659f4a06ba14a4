"""Inputs of the held-match decisions."""

from marshmallow import fields

from caremap.core.schemas import ArgsSchema, text


class LinkArgs(ArgsSchema):
    person_id = fields.Integer(required=True)
    version = fields.Integer(required=True)


class CreateArgs(ArgsSchema):
    version = fields.Integer(required=True)
    reason = text(
        2000,
        metadata={
            "description": "why this is a different person from a record with the very same "
            "name and date of birth (needed only then)"
        },
    )


class RejectArgs(ArgsSchema):
    version = fields.Integer(required=True)
    reason = text(2000, required=True)
