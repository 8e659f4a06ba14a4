"""Tasks in and out of the API: completing one, and what a task looks like."""

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.core import clock
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
    day91_outcome_on = fields.Date(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "a day-91 follow-up: the day it happened, required for died, "
            "in_hospital and in_care_home; left out for at_home (dated the day recorded)"
        },
    )
    episode_version = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={"description": "required for a day-91 follow-up: the episode's version"},
    )
    review_outcome = text(
        2000,
        metadata={
            "description": "a medication review task: what the review decided (recorded as "
            "a medication review dated today)"
        },
    )
    not_needed_reason = text(
        500, metadata={"description": "a medication review task: why a review is not needed"}
    )
    note = text(2000)

    @ma.post_load
    def _as_completion(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """complete_task's keywords: the version, what the owner recorded (only what they
        gave) and the versions of other rows they saw, so a page and the API complete a
        task alike."""
        on = data["day91_outcome_on"]
        given = (
            ("day91_outcome", data["day91_outcome"]),
            ("day91_outcome_on", on.isoformat() if on else None),
            ("review_outcome", data.get("review_outcome")),
            ("not_needed_reason", data.get("not_needed_reason")),
            ("note", data.get("note")),
        )
        seen = {"episode_version": data["episode_version"]}
        return {
            "version": data["version"],
            "outcome": {k: v for k, v in given if v},
            "seen_versions": {k: v for k, v in seen.items() if v is not None},
        }


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
    overdue = fields.Function(lambda t: t.is_overdue(clock.today()))
