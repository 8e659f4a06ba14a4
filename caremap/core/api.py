"""The JSON API under /api/v1: flask-smorest, answering errors in JSON only there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flask
import sqlalchemy as sa
from flask_login import AnonymousUserMixin, UserMixin
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from caremap.core.errors import DomainError, NotFoundError, StaleVersionError
from caremap.core.faults import is_database_unavailable

db_log = logging.getLogger("caremap.database")

API_PREFIX = "/api/v1"

__all__ = ["API_PREFIX", "ApiBlueprint", "CaremapApi", "is_api_request", "api_error"]


class _StrictParser(FlaskParser):
    """A query string is read like a body: a parameter the operation does not take is an
    error naming it (a typo'd filter silently ignored would answer the wrong question)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = _StrictParser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable:
        """Make a schema class once, here: given the class, webargs makes a new schema
        (deep-copying its fields) on every request."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


def is_api_request() -> bool:
    return flask.request.path.startswith("/api/")


def api_error(status: int, errors: dict[str, list[str]] | None = None, **extra: Any):
    payload: dict[str, Any] = {"code": status, "status": _STATUS_NAMES.get(status, "Error")}
    if errors:
        payload["errors"] = {"json": errors}
        payload["message"] = "; ".join(f"{field}: {msgs[0]}" for field, msgs in errors.items())
    payload.update(extra)
    return flask.jsonify(payload), status


_STATUS_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Entity",
    503: "Service Unavailable",
}


def set_page_error_renderer(app: flask.Flask, renderer: Callable[[Exception], Any]) -> None:
    """Pages answer errors in HTML; the UI kit, above core, says how."""
    app.extensions["caremap.page_error"] = renderer


def render_page_error(error: Exception):
    renderer = flask.current_app.extensions.get("caremap.page_error")
    if renderer is None:
        status = getattr(error, "code", None) or getattr(error, "status_code", 500)
        return str(error), status
    return renderer(error)


def database_unavailable():
    db_log.warning("database unavailable: answering 503")
    # Whoever it was could not be loaded: the page is drawn as for someone signed out,
    # rather than asking the database again for the navigation.
    if not isinstance(flask.g.get("_login_user"), UserMixin):
        flask.g._login_user = AnonymousUserMixin()
    if is_api_request():
        response = api_error(503, message="The database is unavailable: try again shortly")
    else:
        response = render_page_error(ServiceUnavailable())
    body, status = response
    response = flask.make_response(body, status)
    response.headers["Retry-After"] = "5"
    return response


class CaremapApi(Api):
    """flask-smorest registers its JSON error handler app-wide; pages keep HTML errors."""

    def handle_http_exception(self, error: HTTPException):
        if is_api_request():
            response = flask.make_response(super().handle_http_exception(error))
            # The JSON answer keeps what the error says about itself (Allow on a 405).
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response
        return render_page_error(error)

    def init_app(self, app: flask.Flask, **kwargs: Any) -> None:
        super().init_app(app, **kwargs)

        @app.errorhandler(DomainError)
        def _domain_error(error: DomainError):
            if is_api_request():
                extra = {}
                if getattr(error, "details", None):
                    extra = error.details
                return api_error(error.status_code, error.as_errors(), **extra)
            return render_page_error(error)

        @app.errorhandler(sa.exc.SQLAlchemyError)
        def _database_error(error: sa.exc.SQLAlchemyError):
            """A database that is lost, refused or too slow is a 503 the client may retry;
            anything else from the database is our bug, and stays a 500. A versioned row
            that another writer changed between this request's read and its write (the
            UPDATE matched no row at the version read) is that writer's win: a 409 like any
            stale edit, whichever domain's operation flushed it."""
            if isinstance(error, sa.orm.exc.StaleDataError):
                flask.current_app.logger.info("concurrent edit refused: %s", error)
                return _domain_error(StaleVersionError(current_version=-1))
            if not is_database_unavailable(error):
                raise error
            return database_unavailable()

        @app.errorhandler(NotFoundError)
        def _not_found(error: NotFoundError):
            if is_api_request():
                return api_error(404, message="Not found")
            return render_page_error(error)
