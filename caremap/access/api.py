"""Break-glass and merge review under /api/v1 (admins)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.access import operations, queries
from caremap.access.models import BreakGlass
from caremap.access.schemas import (
    BreakGlassReviewArgs,
    BreakGlassSchema,
    MergeForReviewSchema,
    ReviewArgs,
)
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, require
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db

blp = ApiBlueprint(
    "access-api", __name__, url_prefix="/api/v1", description="Break-glass, merges and their review"
)


@blp.route("/break-glass")
class BreakGlassList(MethodView):
    decorators = [login_required]

    @blp.response(200, BreakGlassSchema(many=True))
    def get(self):
        """Every break-glass for review, unreviewed first (admins)."""
        require(can_administer(_me()))
        return queries.break_glass_for_review()


@blp.route("/break-glass/<int:glass_id>/review")
class BreakGlassReview(MethodView):
    decorators = [login_required]

    @blp.arguments(BreakGlassReviewArgs)
    @blp.response(200, BreakGlassSchema)
    def post(self, args, glass_id):
        """Record, once, whether an emergency access was appropriate (admins; 409 if
        already reviewed)."""
        require(can_administer(_me()))
        glass = db.session.get(BreakGlass, glass_id)
        if glass is None:
            raise NotFoundError()
        return operations.review_break_glass(actor=_me(), glass=glass, **args)


@blp.route("/merges")
class MergeList(MethodView):
    decorators = [login_required]

    @blp.response(200, MergeForReviewSchema(many=True))
    def get(self):
        """Every merge of two records for review, unreviewed first (admins)."""
        require(can_administer(_me()))
        return queries.merges_for_review()


@blp.route("/merges/<int:merge_id>/review")
class MergeReview(MethodView):
    decorators = [login_required]

    @blp.arguments(ReviewArgs)
    @blp.response(200, MergeForReviewSchema)
    def post(self, args, merge_id):
        """Record, once, that a merge was checked (admins; 409 if already reviewed)."""
        require(can_administer(_me()))
        merge = queries.merge_for_review(merge_id)
        if merge is None:
            raise NotFoundError()
        return operations.review_merge(actor=_me(), merge=merge, note=args["note"])
