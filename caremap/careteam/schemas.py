import datetime as dt

from marshmallow import fields, validate

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.worktasks.enums import TaskKind, TaskStatus


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


class BreakGlassArgs(ArgsSchema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=10, max=2000, error="must say why, in 10 to 2000 characters"),
    )


class ReviewArgs(ArgsSchema):
    note = text(2000, required=True)


class CompleteTaskArgs(ArgsSchema):
    version = fields.Integer(required=True)
    day91_outcome = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(["at_home", "in_hospital", "in_care_home", "died"]),
        metadata={"description": "required for a day-91 follow-up"},
    )
    note = text(2000)


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


class BreakGlassSchema(OutputSchema):
    id = fields.Integer()
    user_id = fields.Integer()
    user = fields.Function(lambda g: g.user.full_name)
    person_id = fields.Integer()
    reason = fields.String()
    started_at = fields.DateTime()
    expires_at = fields.DateTime()
    reviewed_at = fields.DateTime(allow_none=True)
    review_note = fields.String(allow_none=True)


class TaskSchema(OutputSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    kind = fields.Enum(TaskKind, by_value=True)
    title = fields.String()
    due_on = fields.Date()
    owner_user_id = fields.Integer(allow_none=True)
    owner_team_id = fields.Integer(allow_none=True)
    status = fields.Enum(TaskStatus, by_value=True)
    episode_id = fields.Integer(allow_none=True)
    referral_id = fields.Integer(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)
    outcome = fields.Dict(allow_none=True)
    version = fields.Integer()
    overdue = fields.Function(lambda t: t.is_overdue(dt.date.today()))


class CaseloadEntrySchema(OutputSchema):
    person_id = fields.Function(lambda e: e["person"].id)
    name = fields.Function(lambda e: e["person"].display_name)
    role = fields.Function(lambda e: e["membership"].role)
    is_lead = fields.Function(lambda e: e["membership"].is_lead)
    flags = fields.Function(lambda e: [f.label for f in e["flags"]])
    tasks = fields.Function(lambda e: TaskSchema(many=True).dump(e["tasks"]))
