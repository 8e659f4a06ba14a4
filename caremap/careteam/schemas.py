from marshmallow import fields, validate

from caremap.auth.enums import Role
from caremap.auth.queries import CARING_ROLES
from caremap.core.schemas import ArgsSchema, OutputSchema, PageArgs, text
from caremap.worktasks.schemas import TaskSchema

# At most this many staff in one answer of GET /care-team/staff (the pickers' type-ahead).
STAFF_PAGE_MAX = 25


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


class StaffArgs(PageArgs):
    q = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "part of a name, email, team or service; every word must match"},
    )
    role = fields.Enum(
        Role,
        by_value=True,
        validate=validate.OneOf(CARING_ROLES),
        metadata={"description": "only staff in this role (key_worker: those who may lead)"},
    )
    exclude = fields.Integer(metadata={"description": "a user id to leave out (who is leaving)"})
    per_page = fields.Integer(load_default=10, validate=validate.Range(min=1, max=STAFF_PAGE_MAX))


class StaffSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String(attribute="full_name")
    team = fields.Function(lambda u: u.team.name)
    service = fields.Function(lambda u: u.team.service.name)
    role = fields.Function(lambda u: u.role.label)
