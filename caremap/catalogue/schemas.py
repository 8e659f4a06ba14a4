"""The catalogue's input format: what seed/catalogue.json holds and admin pages will post."""

from marshmallow import fields, validate

from caremap.core.schemas import ArgsSchema, OutputSchema, text

_CODE = validate.Regexp(
    r"^[a-z0-9][a-z0-9_-]{1,59}$", error="must be lower case letters, digits, - or _"
)


class StrandArgs(ArgsSchema):
    code = fields.String(required=True, validate=_CODE)
    name = text(120, required=True)
    description = fields.String(load_default="", validate=validate.Length(max=2000))


class ServiceArgs(ArgsSchema):
    code = fields.String(required=True, validate=_CODE)
    name = text(160, required=True)
    strand = fields.String(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    key_working = fields.Boolean(load_default=False)


class TeamArgs(ArgsSchema):
    code = fields.String(required=True, validate=_CODE)
    name = text(160, required=True)
    service = fields.String(required=True)


class CatalogueArgs(ArgsSchema):
    strands = fields.List(fields.Nested(StrandArgs), required=True)
    services = fields.List(fields.Nested(ServiceArgs), required=True)
    teams = fields.List(fields.Nested(TeamArgs), required=True)


class NeedArgs(ArgsSchema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9_]{2,40}$"))
    label = text(160, required=True)
    group = fields.String(required=True, validate=validate.Length(min=1, max=40))


class NeedListArgs(ArgsSchema):
    source = fields.String(load_default="")
    needs = fields.List(fields.Nested(NeedArgs), required=True)


class NeedSchema(OutputSchema):
    code = fields.String()
    label = fields.String()
    group = fields.String()
