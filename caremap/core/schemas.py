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
        if not isinstance(data, dict):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if value == "" and key in self.fields and self.fields[key].allow_none:
                    value = None
            cleaned[key] = value
        return cleaned


class OutputSchema(ma.Schema):
    pass


def text(max_length: int, *, required: bool = False, **kwargs: Any) -> ma.fields.String:
    return ma.fields.String(
        required=required,
        allow_none=not required,
        validate=ma.validate.Length(min=1 if required else 0, max=max_length),
        **kwargs,
    )


class PageArgs(ArgsSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
