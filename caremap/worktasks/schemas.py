"""Tasks in and out of the API: completing one, and what a task looks like."""

import datetime as dt
from typing import Any

import marshmallow as ma
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

    @ma.post_load
    def _as_completion(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """complete_task's keywords: the version, and what the owner recorded (only what
        they gave), so a page and the API complete a task alike."""
        given = (("day91_outcome", data["day91_outcome"]), ("note", data.get("note")))
        return {"version": data["version"], "outcome": {k: v for k, v in given if v}}


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
