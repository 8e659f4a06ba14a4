"""Routing rules under /api/v1/routing-rules: read by anyone signed in, changed by admins."""

from __future__ import annotations

import flask
import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user, login_required
from marshmallow import fields

from caremap.core.api import ApiBlueprint
from caremap.core.extensions import db
from caremap.core.schemas import OutputSchema
from caremap.routing import operations
from caremap.routing.models import RoutingRule
from caremap.routing.schemas import RoutingRuleArgs, RoutingRuleSchema

blp = ApiBlueprint(
    "routing-api",
    __name__,
    url_prefix="/api/v1/routing-rules",
    description="Routing rules (data, versioned)",
)


class RulePreviewSchema(OutputSchema):
    checked = fields.Integer()
    matched = fields.Integer()
    targets = fields.List(fields.String())
    examples = fields.List(fields.Dict())


def _require_admin() -> None:
    if not current_user.is_admin:
        flask.abort(404)


@blp.route("")
class Rules(MethodView):
    decorators = [login_required]

    @blp.response(200, RoutingRuleSchema(many=True))
    def get(self):
        """The current version of every rule, by priority."""
        return db.session.scalars(
            sa.select(RoutingRule)
            .where(RoutingRule.is_current.is_(True))
            .order_by(RoutingRule.priority, RoutingRule.code)
        ).all()

    @blp.arguments(RoutingRuleArgs)
    @blp.response(201, RoutingRuleSchema)
    def post(self, args):
        """Add a rule, or a new version of one (admins). An unchanged rule keeps its version."""
        _require_admin()
        return operations.save_rule(actor=current_user._get_current_object(), rule=args)


@blp.route("/preview")
class Preview(MethodView):
    decorators = [login_required]

    @blp.arguments(RoutingRuleArgs)
    @blp.response(200, RulePreviewSchema)
    def post(self, args):
        """How a draft rule would have treated the last 500 referrals (admins)."""
        _require_admin()
        return operations.preview_rule(args)


@blp.route("/<code>/versions")
class Versions(MethodView):
    decorators = [login_required]

    @blp.response(200, RoutingRuleSchema(many=True))
    def get(self, code):
        rows = db.session.scalars(
            sa.select(RoutingRule)
            .where(RoutingRule.code == code)
            .order_by(RoutingRule.version.desc())
        ).all()
        if not rows:
            flask.abort(404)
        return rows
