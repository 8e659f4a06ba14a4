"""Break-glass review under /api/v1 (admins)."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.access import operations, queries
from caremap.access.models import BreakGlass
from caremap.access.schemas import BreakGlassSchema, ReviewArgs
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, require
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db

blp = ApiBlueprint(
    "access-api", __name__, url_prefix="/api/v1", description="Break-glass and its review"
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

    @blp.arguments(ReviewArgs)
    @blp.response(200, BreakGlassSchema)
    def post(self, args, glass_id):
        require(can_administer(_me()))
        glass = db.session.get(BreakGlass, glass_id)
        if glass is None:
            raise NotFoundError()
        return operations.review_break_glass(actor=_me(), glass=glass, note=args["note"])
