"""The JSON API under /api/v1: flask-smorest, answering errors in JSON only there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.exceptions import HTTPException

from caremap.core.errors import DomainError, NotFoundError

API_PREFIX = "/api/v1"

__all__ = ["API_PREFIX", "ApiBlueprint", "CaremapApi", "is_api_request", "api_error"]


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


class CaremapApi(Api):
    """flask-smorest registers its JSON error handler app-wide; pages keep HTML errors."""

    def handle_http_exception(self, error: HTTPException):
        if is_api_request():
            return super().handle_http_exception(error)
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

        @app.errorhandler(NotFoundError)
        def _not_found(error: NotFoundError):
            if is_api_request():
                return api_error(404, message="Not found")
            return render_page_error(error)
