from marshmallow import fields

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.transitions.models import TransitionBasis


class TransitionPlanArgs(ArgsSchema):
    basis = fields.Enum(
        TransitionBasis,
        by_value=True,
        required=True,
        metadata={"description": "leaving_care (to 21), send (to 25) or none (18)"},
    )
    notes = text(2000)


class TransitionPlanSchema(OutputSchema):
    person_id = fields.Integer()
    basis = fields.Enum(TransitionBasis, by_value=True)
    responsibility_ends_on = fields.Date()
    notes = fields.String(allow_none=True)
    version = fields.Integer()
