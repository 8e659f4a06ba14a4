from marshmallow import fields

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.worktasks.schemas import TaskSchema


class AssignLeadArgs(ArgsSchema):
    user_id = fields.Integer(required=True)
    reason = text(2000, metadata={"description": "required when it hands over from another lead"})


class AddMemberArgs(ArgsSchema):
    user_id = fields.Integer(required=True)
    role = text(
        60, required=True, metadata={"description": "for example social worker, community nurse"}
    )


class EndMemberArgs(ArgsSchema):
    reason = text(2000, required=True)


class HandOverArgs(ArgsSchema):
    to_user_id = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "one colleague for the whole caseload; none: each person to "
            "the key worker in the team with the smallest caseload"
        },
    )
    reason = text(2000, required=True)


class MemberSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    user_id = fields.Integer()
    name = fields.Function(lambda m: m.user.full_name)
    team = fields.Function(lambda m: m.user.team.name)
    role = fields.String()
    is_lead = fields.Boolean()
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    end_reason = fields.String(allow_none=True)


class SuggestionSchema(OutputSchema):
    user_id = fields.Function(lambda s: s[0].id)
    name = fields.Function(lambda s: s[0].full_name)
    team = fields.Function(lambda s: s[0].team.name)
    caseload = fields.Function(lambda s: s[1])


class CaseloadEntrySchema(OutputSchema):
    person_id = fields.Function(lambda e: e["person"].id)
    name = fields.Function(lambda e: e["person"].display_name)
    role = fields.Function(lambda e: e["membership"].role)
    is_lead = fields.Function(lambda e: e["membership"].is_lead)
    flags = fields.Function(lambda e: [f.label for f in e["flags"]])
    tasks = fields.Function(lambda e: TaskSchema(many=True).dump(e["tasks"]))
