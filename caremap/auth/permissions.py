"""Who may do what by role alone, named once so pages and the API ask the same question.

Relationships to a person are not roles: those are access.policy's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask
from flask_login import current_user, login_required

from caremap.auth.enums import Role


def permission_required(allowed: Callable[[Any], bool]) -> Callable:
    """Signed in and `allowed` (one of the questions below); anyone else gets 404, as if
    the page were not there."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not allowed(current_user):
                flask.abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: Role) -> Callable:
    """Signed in with one of these roles; anyone else gets 404, as if the page were not there."""
    return permission_required(lambda user: user.role in roles)


def require(allowed: bool) -> None:
    """Go on only if allowed; otherwise 404, as if the thing were not there. For an API
    method, which asks after its arguments are read."""
    if not allowed:
        flask.abort(404)


# Those who run the system: the indicators, the board's figures.
MANAGERS = (Role.MANAGER, Role.ADMIN)
# Those who may read safeguarding figures (not the detail of any concern).
SAFEGUARDING_FIGURES = (Role.SAFEGUARDING_LEAD, Role.MANAGER, Role.ADMIN)
# Those who care for people directly: they may break glass on a record in an emergency.
BREAK_GLASS = (Role.PRACTITIONER, Role.KEY_WORKER, Role.SAFEGUARDING_LEAD)


def can_view_indicators(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in MANAGERS)


def can_administer(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.ADMIN)


def can_merge_records(user: Any) -> bool:
    """Merging moves everything of one record into another, and the relationships on the
    rows that move come with them: a worker who could merge could fold a record their team
    registered into a real one and keep access to it. So it is an admin's act, reviewed
    afterwards (access's review list), never a worker's."""
    return can_administer(user)


def can_read_safeguarding_figures(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in SAFEGUARDING_FIGURES)


def can_lead_safeguarding(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SAFEGUARDING_LEAD)


def can_break_glass(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in BREAK_GLASS)
