from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.auth.enums import Role
from caremap.auth.passwords import MIN_LENGTH
from caremap.core.schemas import ArgsSchema, OutputSchema, text


class SignInArgs(ArgsSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class CreateUserArgs(ArgsSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = text(160, required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    team = fields.String(required=True, metadata={"description": "team code"})
    password = fields.String(
        required=True,
        validate=validate.Length(min=MIN_LENGTH, max=1000),
        metadata={"description": f"at least {MIN_LENGTH} characters"},
    )


class UpdateUserArgs(ArgsSchema):
    full_name = text(160)
    role = fields.Enum(Role, by_value=True)
    team = fields.String()
    is_active = fields.Boolean()
    version = fields.Integer(required=True)


class ChangePasswordArgs(ArgsSchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    new_password = fields.String(required=True, validate=validate.Length(min=MIN_LENGTH, max=1000))
    confirm_password = fields.String(required=True)

    @ma.validates_schema
    def _confirmed(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ma.ValidationError("must match the new password", "confirm_password")


class CreateTokenArgs(ArgsSchema):
    name = text(120, required=True)


class UserSchema(OutputSchema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    team = fields.Function(lambda u: u.team.code)
    team_name = fields.Function(lambda u: u.team.name)
    is_active = fields.Boolean()
    version = fields.Integer()


class TokenSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    token_prefix = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "shown once; store it now"})
