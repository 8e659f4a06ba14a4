from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.auth.enums import Role, TokenScope
from caremap.auth.passwords import MIN_LENGTH
from caremap.core.schemas import ArgsSchema, OutputSchema, email_field, text

_NEW_PASSWORD = validate.Length(
    min=MIN_LENGTH, max=1000, error=f"must be between {MIN_LENGTH} and 1000 characters"
)


class SignInArgs(ArgsSchema):
    email = text(254, required=True)
    password = text(1000, required=True)


class CreateUserArgs(ArgsSchema):
    email = email_field(required=True)
    full_name = text(160, required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    team = fields.String(required=True, metadata={"description": "team code"})
    password = fields.String(
        required=True,
        validate=_NEW_PASSWORD,
        metadata={"description": f"at least {MIN_LENGTH} characters"},
    )


class UpdateUserArgs(ArgsSchema):
    full_name = text(160)
    role = fields.Enum(Role, by_value=True)
    team = fields.String()
    is_active = fields.Boolean()
    is_team_lead = fields.Boolean()
    version = fields.Integer(required=True)


class ChangePasswordArgs(ArgsSchema):
    current_password = text(1000, required=True)
    new_password = fields.String(required=True, validate=_NEW_PASSWORD)
    confirm_password = fields.String(required=True)

    @ma.validates_schema
    def _confirmed(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("new_password") != data.get("confirm_password"):
            raise ma.ValidationError("must match the new password", "confirm_password")


class CreateTokenArgs(ArgsSchema):
    name = text(120, required=True)
    scope = fields.Enum(TokenScope, by_value=True, load_default=TokenScope.FULL)


class UserSchema(OutputSchema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String()
    role = fields.Enum(Role, by_value=True)
    team = fields.Function(lambda u: u.team.code)
    team_name = fields.Function(lambda u: u.team.name)
    is_active = fields.Boolean()
    is_team_lead = fields.Boolean()
    version = fields.Integer()


class TokenSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    token_prefix = fields.String()
    scope = fields.Enum(TokenScope, by_value=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "shown once; store it now"})
