"""How a request becomes a user: one loader for sessions, one for API tokens.

Pages sign in with a session cookie; /api/ and /fhir take only a personal token in an
`Authorization: Bearer` header, so a call cannot ride on a browser's cookie (and needs
no CSRF token). A token's scope says where it may be used: a `fhir_read` token reads
the FHIR view and is refused (403) everywhere else.
"""

from __future__ import annotations

import flask
import sqlalchemy as sa
from flask_login import current_user

from caremap.auth.enums import TokenScope
from caremap.auth.models import User
from caremap.auth.operations import live_token
from caremap.core.api import api_error
from caremap.core.errors import ForbiddenError
from caremap.core.extensions import db, login_manager

FHIR_ONLY_REFUSED = (
    "This token may only read records through the FHIR view (/fhir). "
    "Use a token with the full scope for anything else."
)


def is_fhir_path(path: str) -> bool:
    return path == "/fhir" or path.startswith("/fhir/")


def takes_tokens(path: str) -> bool:
    return path.startswith("/api/") or is_fhir_path(path)


def _bearer_secret(request: flask.Request) -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def load_user_from_session(user_key: str) -> User | None:
    if takes_tokens(flask.request.path):
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
    if not takes_tokens(request.path):
        return None
    secret = _bearer_secret(request)
    token = live_token(secret) if secret else None
    if token is None:
        return None
    flask.g.token_scope = token.scope
    return token.user


def refuse_tokens_out_of_scope():
    """Before every request: a FHIR-only token anywhere but /fhir is refused with a 403
    that says why, before any endpoint runs (it must never write through the API)."""
    path = flask.request.path
    if is_fhir_path(path):
        return None
    secret = _bearer_secret(flask.request)
    if secret is None:
        return None
    if takes_tokens(path):
        current_user._get_current_object()  # loads the token's user, noting its scope
        scope = flask.g.get("token_scope")
    else:  # pages never sign in by token; one sent there is looked at only to refuse it
        token = live_token(secret)
        scope = token.scope if token is not None else None
    if scope != TokenScope.FHIR_READ:
        return None
    if path.startswith("/api/"):
        return api_error(403, message=FHIR_ONLY_REFUSED)
    raise ForbiddenError(FHIR_ONLY_REFUSED, field="Authorization")


def unauthorized():
    if flask.request.path.startswith("/api/"):
        return api_error(
            401, message="Send a personal API token as 'Authorization: Bearer <token>'"
        )
    return flask.redirect(flask.url_for("auth.sign_in", next=flask.request.full_path))


def install(app: flask.Flask) -> None:
    login_manager.user_loader(load_user_from_session)
    login_manager.request_loader(load_user_from_token)
    login_manager.unauthorized_handler(unauthorized)
    app.before_request(refuse_tokens_out_of_scope)
