"""Routing rules under /api/v1/routing-rules: read by anyone signed in, changed by admins."""

from __future__ import annotations

import flask
from flask.views import MethodView
from flask_login import login_required
from marshmallow import fields

from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer
from caremap.core.api import ApiBlueprint
from caremap.core.schemas import OutputSchema
from caremap.routing import operations, queries
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
    if not can_administer(_me()):
        flask.abort(404)


@blp.route("")
class Rules(MethodView):
    decorators = [login_required]

    @blp.response(200, RoutingRuleSchema(many=True))
    def get(self):
        """The current version of every rule, by priority."""
        return queries.current_rules()

    @blp.arguments(RoutingRuleArgs)
    @blp.response(201, RoutingRuleSchema)
    def post(self, args):
        """Add a rule, or a new version of one (admins). An unchanged rule keeps its version."""
        _require_admin()
        return operations.save_rule(actor=_me(), rule=args)


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
        rows = queries.rule_versions(code)
        if not rows:
            flask.abort(404)
        return rows
