"""How a request becomes a user: one loader for sessions, one for API tokens.

Pages sign in with a session cookie; /api/ takes only a personal token in an
`Authorization: Bearer` header, so an API call cannot ride on a browser's
cookie (and needs no CSRF token).
"""

from __future__ import annotations

import flask
import sqlalchemy as sa

from caremap.auth.models import User
from caremap.auth.operations import user_for_token
from caremap.core.api import api_error
from caremap.core.extensions import db, login_manager


def load_user_from_session(user_key: str) -> User | None:
    if flask.request.path.startswith("/api/"):
        return None
    try:
        user_id, session_version = (int(part) for part in user_key.split(":"))
    except ValueError:
        return None
    user = db.session.scalar(sa.select(User).where(User.id == user_id))
    if user is None or not user.is_active or user.session_version != session_version:
        return None
    return user


def load_user_from_token(request: flask.Request) -> User | None:
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    return user_for_token(secret.strip())


def unauthorized():
    if flask.request.path.startswith("/api/"):
        return api_error(
            401, message="Send a personal API token as 'Authorization: Bearer <token>'"
        )
    return flask.redirect(flask.url_for("auth.sign_in", next=flask.request.full_path))


def install() -> None:
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(load_user_from_token)
    login_manager.unauthorized_handler(unauthorized)
