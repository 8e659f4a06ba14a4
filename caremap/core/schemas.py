"""Base schemas: inputs reject unknown fields and trim text."""

from __future__ import annotations

from typing import Any

import marshmallow as ma


class ArgsSchema(ma.Schema):
    """Input: unknown fields are an error; blank strings mean 'not given'."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _blank_to_none(self, data: Any, **_: Any) -> Any:
        """Trim text; a blank optional field is None, a blank required one is missing."""
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            field = self.fields.get(key)
            if isinstance(value, str):
                value = value.strip()
                if value == "" and field is not None:
                    if field.required:
                        continue
                    if field.allow_none:
                        value = None
            if value is None and field is not None and field.required:
                continue  # reported as missing, which names what to give
            cleaned[key] = value
        return cleaned


class OutputSchema(ma.Schema):
    pass


def max_length(limit: int) -> ma.validate.Length:
    return ma.validate.Length(max=limit, error=f"must be {limit} characters or fewer")


def text(limit: int, *, required: bool = False, **kwargs: Any) -> ma.fields.String:
    """A text field; blank means not given (see ArgsSchema)."""
    return ma.fields.String(
        required=required, allow_none=not required, validate=max_length(limit), **kwargs
    )


def email_field(*, required: bool = False) -> ma.fields.Email:
    field = ma.fields.Email(required=required, allow_none=not required, validate=max_length(254))
    field.error_messages["invalid"] = "must be an email address, like name@example.org"
    return field


class PageArgs(ArgsSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
