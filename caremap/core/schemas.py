"""Base schemas: inputs reject unknown fields and trim text."""

from __future__ import annotations

from typing import Any

import flask
import marshmallow as ma

from caremap.core.api import is_api_request

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
            if _float_for_integer(field, value):
                value = "not a whole number"  # 7.0 for an id is a mistake, not 7
            if _loose_boolean(field, value):
                # true or false (or the "true"/"false" a form's radios send), never 0, 1 or
                # "y": replaced by a value the field refuses, beside the other errors.
                value = "neither true nor false"
            if isinstance(value, str):
                value = value.strip()
                # A page's blank box is "not given"; an API client says that with null
                # (or by leaving the field out), and "" where a format, pattern or list
                # of values is documented is refused like any other value not in it.
                keep_blank = field is not None and _formatted(field) and _json_request()
                if value == "" and field is not None and not keep_blank:
                    if field.required:
                        continue
                    if field.allow_none:
                        value = None
            if value is None and field is not None and field.required:
                continue  # reported as missing, which names what to give
            cleaned[key] = value
        return cleaned

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        """Say in the field itself (so the OpenAPI document says it too) what the hooks
        above enforce: required text is not blank, numbers fit the database's integers."""
        inner = field_obj.inner if isinstance(field_obj, ma.fields.List) else field_obj
        if isinstance(inner, ma.fields.Integer) and not inner.validators:
            inner.validators.append(_FITS_THE_DATABASE)
        # Exactly String: a subclass may turn the text into something else (a Period).
        is_required_text = type(field_obj) is ma.fields.String and field_obj.required
        if is_required_text and not any(
            isinstance(v, ma.validate.Regexp) for v in field_obj.validators
        ):
            field_obj.validators.append(_NOT_BLANK)


_FORMATTED = (
    ma.fields.Email,
    ma.fields.Date,
    ma.fields.DateTime,
    ma.fields.Time,
    ma.fields.Url,
    ma.fields.UUID,
)


def _float_for_integer(field: ma.fields.Field | None, value: Any) -> bool:
    return isinstance(field, ma.fields.Integer) and isinstance(value, float)


def _loose_boolean(field: ma.fields.Field | None, value: Any) -> bool:
    return (
        isinstance(field, ma.fields.Boolean)
        and value is not None
        and type(value) is not bool
        and value not in ("true", "false")
    )


def _json_request() -> bool:
    return flask.has_request_context() and is_api_request()


def _formatted(field: ma.fields.Field) -> bool:
    return isinstance(field, _FORMATTED) or any(
        isinstance(v, ma.validate.Regexp | ma.validate.OneOf) for v in field.validators
    )


_FITS_THE_DATABASE = ma.validate.Range(
    min=-LARGEST_INTEGER, max=LARGEST_INTEGER, error=f"must be at most {LARGEST_INTEGER}"
)
# Text arrives trimmed (a blank one is missing), so this only documents "not blank".
_NOT_BLANK = ma.validate.Regexp(r"\S", error="must not be blank")


class OutputSchema(ma.Schema):
    pass


def max_length(limit: int) -> ma.validate.Length:
    return ma.validate.Length(max=limit, error=f"must be {limit} characters or fewer")


def text(
    limit: int, *, required: bool = False, validate: Any = None, **kwargs: Any
) -> ma.fields.String:
    """A text field; blank means not given (see ArgsSchema)."""
    rules = [max_length(limit), *([validate] if validate is not None else [])]
    return ma.fields.String(required=required, allow_none=not required, validate=rules, **kwargs)


def email_field(*, required: bool = False) -> ma.fields.Email:
    field = ma.fields.Email(required=required, allow_none=not required, validate=max_length(254))
    field.error_messages["invalid"] = "must be an email address, like name@example.org"
    return field


class PageArgs(ArgsSchema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10_000))
