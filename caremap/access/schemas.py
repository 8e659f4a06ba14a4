"""Break-glass and merge reviews in and out of the API."""

from marshmallow import fields, validate

from caremap.access.enums import ReviewOutcome
from caremap.core.schemas import ArgsSchema, OutputSchema, text


class BreakGlassArgs(ArgsSchema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=10, max=2000, error="must say why, in 10 to 2000 characters"),
    )


class ReviewArgs(ArgsSchema):
    note = text(2000, required=True)


class BreakGlassReviewArgs(ReviewArgs):
    outcome = fields.Enum(
        ReviewOutcome,
        by_value=True,
        required=True,
        metadata={"description": "appropriate, not_appropriate or escalated"},
    )


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
    review_outcome = fields.Enum(ReviewOutcome, by_value=True, allow_none=True)


class MergeForReviewSchema(OutputSchema):
    id = fields.Integer(metadata={"description": "the merge's audit row"})
    survivor_id = fields.Integer()
    duplicate_id = fields.Integer()
    merged_at = fields.DateTime()
    merged_by = fields.Function(lambda m: m.merged_by.full_name if m.merged_by else None)
    reason = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    reviewed_by = fields.Function(lambda m: m.reviewed_by.full_name if m.reviewed_by else None)
    review_note = fields.String(allow_none=True)
