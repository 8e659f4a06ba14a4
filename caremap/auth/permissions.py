from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask
from flask_login import current_user, login_required

from caremap.auth.enums import Role


def role_required(*roles: Role) -> Callable:
    """Signed in with one of these roles; anyone else gets 404, as if the page were not there."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                flask.abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator
