"""HTML error pages for everything outside /api/."""

from __future__ import annotations

import flask
from werkzeug.exceptions import HTTPException

from caremap.core.errors import DomainError, NotFoundError

_TITLES = {
    400: "There is a problem with the request",
    401: "Sign in to continue",
    403: "You cannot do that",
    404: "Page not found",
    405: "That cannot be done here",
    409: "This was changed by someone else",
    413: "That was too large",
    422: "There is a problem",
    500: "Sorry, there is a problem with caremap",
    503: "caremap is unavailable",
}


def render_error_page(error: Exception):
    if isinstance(error, HTTPException):
        status = error.code or 500
        detail = None
    elif isinstance(error, NotFoundError):
        status, detail = 404, None
    elif isinstance(error, DomainError):
        status, detail = error.status_code, error.message
    else:
        status, detail = 500, None
    if status == 404:
        detail = (
            "If you typed the web address, check it is correct. "
            "You may not have access to that record."
        )
    return (
        flask.render_template(
            "ui/error.html",
            status=status,
            title=_TITLES.get(status, "There is a problem"),
            detail=detail,
        ),
        status,
    )
