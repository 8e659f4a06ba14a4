"""Tasks in and out of the API: completing one, and what a task looks like."""

import datetime as dt

from marshmallow import fields, validate

from caremap.core.schemas import ArgsSchema, OutputSchema, text
from caremap.worktasks.enums import TaskKind, TaskStatus


class CompleteTaskArgs(ArgsSchema):
    version = fields.Integer(required=True)
    day91_outcome = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.OneOf(["at_home", "in_hospital", "in_care_home", "died"]),
        metadata={"description": "required for a day-91 follow-up"},
    )
    note = text(2000)


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
