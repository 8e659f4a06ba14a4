"""One log line per request: request id, user id, route, status, duration.

The route is the URL rule (`/people/<int:person_id>`), never the path or query
string, so no name, NHS number, date of birth or free text reaches a log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import flask

log = logging.getLogger("caremap.requests")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def start_request() -> None:
    incoming = flask.request.headers.get("X-Request-Id", "")
    flask.g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    flask.g.request_started = time.perf_counter()


def log_request(response: flask.Response) -> flask.Response:
    started = flask.g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
    rule = flask.request.url_rule.rule if flask.request.url_rule else "(no route)"
    # The user as already loaded: asking current_user would load it now, and with the
    # database gone that would turn an honest 503 into an error in the logging.
    user = flask.g.get("_login_user")
    user_id = user.id if user is not None and user.is_authenticated else "-"
    log.info(
        "request_id=%s user_id=%s method=%s route=%s status=%s duration_ms=%.1f",
        flask.g.get("request_id", "-"),
        user_id,
        flask.request.method,
        rule,
        response.status_code,
        duration_ms,
    )
    response.headers["X-Request-Id"] = flask.g.get("request_id", "")
    return response
