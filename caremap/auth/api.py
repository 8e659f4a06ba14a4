"""Users (admin) and the caller's own identity, under /api/v1."""

from __future__ import annotations

import flask
import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user, login_required

from caremap.auth import operations
from caremap.auth.current import actor as _me
from caremap.auth.models import User
from caremap.auth.permissions import can_administer, require
from caremap.auth.schemas import CreateUserArgs, UpdateUserArgs, UserSchema
from caremap.core.api import ApiBlueprint
from caremap.core.extensions import db

blp = ApiBlueprint("auth-api", __name__, url_prefix="/api/v1", description="Staff users")


@blp.route("/me")
class Me(MethodView):
    decorators = [login_required]

    @blp.response(200, UserSchema)
    def get(self):
        """The user the token belongs to."""
        return _me()


@blp.route("/users")
class Users(MethodView):
    decorators = [login_required]

    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Every user (admins only)."""
        require(can_administer(current_user))
        return db.session.scalars(sa.select(User).order_by(User.full_name)).all()

    @blp.arguments(CreateUserArgs)
    @blp.response(201, UserSchema)
    def post(self, args):
        """Add a user with a role and a team (admins only)."""
        require(can_administer(current_user))
        return operations.create_user(actor=_me(), **args)


@blp.route("/users/<int:user_id>")
class UserItem(MethodView):
    decorators = [login_required]

    @blp.arguments(UpdateUserArgs)
    @blp.response(200, UserSchema)
    def patch(self, args, user_id):
        """Change a user's role, team or name, or deactivate them (admins only)."""
        require(can_administer(current_user))
        user = db.session.get(User, user_id) or flask.abort(404)
        return operations.update_user(actor=_me(), user=user, changes=args)
