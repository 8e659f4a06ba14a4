"""Base schemas: inputs reject unknown fields and trim text."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

# The database's integer (PostgreSQL int4): no id, version or count of ours is larger, and
# a larger one would reach the database as an error instead of a refusal naming the field.
LARGEST_INTEGER = 2**31 - 1


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class ArgsSchema(ma.Schema):
    """Input: unknown fields are an error; blank strings mean 'not given'; no text may hold
    a NUL character and no number may be beyond the database's integers, each refused
    naming the field rather than failing in the database."""

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _blank_to_none(self, data: Any, **_: Any) -> Any:
        """Trim text; a blank optional field is None, a blank required one is missing."""
        if not isinstance(data, dict):
            return data
        nul = sorted(str(key) for key, value in data.items() if _has_nul(key) or _has_nul(value))
        if nul:
            raise ma.ValidationError({key: ["must not contain a NUL character"] for key in nul})
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

    @ma.validates_schema
    def _integers_fit_the_database(self, data: dict[str, Any], **_: Any) -> None:
        errors = {}
        for name, field in self.fields.items():
            inner = field.inner if isinstance(field, ma.fields.List) else field
            if not isinstance(inner, ma.fields.Integer) or name not in data:
                continue
            value = data[name]
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, int) and abs(v) > LARGEST_INTEGER for v in values):
                errors[field.data_key or name] = [f"must be at most {LARGEST_INTEGER}"]
        if errors:
            raise ma.ValidationError(errors)


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
